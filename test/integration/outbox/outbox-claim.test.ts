/**
 * The claim on PostgreSQL, per destination: the earliest due heads across destinations, a busy
 * destination skipped without reading its backlog, and a row another claimer holds left alone.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxEnqueue } from '../../../src/ports/outbox.js';
import type { Executor } from '../../../src/storage/executor.js';
import { createOutboxQueue, insertOutboxRows } from '../../../src/storage/outbox-store.js';
import { outbox } from '../../../src/storage/schema.js';
import {
  createOutboxTestDatabase,
  deleteUnfinishedOutboxRows,
} from '../../support/outbox-test-database.js';
import type { TestDatabase } from '../../support/test-database.js';

let database: TestDatabase;
let tenantId: string;

beforeAll(async () => {
  ({ database, tenantId } = await createOutboxTestDatabase({ max: 4 }));
});
afterAll(() => database?.close());
afterEach(() => deleteUnfinishedOutboxRows(database));

const t0 = Date.now() - 60_000;
const at = (s: number) => new Date(t0 + s * 1000);
const now = () => new Date(t0 + 3_600_000);

function row(destination: string, orderingKey: string, dueS: number, n = 0): OutboxEnqueue {
  return { tenantId, destination, orderingKey, payload: { n }, notBefore: at(dueS) };
}

describe('outbox claim per destination', () => {
  it('claims the earliest due heads across destinations, one per ordering key', async () => {
    const k = randomUUID();
    await insertOutboxRows(database.db, [
      row('b', `b1:${k}`, 2, 1),
      row('a', `a1:${k}`, 1, 2),
      row('a', `a1:${k}`, 0, 3), // behind a1's head (a smaller id), although due earlier
      row('c', `c1:${k}`, 3, 4),
      row('a', `a2:${k}`, 5, 5),
      row('b', `b2:${k}`, 4, 6),
      row('c', `c2:${k}`, 60 * 60 * 2, 7), // not due yet
    ]);
    const queue = createOutboxQueue(database.db);
    const first = await queue.claim(3, now(), 30_000);
    expect(first.map((r) => r.payload.n).sort()).toEqual([1, 2, 4]);
    const second = await queue.claim(10, now(), 30_000);
    // a1's second row waits for its head; c2 is not due.
    expect(second.map((r) => r.payload.n).sort()).toEqual([5, 6]);
    for (const r of first.filter((r) => r.payload.n === 2)) await queue.markSent(r.id, now());
    const third = await queue.claim(10, now(), 30_000);
    expect(third.map((r) => r.payload.n)).toEqual([3]);
  });

  it('skips a busy destination without reading its backlog', async () => {
    const k = randomUUID();
    const deep = Array.from({ length: 3_000 }, (_, i) => row('deep', `d${i % 300}:${k}`, 1, i));
    await insertOutboxRows(database.db, [
      ...deep,
      row('other', `o1:${k}`, 3, -1),
      row('other', `o2:${k}`, 2, -2),
      row('other', `o3:${k}`, 4, -3),
    ]);
    // Without the dead index entries the other tests left (their counts would blur the measure).
    await database.db.execute(sql`VACUUM ANALYZE outbox`);
    const { claimed, read } = await database.db.transaction(async (tx) => {
      const before = await outboxTuplesRead(tx);
      const claimed = await createOutboxQueue(tx).claim(2, now(), 30_000, {
        skipDestinations: ['deep'],
      });
      return { claimed, read: (await outboxTuplesRead(tx)) - before };
    });
    expect(claimed.map((r) => r.payload.n)).toEqual([-1, -2]);
    // Before the per-destination claim, the scan read every row of `deep` (3,000) to skip it.
    expect(read).toBeLessThan(100);
    // Not skipped, the deep destination's earliest heads come first.
    const next = await createOutboxQueue(database.db).claim(3, now(), 30_000);
    expect(next.map((r) => r.destination)).toEqual(['deep', 'deep', 'deep']);
  });

  it('claims a destination first written by any insert (the trigger notes it)', async () => {
    const destination = `fresh:${randomUUID()}`;
    await database.db
      .insert(outbox)
      .values({ tenantId, destination, orderingKey: destination, payload: { n: 9 } });
    const noted = await database.db.execute<{ n: string }>(
      sql`SELECT count(*) AS n FROM outbox_destinations WHERE destination = ${destination}`,
    );
    expect(Number(noted.rows[0]!.n)).toBe(1);
    const claimed = await createOutboxQueue(database.db).claim(10, now(), 30_000);
    expect(claimed.map((r) => r.destination)).toEqual([destination]);
  });

  it('takes no more of a destination than its limit', async () => {
    const k = randomUUID();
    await insertOutboxRows(database.db, [
      ...Array.from({ length: 5 }, (_, i) => row('a', `a${i}:${k}`, i, i)),
      ...Array.from({ length: 5 }, (_, i) => row('b', `b${i}:${k}`, i, 10 + i)),
      ...Array.from({ length: 5 }, (_, i) => row('c', `c${i}:${k}`, i, 20 + i)),
    ]);
    const claimed = await createOutboxQueue(database.db).claim(10, now(), 30_000, {
      perDestination: 3,
      destinationLimits: { b: 1, c: 0 },
    });
    expect(claimed.map((r) => r.payload.n).sort((x, y) => Number(x) - Number(y))).toEqual([
      0, 1, 2, 10,
    ]);
  });

  it('hands a released head back ahead of the rows queued behind it', async () => {
    const key = `k:${randomUUID()}`;
    await insertOutboxRows(database.db, [row('a', key, 1, 1), row('a', key, 2, 2)]);
    const queue = createOutboxQueue(database.db);
    const [head] = await queue.claim(1, now(), 30_000);
    expect(head!.payload.n).toBe(1);
    await queue.release!([head!.id], now());
    const due = await database.db.execute<{ n: number; at: string }>(
      sql`SELECT (payload->>'n')::int AS n, next_attempt_at::text AS at FROM outbox
          WHERE ordering_key = ${key} ORDER BY next_attempt_at, id`,
    );
    expect(due.rows.map((r) => r.n)).toEqual([1, 2]);
    expect((await queue.claim(5, now(), 30_000)).map((r) => r.payload.n)).toEqual([1]);
  });

  it('leaves a row another claimer holds locked and takes the next destination', async () => {
    const k = randomUUID();
    await insertOutboxRows(database.db, [
      row('a', `a1:${k}`, 1, 1),
      row('a', `a1:${k}`, 2, 2),
      row('b', `b1:${k}`, 3, 3),
    ]);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = database.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT id FROM outbox WHERE ordering_key = ${`a1:${k}`}
                           ORDER BY id LIMIT 1 FOR UPDATE`);
      locked();
      await held;
    });
    await isLocked;
    try {
      const claimed = await createOutboxQueue(database.db).claim(2, now(), 30_000);
      // a1's head is skipped (locked), and its second row is not its head.
      expect(claimed.map((r) => r.payload.n)).toEqual([3]);
    } finally {
      release();
      await holder;
    }
  });

  it("refreshStatistics brings the planner's row count of the outbox up to date", async () => {
    const k = randomUUID();
    const reltuples = async () =>
      Number(
        (
          await database.db.execute<{ n: number }>(
            sql`SELECT reltuples AS n FROM pg_class WHERE oid = 'outbox'::regclass`,
          )
        ).rows[0]!.n,
      );
    await database.db.execute(sql`ANALYZE outbox`);
    const before = await reltuples();
    await insertOutboxRows(
      database.db,
      Array.from({ length: 2000 }, (_, i) => row('burst', `burst:${k}:${i % 50}`, 0, i)),
    );
    // A burst alone leaves the planner's view as it was (until autovacuum's next look).
    expect(await reltuples()).toBe(before);
    await createOutboxQueue(database.db).refreshStatistics();
    const { rows } = await database.db.execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM outbox`,
    );
    expect(rows[0]!.n).toBeGreaterThanOrEqual(before + 2000);
    expect(await reltuples()).toBe(rows[0]!.n);
  });
});

/**
 * Rows of outbox read so far by this connection's scans (index entries returned, plus rows a
 * sequential scan returned). Counters accumulate until the backend reports them: take the
 * difference within one transaction.
 */
async function outboxTuplesRead(tx: Executor): Promise<number> {
  const result = await tx.execute<{ n: string }>(sql`
    SELECT pg_stat_get_xact_tuples_returned('outbox'::regclass)
           + (SELECT coalesce(sum(pg_stat_get_xact_tuples_returned(indexrelid)), 0)
              FROM pg_index WHERE indrelid = 'outbox'::regclass) AS n`);
  return Number(result.rows[0]!.n);
}
