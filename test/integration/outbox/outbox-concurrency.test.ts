/**
 * The outbox under concurrency on PostgreSQL: enqueue serialization per key, lease expiry and
 * fencing, and two dispatchers on two pools draining one table.
 */
import { randomUUID } from 'node:crypto';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOutboxDispatcher } from '../../../src/app/outbox-dispatcher.js';
import { ManualClock, systemClock } from '../../../src/domain/clock.js';
import type { OutboxEnqueue } from '../../../src/ports/outbox.js';
import { createDatabase } from '../../../src/storage/database.js';
import { createOutboxQueue, createOutboxWriter } from '../../../src/storage/outbox-store.js';
import { outbox } from '../../../src/storage/schema.js';
import { RecordingSender } from '../../fakes/recording-sender.js';
import {
  createOutboxTestDatabase,
  deleteUnfinishedOutboxRows,
} from '../../support/outbox-test-database.js';
import type { TestDatabase } from '../../support/test-database.js';

const silent = { info() {}, warn() {}, error() {}, debug() {} };
let database: TestDatabase;
let tenantId: string;

beforeAll(async () => {
  ({ database, tenantId } = await createOutboxTestDatabase({ max: 10 }));
});
afterAll(() => database?.close());
afterEach(() => deleteUnfinishedOutboxRows(database));

const uniqueKey = (name: string) => `${name}:${randomUUID()}`;

async function enqueueAll(rows: Partial<OutboxEnqueue>[]): Promise<number[]> {
  const writer = createOutboxWriter(database.db);
  for (const row of rows) {
    await writer.enqueue({ tenantId, destination: 'test', orderingKey: 'k', payload: {}, ...row });
  }
  const keys = [...new Set(rows.map((r) => r.orderingKey ?? 'k'))];
  const found = await database.db
    .select({ id: outbox.id })
    .from(outbox)
    .where(inArray(outbox.orderingKey, keys))
    .orderBy(asc(outbox.id));
  return found.map((r) => r.id);
}

const statusOf = async (id: number) =>
  (await database.db.select().from(outbox).where(eq(outbox.id, id)))[0]!;

describe('outbox concurrency on PostgreSQL', () => {
  it('serializes concurrent enqueues to one key, so ids commit in order', async () => {
    const key = uniqueKey('serial');
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let firstInserted!: () => void;
    const inserted = new Promise<void>((r) => (firstInserted = r));
    const first = database.db.transaction(async (tx) => {
      await createOutboxWriter(tx).enqueue({
        tenantId,
        destination: 'test',
        orderingKey: key,
        payload: { n: 1 },
      });
      firstInserted();
      await held;
    });
    await inserted;
    let secondDone = false;
    const second = createOutboxWriter(database.db)
      .enqueue({ tenantId, destination: 'test', orderingKey: key, payload: { n: 2 } })
      .then(() => (secondDone = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(secondDone).toBe(false); // waits for the first transaction
    release();
    await Promise.all([first, second]);
    const rows = await database.db
      .select()
      .from(outbox)
      .where(eq(outbox.orderingKey, key))
      .orderBy(asc(outbox.id));
    expect(rows.map((r) => r.payload)).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('reclaims a row whose lease expired; the stale owner can no longer mark it', async () => {
    const key = uniqueKey('lease');
    const [id, next] = await enqueueAll([{ orderingKey: key }, { orderingKey: key }]);
    const clock = new ManualClock(Date.now() + 60_000);
    const dead = createOutboxQueue(database.db);
    const alive = createOutboxQueue(database.db);
    const mine = (rows: { orderingKey: string }[]) => rows.filter((r) => r.orderingKey === key);
    expect(mine(await dead.claim(100, clock.now(), 1000))).toMatchObject([{ id, attempts: 1 }]);
    clock.advance(1000);
    expect(mine(await alive.claim(100, clock.now(), 1000))).toEqual([]); // lease still holds
    clock.advance(1);
    expect(mine(await alive.claim(100, clock.now(), 1000))).toMatchObject([{ id, attempts: 2 }]);
    await dead.markSent(id!, clock.now()); // too late: fenced out
    expect(await statusOf(id!)).toMatchObject({ status: 'sending', attempts: 2 });
    expect(mine(await alive.claim(100, clock.now(), 1000))).toEqual([]); // next still waits
    await alive.markSent(id!, clock.now());
    expect(mine(await alive.claim(100, clock.now(), 1000))).toMatchObject([{ id: next }]);
  });

  it('two dispatchers on two pools send 500 rows over 50 keys exactly once, in order', async () => {
    const prefix = uniqueKey('load');
    const keyOf = (i: number) => `${prefix}:${i % 50}`;
    const writer = createOutboxWriter(database.db);
    for (let i = 0; i < 500; i++) {
      await writer.enqueue({
        tenantId,
        destination: 'test',
        orderingKey: keyOf(i),
        payload: { i },
      });
    }
    // One sender shared by both, so it sees if two rows of a key were ever in flight together.
    const sender = new RecordingSender({ delayMs: (r) => r.id % 3 })
      .failTimes(25, 'flaky', (r) => r.id % 20 === 0)
      .retryAfter(0, { times: 10, match: (r) => r.id % 33 === 0 });
    const second = createDatabase(database.url, { max: 10 });
    const sentBy = [0, 0];
    const dispatchers = [database.db, second.db].map((db, n) =>
      createOutboxDispatcher({
        queue: createOutboxQueue(db),
        senders: () => ({
          send: async (row) => {
            const result = await sender.send(row);
            if (result.ok) sentBy[n]! += 1;
            return result;
          },
        }),
        clock: systemClock,
        logger: silent,
        backoff: () => 0,
        pollIntervalMs: 10,
        concurrency: 8,
      }),
    );
    const started = Date.now();
    try {
      dispatchers.forEach((d) => d.start());
      await expect
        .poll(() => sender.sent.filter((r) => r.orderingKey.startsWith(prefix)).length, {
          timeout: 15_000,
          interval: 50,
        })
        .toBe(500);
    } finally {
      await Promise.all(dispatchers.map((d) => d.stop()));
      await second.close();
    }
    const mine = sender.sent.filter((r) => r.orderingKey.startsWith(prefix));
    expect(mine).toHaveLength(500);
    expect(new Set(mine.map((r) => r.id)).size).toBe(500);
    expect(sentBy.every((n) => n > 50)).toBe(true); // both dispatchers did real work
    for (let k = 0; k < 50; k++) {
      const ids = sender.sentIds(keyOf(k));
      expect(ids).toHaveLength(10);
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
    }
    expect(sender.maxInFlightPerKey).toBe(1);
    const left = await database.db.execute(
      sql`select count(*)::int as n from outbox where ordering_key like ${`${prefix}:%`} and status <> 'sent'`,
    );
    expect(left.rows[0]).toEqual({ n: 0 });
    console.log(`two dispatchers drained 500 rows in ${Date.now() - started} ms (${sentBy})`);
  });
});
