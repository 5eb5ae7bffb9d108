import { describe, expect, it, vi } from 'vitest';
import {
  createOutboxDispatcher,
  exponentialBackoff,
  MAX_YIELD_MS,
  type OutboxDispatcherOptions,
} from '../../../src/app/outbox-dispatcher.js';
import { ManualClock } from '../../../src/domain/clock.js';
import type { ClaimOptions, OutboxQueue, OutboxRow } from '../../../src/ports/outbox.js';
import { RecordingSender } from '../../fakes/recording-sender.js';

type Status = 'pending' | 'sending' | 'sent' | 'failed';
interface FakeRow extends OutboxRow {
  status: Status;
  nextAttemptAt: number;
  lockedUntil: number;
  lastError: string | null;
}

/** An in-memory queue with the claim rules of the SQL one (head of each key only). */
class FakeQueue implements OutboxQueue {
  rows: FakeRow[] = [];
  claimCalls = 0;
  failClaims = 0;
  retries: { id: number; error: string; at: Date }[] = [];
  private nextId = 1;

  add(p: Partial<OutboxRow> = {}, at = 0): FakeRow {
    const row: FakeRow = {
      id: this.nextId++,
      tenantId: 't1',
      ticketId: null,
      messageId: null,
      destination: 'test',
      orderingKey: 'k1',
      payload: {},
      attempts: 0,
      maxAttempts: 5,
      ...p,
      status: 'pending',
      nextAttemptAt: at,
      lockedUntil: 0,
      lastError: null,
    };
    this.rows.push(row);
    return row;
  }

  claimOptions: (ClaimOptions | undefined)[] = [];
  analyzed = 0;

  async refreshStatistics(): Promise<void> {
    this.analyzed += 1;
  }

  async claim(limit: number, at: Date, leaseMs: number, opts?: ClaimOptions): Promise<OutboxRow[]> {
    this.claimCalls += 1;
    this.claimOptions.push(opts);
    if (this.failClaims > 0) {
      this.failClaims -= 1;
      throw new Error('connection refused');
    }
    const t = at.getTime();
    const active = (r: FakeRow) => r.status === 'pending' || r.status === 'sending';
    const due = this.rows.filter(
      (r) =>
        (r.status === 'pending' && r.nextAttemptAt <= t) ||
        (r.status === 'sending' && r.lockedUntil < t),
    );
    const heads = due.filter(
      (r) => !this.rows.some((e) => e.orderingKey === r.orderingKey && e.id < r.id && active(e)),
    );
    return heads.slice(0, limit).map((r) => {
      Object.assign(r, { status: 'sending', lockedUntil: t + leaseMs, attempts: r.attempts + 1 });
      return { ...r };
    });
  }
  async markSent(id: number, _at?: Date): Promise<void> {
    this.get(id).status = 'sent';
  }
  async markRetry(id: number, error: string, at: Date): Promise<void> {
    this.retries.push({ id, error, at });
    Object.assign(this.get(id), { status: 'pending', lastError: error, nextAttemptAt: +at });
  }
  async markFailed(id: number, error: string, _at?: Date, holdKeyUntil?: Date): Promise<void> {
    const row = this.get(id);
    Object.assign(row, { status: 'failed', lastError: error });
    for (const next of this.rows) {
      if (holdKeyUntil && next.orderingKey === row.orderingKey && next.status === 'pending')
        next.nextAttemptAt = Math.max(next.nextAttemptAt, +holdKeyUntil);
    }
  }
  get(id: number): FakeRow {
    const row = this.rows.find((r) => r.id === id);
    if (!row) throw new Error(`no row ${id}`);
    return row;
  }
}

const T0 = Date.parse('2030-01-01T00:00:00Z');
const silent = { info: vi.fn(), warn: vi.fn(), error: vi.fn(), debug: vi.fn() };

function setup(opts: Partial<OutboxDispatcherOptions> = {}) {
  const queue = new FakeQueue();
  const clock = new ManualClock(T0);
  const sender = new RecordingSender();
  const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn(), debug: vi.fn() };
  const dispatcher = createOutboxDispatcher({
    queue,
    clock,
    logger,
    senders: { test: sender },
    backoff: (attempt) => attempt * 1000,
    ...opts,
  });
  return { queue, clock, sender, logger, dispatcher };
}

describe('exponentialBackoff', () => {
  it('doubles from 1 s, caps at 5 min, and jitters downwards by at most 20%', () => {
    const top = exponentialBackoff({ random: () => 0 });
    expect([1, 2, 3, 4].map(top)).toEqual([1000, 2000, 4000, 8000]);
    expect(top(9)).toBe(256_000);
    expect(top(10)).toBe(300_000);
    expect(top(1000)).toBe(300_000);
    const bottom = exponentialBackoff({ random: () => 0.999999 });
    expect(bottom(1)).toBe(800);
    expect(bottom(50)).toBe(240_000);
  });
});

describe('outbox dispatcher', () => {
  it('sends due rows and reports counts', async () => {
    const { queue, sender, dispatcher } = setup();
    queue.add({ orderingKey: 'a' });
    queue.add({ orderingKey: 'b' });
    expect(await dispatcher.runOnce()).toEqual({ claimed: 2, sent: 2, retried: 0, failed: 0 });
    expect(sender.sent.map((r) => r.id)).toEqual([1, 2]);
    expect(queue.rows.every((r) => r.status === 'sent')).toBe(true);
  });

  it('records nothing for a row its sender marked sent itself, and forgets the claim', async () => {
    const queue = new FakeQueue();
    const markSent = vi.spyOn(queue, 'markSent');
    const forgotten: number[] = [];
    const withForget = Object.assign(queue, { forget: (id: number) => void forgotten.push(id) });
    const dispatcher = createOutboxDispatcher({
      queue: withForget,
      clock: new ManualClock(T0),
      logger: silent,
      senders: {
        test: {
          async send(row) {
            queue.get(row.id).status = 'sent'; // as its own transaction would
            return { ok: true, recorded: true };
          },
        },
      },
    });
    queue.add({ orderingKey: 'a' });
    expect(await dispatcher.runOnce()).toEqual({ claimed: 1, sent: 1, retried: 0, failed: 0 });
    expect(markSent).not.toHaveBeenCalled();
    expect(forgotten).toEqual([1]);
  });

  it('holds the next rows of a chat for the Retry-After of a last try that was rate limited', async () => {
    const { queue, clock, sender, dispatcher } = setup();
    queue.add({ orderingKey: 'chat', maxAttempts: 1 });
    queue.add({ orderingKey: 'chat' });
    sender.retryAfter(5000, { times: 1 });
    expect(await dispatcher.runOnce()).toMatchObject({ failed: 1 });
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 0 });
    clock.set(T0 + 4999);
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 0 });
    clock.set(T0 + 5000);
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    expect(sender.sent.map((r) => r.id)).toEqual([2]);
  });

  it('retries a failure after the backoff for that attempt', async () => {
    const { queue, clock, sender, dispatcher } = setup();
    queue.add();
    sender.failTimes(2, 'HTTP 502');
    expect((await dispatcher.runOnce()).retried).toBe(1);
    expect(queue.retries[0]).toEqual({ id: 1, error: 'HTTP 502', at: new Date(T0 + 1000) });
    expect((await dispatcher.runOnce()).claimed).toBe(0); // not due yet
    clock.advance(1000);
    expect((await dispatcher.runOnce()).retried).toBe(1);
    expect(queue.retries[1]?.at).toEqual(new Date(T0 + 1000 + 2000));
    clock.advance(2000);
    expect((await dispatcher.runOnce()).sent).toBe(1);
    expect(queue.get(1).attempts).toBe(3);
  });

  it('honours retryAfterMs over the backoff, both shorter and longer', async () => {
    const { queue, sender, dispatcher } = setup({ backoff: () => 10_000 });
    queue.add({ orderingKey: 'a' });
    queue.add({ orderingKey: 'b' });
    sender.retryAfter(90_000, { match: (r) => r.id === 1 });
    sender.retryAfter(500, { match: (r) => r.id === 2 });
    await dispatcher.runOnce();
    const at = new Map(queue.retries.map((r) => [r.id, r.at.getTime() - T0]));
    expect(at).toEqual(
      new Map([
        [1, 90_000],
        [2, 500],
      ]),
    );
  });

  it('fails a permanent error at once, without retries', async () => {
    const { queue, sender, dispatcher } = setup();
    queue.add();
    sender.failPermanently('chat not found');
    expect(await dispatcher.runOnce()).toEqual({ claimed: 1, sent: 0, retried: 0, failed: 1 });
    expect(queue.get(1)).toMatchObject({ status: 'failed', lastError: 'chat not found' });
    expect(sender.calls).toHaveLength(1);
  });

  it('counts a thrown error as retryable, with its message', async () => {
    const { queue, sender, dispatcher } = setup();
    queue.add();
    sender.throwTimes(1, 'socket hang up');
    expect((await dispatcher.runOnce()).retried).toBe(1);
    expect(queue.get(1)).toMatchObject({ status: 'pending', lastError: 'socket hang up' });
  });

  it('fails after maxAttempts tries', async () => {
    const { queue, clock, sender, dispatcher } = setup({ backoff: () => 1 });
    queue.add({ maxAttempts: 3 });
    sender.failAlways('HTTP 500');
    for (let i = 0; i < 5; i++) {
      await dispatcher.runOnce();
      clock.advance(10);
    }
    expect(sender.calls).toHaveLength(3);
    expect(queue.get(1)).toMatchObject({
      status: 'failed',
      lastError: 'HTTP 500 (gave up after 3 attempts)',
    });
  });

  it('fails a row whose destination has no sender', async () => {
    const { queue, dispatcher } = setup({ senders: () => undefined });
    queue.add({ destination: 'customer:fax' });
    expect((await dispatcher.runOnce()).failed).toBe(1);
    expect(queue.get(1).lastError).toBe('no sender for customer:fax');
  });

  it('fails without sending a row whose leases expired more than maxAttempts times', async () => {
    const { queue, sender, dispatcher } = setup();
    queue.add({ maxAttempts: 2, attempts: 2 }); // the claim makes it attempt 3
    expect((await dispatcher.runOnce()).failed).toBe(1);
    expect(sender.calls).toHaveLength(0);
  });

  it('sends keys concurrently up to the limit, one row of a key at a time', async () => {
    const queue = new FakeQueue();
    // A queue that misbehaves by handing out two rows of one key at once.
    const loose: OutboxQueue = {
      ...queue,
      claim: async () => queue.rows.map((r) => ({ ...r })),
      markSent: (id, at) => queue.markSent(id, at),
      markRetry: (id, e, at) => queue.markRetry(id, e, at),
      markFailed: (id, e, at) => queue.markFailed(id, e, at),
    };
    for (let i = 0; i < 12; i++) queue.add({ orderingKey: `k${i % 6}` });
    const sender = new RecordingSender({ delayMs: 5 });
    const clock = new ManualClock(T0);
    const dispatcher = createOutboxDispatcher({
      queue: loose,
      clock,
      logger: silent,
      senders: { test: sender },
      concurrency: 4,
    });
    expect((await dispatcher.runOnce()).sent).toBe(12);
    expect(sender.maxInFlight).toBe(4);
    expect(sender.maxInFlightPerKey).toBe(1);
    for (let k = 0; k < 6; k++) expect(sender.sentIds(`k${k}`)).toEqual([k + 1, k + 7]);
  });

  it('runs in the background, wakes on demand, and stop() waits for sends in flight', async () => {
    const { queue, sender, dispatcher } = setup({ pollIntervalMs: 60_000 });
    dispatcher.start();
    await vi.waitFor(() => expect(queue.claimCalls).toBe(1));
    queue.add({ orderingKey: 'a' });
    queue.add({ orderingKey: 'a' });
    dispatcher.wake(); // without it the next poll is a minute away
    // Row 2 goes out as soon as row 1 is done: a finished send triggers the next claim.
    await vi.waitFor(() => expect(sender.sent.map((r) => r.id)).toEqual([1, 2]));
    sender.delay(50);
    queue.add({ orderingKey: 'b' });
    dispatcher.wake();
    await vi.waitFor(() => expect(sender.inFlight).toBe(1));
    await dispatcher.stop();
    expect(sender.inFlight).toBe(0);
    expect(queue.get(3).status).toBe('sent');
  });

  it('delivers a row claimed again before its previous try has fully finished', async () => {
    const { queue, sender, dispatcher } = setup({ backoff: () => 0, pollIntervalMs: 5 });
    sender.failTimes(1);
    const markRetry = queue.markRetry.bind(queue);
    // The retry is recorded (the row is due again) but the task only ends after more claims.
    queue.markRetry = async (id, error, at) => {
      await markRetry(id, error, at);
      const seen = queue.claimCalls;
      await vi.waitFor(() => expect(queue.claimCalls).toBeGreaterThan(seen + 1));
    };
    queue.add();
    dispatcher.start();
    await vi.waitFor(() => expect(sender.sent).toHaveLength(1));
    await dispatcher.stop();
    expect(queue.get(1)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('sleeps between empty polls instead of spinning', async () => {
    const { queue, dispatcher } = setup({ pollIntervalMs: 20 });
    dispatcher.start();
    await new Promise((r) => setTimeout(r, 110));
    await dispatcher.stop();
    expect(queue.claimCalls).toBeGreaterThanOrEqual(2);
    expect(queue.claimCalls).toBeLessThanOrEqual(8);
  });

  it('logs claim errors and backs off exponentially, then recovers', async () => {
    const { queue, logger, sender, dispatcher } = setup({ pollIntervalMs: 10 });
    queue.failClaims = 3;
    queue.add();
    dispatcher.start();
    await vi.waitFor(() => expect(sender.sent).toHaveLength(1), { timeout: 2000 });
    await dispatcher.stop();
    expect(logger.error).toHaveBeenCalledTimes(3);
    const waits = logger.error.mock.calls.map((c) => (c[0] as { retryInMs: number }).retryInMs);
    expect(waits).toEqual([10, 20, 40]);
  });

  it('claims a backlog a quarter of the slots at a time, not once per finished send', async () => {
    const { queue, sender, dispatcher } = setup({ pollIntervalMs: 5, concurrency: 16 });
    sender.delay(1);
    for (let i = 0; i < 400; i++) queue.add({ orderingKey: `k${i}` });
    dispatcher.start();
    await vi.waitFor(() => expect(sender.sent).toHaveLength(400), { timeout: 5000 });
    await dispatcher.stop();
    // One claim per finished send would be ~400; with 4 free slots per claim, ~100.
    expect(queue.claimCalls).toBeLessThanOrEqual(130);
    expect(sender.maxInFlight).toBeLessThanOrEqual(16);
  });

  it('claims a fresh row at once when there is no backlog, even with sends in flight', async () => {
    const { queue, sender, dispatcher } = setup({ pollIntervalMs: 10_000, concurrency: 8 });
    sender.delay((r) => (r.orderingKey === 'slow' ? 300 : 1));
    queue.add({ orderingKey: 'slow' });
    dispatcher.start();
    await vi.waitFor(() => expect(sender.calls).toHaveLength(1));
    queue.add({ orderingKey: 'fresh' });
    dispatcher.wake();
    await vi.waitFor(() => expect(sender.sent.map((r) => r.orderingKey)).toEqual(['fresh']), {
      timeout: 200,
    });
    await dispatcher.stop();
  });

  it('claims no more of a destination than its free slots', async () => {
    const { queue, sender, dispatcher } = setup({
      pollIntervalMs: 10_000,
      concurrency: 8,
      perDestinationConcurrency: 4,
    });
    sender.delay((r) => (r.orderingKey === 'slow' ? 300 : 1));
    queue.add({ orderingKey: 'slow' });
    dispatcher.start();
    await vi.waitFor(() => expect(sender.calls).toHaveLength(1));
    queue.add({ orderingKey: 'fresh' });
    dispatcher.wake();
    await vi.waitFor(() => expect(sender.sent.map((r) => r.orderingKey)).toEqual(['fresh']));
    await dispatcher.stop();
    expect(queue.claimOptions[0]).toEqual({ perDestination: 4, destinationLimits: {} });
    // The claim after the slow send started: one of test's four slots in use.
    expect(queue.claimOptions[1]).toEqual({ perDestination: 4, destinationLimits: { test: 3 } });
  });

  it('holds new claims while yieldWhile holds, but never longer than MAX_YIELD_MS at a stretch', async () => {
    let busy = true;
    const { queue, sender, dispatcher } = setup({ pollIntervalMs: 10, yieldWhile: () => busy });
    queue.add({ orderingKey: 'a' });
    const started = Date.now();
    dispatcher.start();
    // Webhooks keep arriving: the row waits, then goes anyway (the queue never stops).
    await vi.waitFor(() => expect(sender.sent).toHaveLength(1), { timeout: 2_000 });
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(MAX_YIELD_MS - 20);
    expect(waited).toBeLessThan(MAX_YIELD_MS + 500);
    // Once the burst is over, a fresh row goes at once.
    busy = false;
    queue.add({ orderingKey: 'b' });
    const fresh = Date.now();
    dispatcher.wake();
    await vi.waitFor(() => expect(sender.sent).toHaveLength(2), { timeout: 1_000 });
    expect(Date.now() - fresh).toBeLessThan(MAX_YIELD_MS / 2);
    await dispatcher.stop();
  });

  it('refreshes the queue statistics when a backlog shows, at most once per statisticsEveryMs', async () => {
    const { queue, sender, dispatcher, clock } = setup({
      pollIntervalMs: 5,
      concurrency: 2,
      statisticsEveryMs: 30_000,
    });
    // Fewer rows than slots: no backlog, no ANALYZE.
    queue.add({ orderingKey: 'a' });
    dispatcher.start();
    await vi.waitFor(() => expect(sender.sent).toHaveLength(1));
    expect(queue.analyzed).toBe(0);
    // A backlog: claims come back full. One ANALYZE, however many full claims follow.
    for (let i = 0; i < 20; i++) queue.add({ orderingKey: `b${i}` });
    dispatcher.wake();
    await vi.waitFor(() => expect(sender.sent).toHaveLength(21));
    expect(queue.analyzed).toBe(1);
    // Later, another backlog: another one.
    clock.advance(30_000);
    for (let i = 0; i < 20; i++) queue.add({ orderingKey: `c${i}` });
    dispatcher.wake();
    await vi.waitFor(() => expect(sender.sent).toHaveLength(41));
    expect(queue.analyzed).toBe(2);
    await dispatcher.stop();
  });

  it('delivers a backlog continuously with the loop, keeping per-key order', async () => {
    const { queue, sender, dispatcher } = setup({
      pollIntervalMs: 5,
      concurrency: 3,
      backoff: () => 0,
    });
    sender.delay(1).failTimes(6, 'flaky', (r) => r.id % 7 === 0);
    for (let i = 0; i < 40; i++) queue.add({ orderingKey: `k${i % 5}` });
    dispatcher.start();
    await vi.waitFor(() => expect(sender.sent).toHaveLength(40), { timeout: 5000 });
    await dispatcher.stop();
    for (const [key, ids] of sender.sentByKey()) {
      expect(ids, key).toEqual([...ids].sort((a, b) => a - b));
    }
    expect(sender.calls).toHaveLength(46);
    expect(sender.maxInFlight).toBeLessThanOrEqual(3);
    expect(sender.maxInFlightPerKey).toBe(1);
  });
});
