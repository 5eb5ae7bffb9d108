/**
 * The outbox store and dispatcher on PostgreSQL: order, retries, failure bookkeeping, dedupe, and
 * a failed row sent again after a retry from its message.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createOutboxDispatcher,
  type OutboxDispatcher,
} from '../../../src/app/outbox-dispatcher.js';
import { ManualClock } from '../../../src/domain/clock.js';
import type { OutboxEnqueue } from '../../../src/ports/outbox.js';
import { createDeliveryRetryStore } from '../../../src/storage/delivery-retry-store.js';
import { createOutboxQueue, createOutboxWriter } from '../../../src/storage/outbox-store.js';
import { auditEvents, customers, messages, outbox, tickets } from '../../../src/storage/schema.js';
import { RecordingSender } from '../../fakes/recording-sender.js';
import {
  createOutboxTestDatabase,
  deleteUnfinishedOutboxRows,
} from '../../support/outbox-test-database.js';
import type { TestDatabase } from '../../support/test-database.js';

const silent = { info() {}, warn() {}, error() {}, debug() {} };
let database: TestDatabase;
let tenantId: string;
let customerId: string;

beforeAll(async () => {
  ({ database, tenantId } = await createOutboxTestDatabase({ max: 10 }));
  const [customer] = await database.db.insert(customers).values({ tenantId }).returning();
  customerId = customer!.id;
});
afterAll(() => database?.close());
// Every test drains its own rows; this keeps leftovers from reaching the next test's claims.
afterEach(() => deleteUnfinishedOutboxRows(database));

async function newTicketWithMessage() {
  const [ticket] = await database.db
    .insert(tickets)
    .values({
      tenantId,
      number: `T-${randomUUID().slice(0, 8)}`,
      subject: 'Broken kettle',
      status: 'open',
      priority: 'normal',
      priorityRank: 1,
      category: 'product',
      kind: 'complaint',
      channel: 'telegram',
      customerId,
    })
    .returning();
  const [message] = await database.db
    .insert(messages)
    .values({
      tenantId,
      ticketId: ticket!.id,
      authorType: 'agent',
      body: 'We are on it',
      channel: 'telegram',
      deliveryStatus: 'pending',
    })
    .returning();
  return { ticketId: ticket!.id, messageId: message!.id };
}

/** A unique key per test, so tests in this file do not block each other's rows. */
const uniqueKey = (name: string) => `${name}:${randomUUID()}`;

async function enqueueAll(rows: Partial<OutboxEnqueue>[]): Promise<number[]> {
  const writer = createOutboxWriter(database.db);
  for (const row of rows) {
    await writer.enqueue({ tenantId, destination: 'test', orderingKey: 'k', payload: {}, ...row });
  }
  const keys = [...new Set(rows.map((r) => r.orderingKey ?? 'k'))];
  const found = await database.db
    .select({ id: outbox.id, key: outbox.orderingKey })
    .from(outbox)
    .where(inArray(outbox.orderingKey, keys))
    .orderBy(asc(outbox.id));
  return found.map((r) => r.id);
}

const statusOf = async (id: number) =>
  (await database.db.select().from(outbox).where(eq(outbox.id, id)))[0]!;

/** Rows are enqueued with next_attempt_at = now(); the manual clock starts ahead of it. */
const manualClock = () => new ManualClock(Date.now() + 60_000);

function dispatcherFor(sender: RecordingSender, clock: ManualClock, backoffMs = 1000) {
  return createOutboxDispatcher({
    queue: createOutboxQueue(database.db),
    senders: { test: sender },
    clock,
    logger: silent,
    backoff: () => backoffMs,
  });
}

async function drain(d: OutboxDispatcher, clock: ManualClock, rounds = 20, stepMs = 1000) {
  for (let i = 0; i < rounds; i++) {
    await d.runOnce();
    clock.advance(stepMs);
  }
}

describe('outbox on PostgreSQL', () => {
  it('keeps order per key while a sender fails and then succeeds', async () => {
    const [a, b] = [uniqueKey('a'), uniqueKey('b')];
    const ids = await enqueueAll(
      [a, b, a, b, a, b].map((k, n) => ({ orderingKey: k, payload: { n } })),
    );
    const sender = new RecordingSender().failTimes(2, 'HTTP 502', (r) => r.id === ids[0]);
    const clock = manualClock();
    await drain(dispatcherFor(sender, clock), clock, 6);
    expect(sender.sentIds(a)).toEqual([ids[0], ids[2], ids[4]]);
    expect(sender.sentIds(b)).toEqual([ids[1], ids[3], ids[5]]);
    // Key b did not wait for key a's retries.
    expect(sender.sent.slice(0, 2).map((r) => r.orderingKey)).toEqual([b, b]);
    expect((await statusOf(ids[0]!)).attempts).toBe(3);
    expect(sender.sent.find((r) => r.id === ids[2])?.payload).toEqual({ n: 2 });
  });

  it('honours retry_after: the row and its key are not claimable before it', async () => {
    const key = uniqueKey('ra');
    const [first, second] = await enqueueAll([{ orderingKey: key }, { orderingKey: key }]);
    const sender = new RecordingSender().retryAfter(60_000);
    const clock = manualClock();
    const queue = createOutboxQueue(database.db);
    const d = dispatcherFor(sender, clock);
    expect(await d.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
    clock.advance(59_999);
    const early = await queue.claim(100, clock.now(), 30_000);
    expect(early.filter((r) => r.orderingKey === key)).toEqual([]);
    clock.advance(1);
    await drain(d, clock, 3, 0);
    expect(sender.sentIds(key)).toEqual([first, second]);
  });

  it('after max attempts marks the message and ticket and writes an audit event', async () => {
    const { ticketId, messageId } = await newTicketWithMessage();
    const key = uniqueKey('max');
    const [id, next] = await enqueueAll([
      { orderingKey: key, ticketId, messageId, maxAttempts: 3 },
      { orderingKey: key, ticketId },
    ]);
    const sender = new RecordingSender().failAlways('HTTP 500', (r) => r.id === id);
    const clock = manualClock();
    await drain(dispatcherFor(sender, clock), clock, 6);
    expect(sender.callsFor(id!)).toHaveLength(3);
    const row = await statusOf(id!);
    const reason = 'HTTP 500 (gave up after 3 attempts)';
    expect(row).toMatchObject({ status: 'failed', lastError: reason, lockedUntil: null });
    const [message] = await database.db.select().from(messages).where(eq(messages.id, messageId));
    expect(message).toMatchObject({ deliveryStatus: 'failed', deliveryError: reason });
    const [ticket] = await database.db.select().from(tickets).where(eq(tickets.id, ticketId));
    expect(ticket?.lastDeliveryError).toBe(reason);
    const audit = await database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.ticketId, ticketId), eq(auditEvents.action, 'delivery_failed')));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      tenantId,
      entityType: 'ticket',
      entityId: ticketId,
      actorType: 'system',
      actorId: null,
      changes: { delivery: { from: null, to: reason } },
    });
    // The failure released the key: the next row went out.
    expect(sender.sentIds(key)).toEqual([next]);
  });

  it('marks the message sent, but never downgrades delivered', async () => {
    const one = await newTicketWithMessage();
    const two = await newTicketWithMessage();
    await database.db
      .update(messages)
      .set({ deliveryStatus: 'delivered' })
      .where(eq(messages.id, two.messageId));
    const key = uniqueKey('sent');
    await enqueueAll([one, two].map((m) => ({ orderingKey: key, ...m })));
    const clock = manualClock();
    await drain(dispatcherFor(new RecordingSender(), clock), clock, 2);
    const rows = await database.db
      .select({ id: messages.id, status: messages.deliveryStatus })
      .from(messages)
      .where(inArray(messages.id, [one.messageId, two.messageId]));
    const byId = new Map(rows.map((r) => [r.id, r.status]));
    expect(byId.get(one.messageId)).toBe('sent');
    expect(byId.get(two.messageId)).toBe('delivered');
  });

  it('marks many rows sent in one statement, fenced per claim like markSent', async () => {
    const a = await newTicketWithMessage();
    const b = await newTicketWithMessage();
    const c = await newTicketWithMessage();
    const ids = await enqueueAll([a, b, c].map((m) => ({ orderingKey: uniqueKey('many'), ...m })));
    const clock = manualClock();
    const queue = createOutboxQueue(database.db);
    const claimed = [
      ...(await queue.claim(2, clock.now(), 30_000)),
      ...(await queue.claim(1, clock.now(), 1_000)),
    ];
    expect(claimed.map((r) => r.id)).toEqual(ids);
    // c's lease runs out and another dispatcher claims it: our mark must not apply to it.
    clock.advance(2_000);
    const other = createOutboxQueue(database.db);
    const [retaken] = await other.claim(10, clock.now(), 30_000);
    expect(retaken?.id).toBe(ids[2]);
    await queue.markSentMany!(
      ids.map((id, i) => ({ id, at: clock.now(), externalId: i === 1 ? 'wamid.B' : null })),
    );
    expect((await statusOf(ids[0]!)).status).toBe('sent');
    expect((await statusOf(ids[1]!)).status).toBe('sent');
    expect((await statusOf(ids[2]!)).status).toBe('sending');
    const rows = await database.db
      .select({ id: messages.id, status: messages.deliveryStatus, ext: messages.externalId })
      .from(messages)
      .where(inArray(messages.id, [a.messageId, b.messageId, c.messageId]));
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(a.messageId)).toMatchObject({ status: 'sent', ext: null });
    expect(byId.get(b.messageId)).toMatchObject({ status: 'sent', ext: 'wamid.B' });
    expect(byId.get(c.messageId)).toMatchObject({ status: 'pending' });
  });

  it('keeps one row for a dedupe key enqueued twice', async () => {
    const key = uniqueKey('dedupe');
    const ids = await enqueueAll([
      { orderingKey: key, dedupeKey: `${key}:1`, payload: { v: 1 } },
      { orderingKey: key, dedupeKey: `${key}:1`, payload: { v: 2 } },
    ]);
    expect(ids).toHaveLength(1);
    expect((await statusOf(ids[0]!)).payload).toEqual({ v: 1 });
  });

  it('leaves no row when the enqueueing transaction rolls back', async () => {
    const key = uniqueKey('rollback');
    await expect(
      database.db.transaction(async (tx) => {
        await createOutboxWriter(tx).enqueue({
          tenantId,
          destination: 'test',
          orderingKey: key,
          payload: {},
        });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const rows = await database.db.select().from(outbox).where(eq(outbox.orderingKey, key));
    expect(rows).toEqual([]);
  });

  it('counts rows per status', async () => {
    const key = uniqueKey('stats');
    await enqueueAll([{ orderingKey: key }, { orderingKey: key }]);
    const queue = createOutboxQueue(database.db);
    const clock = manualClock();
    const sender = new RecordingSender().failPermanently('blocked by user');
    await drain(dispatcherFor(sender, clock), clock, 1);
    const counted = await database.db
      .select({ status: outbox.status, n: sql<number>`count(*)::int` })
      .from(outbox)
      .groupBy(outbox.status);
    const expected = { pending: 0, sending: 0, sent: 0, failed: 0 };
    for (const c of counted) expected[c.status as keyof typeof expected] = c.n;
    const stats = await queue.stats();
    expect(stats).toMatchObject(expected);
    expect(stats.pending).toBe(1);
    expect(stats.oldestPendingAt).toBeInstanceOf(Date);
    expect(await queue.pendingCount()).toBe(1);
  });

  // The route and its use case are in test/integration/api/message-retry.test.ts; here, what the
  // dispatcher does with the row the retry store puts back.
  it('a failed row retried from its message gets a fresh attempt budget and is sent again', async () => {
    const { ticketId, messageId } = await newTicketWithMessage();
    const key = uniqueKey('retry');
    const [id, next] = await enqueueAll([
      { orderingKey: key, ticketId, messageId, maxAttempts: 2 },
      { orderingKey: key, ticketId },
    ]);
    // Two failures use up the budget; the third comes after the retry.
    const sender = new RecordingSender().failTimes(3, 'HTTP 500', (r) => r.id === id);
    const clock = manualClock();
    await drain(dispatcherFor(sender, clock), clock, 4);
    expect(await statusOf(id!)).toMatchObject({ status: 'failed', attempts: 2 });
    expect(sender.sentIds(key)).toEqual([next]); // the failure released the key

    const retries = createDeliveryRetryStore(database.db);
    expect(await retries.retryFailed(randomUUID(), messageId, clock.now())).toBe(false); // another tenant
    expect(await retries.retryFailed(tenantId, messageId, clock.now())).toBe(true);
    expect(await retries.retryFailed(tenantId, messageId, clock.now())).toBe(false); // no longer failed
    expect(await statusOf(id!)).toMatchObject({
      status: 'pending',
      attempts: 0,
      lastError: null,
      lockedUntil: null,
    });
    const [pending] = await database.db.select().from(messages).where(eq(messages.id, messageId));
    expect(pending).toMatchObject({ deliveryStatus: 'pending', deliveryError: null });
    const [ticket] = await database.db.select().from(tickets).where(eq(tickets.id, ticketId));
    expect(ticket?.lastDeliveryError).toBeNull();

    // With the old budget the row would be failed unsent on its next claim; with a fresh one a
    // failure is retried and the row goes out, after the row of its key that overtook it.
    await drain(dispatcherFor(sender, clock), clock, 4);
    expect(sender.callsFor(id!)).toHaveLength(4);
    expect(sender.sentIds(key)).toEqual([next, id]);
    expect(await statusOf(id!)).toMatchObject({ status: 'sent', attempts: 2 });
    const [sent] = await database.db.select().from(messages).where(eq(messages.id, messageId));
    expect(sent?.deliveryStatus).toBe('sent');
  });
});
