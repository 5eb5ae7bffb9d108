import { describe, expect, it } from 'vitest';
import { createPacer } from '../../src/channel-pacer.js';

describe('createPacer', () => {
  it('spaces turns per key and hands back far-away turns as a delay', async () => {
    let t = 1_000_000;
    const pacer = createPacer({ intervalMs: 1000, maxWaitMs: 1500, now: () => t });
    expect(await pacer.turn('C1')).toBeNull(); // slot t
    expect(await pacer.turn('C2')).toBeNull(); // other channels do not wait
    t += 600;
    const started = Date.now();
    expect(await pacer.turn('C1')).toBeNull(); // waits ~400 ms for slot t+1000
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    // C1's next slot is t+2000 (1400 ms away from now=t+600): allowed; the one after is too far.
    expect(await pacer.turn('C1')).toBeNull();
    expect(await pacer.turn('C1')).toBe(2400);
  });
});
