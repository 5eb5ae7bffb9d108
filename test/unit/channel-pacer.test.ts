import { describe, expect, it } from 'vitest';
import { createPacer } from '../../src/channel-pacer.js';

describe('createPacer', () => {
  it('spaces turns per key and hands back far-away turns as a delay', async () => {
    const base = Date.now();
    let offset = 1_000_000;
    const now = () => offset + (Date.now() - base);
    const pacer = createPacer({ intervalMs: 1000, maxWaitMs: 1500, now });
    expect(await pacer.turn('C1')).toBeNull(); // slot now
    expect(await pacer.turn('C2')).toBeNull(); // other channels do not wait
    offset += 600;
    const started = Date.now();
    expect(await pacer.turn('C1')).toBeNull(); // waits ~400 ms for its slot
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    // C1's next slot is 1000 ms ahead: allowed; the one after (2000 ms) is too far.
    const third = pacer.turn('C1');
    expect(await pacer.turn('C1')).toBeGreaterThan(1500);
    expect(await third).toBeNull();
  });

  it('keeps the interval from when the previous call really went, even if its timer was late', async () => {
    let t = 0;
    const sleeps: { ms: number; wake: () => void }[] = [];
    const pacer = createPacer({
      intervalMs: 1000,
      maxWaitMs: 5000,
      now: () => t,
      sleep: (ms) => new Promise<void>((wake) => sleeps.push({ ms, wake })),
    });
    const flush = () => new Promise((r) => setImmediate(r));
    expect(await pacer.turn('C1')).toBeNull(); // goes at 0
    const a = pacer.turn('C1'); // reserved for 1000
    const b = pacer.turn('C1'); // reserved for 2000
    await flush();
    expect(sleeps.map((x) => x.ms)).toEqual([1000, 2000]);
    t = 1005; // a's timer fires 5 ms late: a goes at 1005
    sleeps[0]!.wake();
    expect(await a).toBeNull();
    t = 2000; // b's timer is on time, but only 995 ms after a really went
    sleeps[1]!.wake();
    await flush();
    expect(sleeps[2]?.ms).toBe(5); // so b waits 5 ms more
    t = 2005;
    sleeps[2]!.wake();
    expect(await b).toBeNull();
    // The next reservation is a full interval after b really went.
    const c = pacer.turn('C1');
    await flush();
    expect(sleeps[3]?.ms).toBe(1000);
    t = 3005;
    sleeps[3]!.wake();
    expect(await c).toBeNull();
  });
});
