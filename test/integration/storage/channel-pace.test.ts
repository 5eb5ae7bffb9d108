/**
 * Slack's one message a second per channel holds across processes: two pacers (each with its own
 * memory, as two Parley processes have) reserve their turns in the same database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSharedPacer } from '../../../src/channel-pacer.js';
import { createChannelPaceStore } from '../../../src/storage/channel-pace-store.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const processPacer = (intervalMs: number, maxWaitMs = 5_000) =>
  createSharedPacer({ store: createChannelPaceStore(database.db), intervalMs, maxWaitMs });

describe('shared channel pace', () => {
  it('spaces the turns of two processes on one channel, not only each one’s own', async () => {
    const interval = 150;
    const [a, b] = [processPacer(interval), processPacer(interval)];
    const wentAt: number[] = [];
    const go = async (pacer: typeof a) => {
      expect(await pacer.turn('C-shared')).toBeNull();
      wentAt.push(performance.now());
    };
    await Promise.all([go(a), go(b), go(a), go(b), go(a), go(b)]);
    wentAt.sort((x, y) => x - y);
    const gaps = wentAt.slice(1).map((t, i) => t - wentAt[i]!);
    // Timers may fire a hair early relative to the database's clock; never a whole turn.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(interval - 10);
    expect(wentAt.at(-1)! - wentAt[0]!).toBeGreaterThanOrEqual(5 * interval - 30);
  });

  it('lets another channel go at once while one is busy', async () => {
    const [a, b] = [processPacer(400), processPacer(400)];
    await a.turn('C-busy');
    const busy = a.turn('C-busy');
    const started = performance.now();
    expect(await b.turn('C-other')).toBeNull();
    expect(performance.now() - started).toBeLessThan(200);
    await busy;
  });

  it('hands back a turn beyond the wait as a delay, without reserving it', async () => {
    const [a, b] = [processPacer(1_000, 1_500), processPacer(1_000, 1_500)];
    expect(await a.turn('C-far')).toBeNull(); // at once
    const second = b.turn('C-far'); // ~1 s ahead: reserved, waited for
    await new Promise((r) => setTimeout(r, 50));
    const delay = await a.turn('C-far'); // ~2 s ahead: too far
    expect(delay).toBeGreaterThan(1_500);
    expect(delay).toBeLessThanOrEqual(2_000);
    // Not reserved: asking again does not push the channel's next turn further.
    const again = await b.turn('C-far');
    expect(again).toBeGreaterThan(1_400);
    expect(again).toBeLessThanOrEqual(delay!);
    expect(await second).toBeNull();
  });
});
