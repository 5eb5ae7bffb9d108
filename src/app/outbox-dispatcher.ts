/**
 * Delivers outbox rows: claims due rows from an `OutboxQueue`, hands each to its destination's
 * `Sender`, and records sent / retry-later / failed.
 *
 * At-least-once: a row is leased for `leaseMs` while it is sent. If this process dies mid-send,
 * the row stays 'sending' until the lease expires and any dispatcher claims (and sends) it again.
 * A send that outlives its lease may be duplicated by another process; keep `leaseMs` above the
 * senders' timeouts.
 *
 * Order: the queue hands out at most the head row of an ordering key, and the next row of that
 * key only after the head is marked sent or failed. Here, rows of one key are never sent at the
 * same time either (a per-key chain), while different keys go out concurrently.
 */
import type { Clock } from '../domain/clock.js';
import type {
  ClaimOptions,
  Destination,
  OutboxQueue,
  OutboxRow,
  SendResult,
  Sender,
} from '../ports/outbox.js';
import { type SentMark, createMarkBatcher } from './outbox-mark-batcher.js';

export interface DispatcherLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export type SenderLookup =
  Record<Destination, Sender> | ((destination: Destination) => Sender | undefined);

export interface OutboxDispatcherOptions {
  queue: OutboxQueue;
  senders: SenderLookup;
  clock: Clock;
  logger: DispatcherLogger;
  /** Most rows one claim takes. */
  batchSize?: number;
  /** How long a claimed row is reserved for this dispatcher. */
  leaseMs?: number;
  /** Sleep between polls when nothing was due (`wake()` cuts it short). */
  pollIntervalMs?: number;
  /** Most sends in flight at once (default 16). */
  concurrency?: number;
  /**
   * Most sends in flight to one destination (default half of `concurrency`): a platform that
   * hangs until the senders' timeout holds only these slots, and the other destinations (and the
   * inbound pipeline) keep going.
   */
  perDestinationConcurrency?: number;
  /** Delay before try `attempt + 1`, given the number of tries made so far. */
  backoff?: (attempt: number) => number;
  /** Called once a row is marked failed (after the last try): e.g. tell the team. */
  onFailed?: (row: OutboxRow, reason: string) => Promise<void>;
  /** Called once a row is marked sent: e.g. mark an agent's reply as sent in Slack. */
  onSent?: (row: OutboxRow) => Promise<void>;
  /**
   * While this holds (webhooks arrive faster than they are answered, in a process that also
   * takes them), new claims wait: acknowledging a platform's webhook comes first (it redelivers
   * what is not answered fast), the queued work is durable. Rows already claimed go on, and a
   * claim waits at most `MAX_YIELD_MS` at a stretch, so the queue never stops.
   */
  yieldWhile?: () => boolean;
  /**
   * With a backlog, the queue's statistics are refreshed (`OutboxQueue.refreshStatistics`) at
   * most this often (default 30 s; 0: never): the claim's plan needs to know the queue is deep.
   */
  statisticsEveryMs?: number;
}

/** Longest a claim waits for `yieldWhile` before it claims anyway. */
export const MAX_YIELD_MS = 250;
const YIELD_STEP_MS = 10;

export interface DispatchCounts {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
}

export interface OutboxDispatcher {
  start(): void;
  /** Stops polling and waits for the sends in flight. */
  stop(): Promise<void>;
  /** One claim of up to `batchSize` rows, delivered (for tests and one-shot tools). */
  runOnce(): Promise<DispatchCounts>;
  /** Poll now, e.g. right after a commit that enqueued rows. */
  wake(): void;
}

/** 1 s, 2 s, 4 s … capped at `maxMs`, each minus up to `jitter` of itself (spreads retries). */
export function exponentialBackoff(
  opts: { baseMs?: number; maxMs?: number; jitter?: number; random?: () => number } = {},
): (attempt: number) => number {
  const { baseMs = 1_000, maxMs = 300_000, jitter = 0.2, random = Math.random } = opts;
  return (attempt) => {
    const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
    return Math.round(exp * (1 - jitter * random()));
  };
}

type Outcome = 'sent' | 'retried' | 'failed' | 'unrecorded';

const MAX_ERROR_SLEEP_MS = 30_000;

export function createOutboxDispatcher(opts: OutboxDispatcherOptions): OutboxDispatcher {
  const { queue, clock, logger } = opts;
  const batchSize = opts.batchSize ?? 50;
  const leaseMs = opts.leaseMs ?? 30_000;
  const pollIntervalMs = opts.pollIntervalMs ?? 200;
  const concurrency = Math.max(1, opts.concurrency ?? 16);
  const perDestination = Math.max(
    1,
    Math.min(concurrency, opts.perDestinationConcurrency ?? Math.ceil(concurrency / 2)),
  );
  const backoff = opts.backoff ?? exponentialBackoff();
  const statisticsEveryMs = opts.statisticsEveryMs ?? 30_000;
  const senders = opts.senders;
  const senderFor = (destination: Destination): Sender | undefined =>
    typeof senders === 'function'
      ? senders(destination)
      : Object.hasOwn(senders, destination)
        ? senders[destination]
        : undefined;

  // Marks of sends that finish together go out in one statement (outbox-mark-batcher.ts).
  const markSent = queue.markSentMany
    ? createMarkBatcher({
        writeMany: (marks) => queue.markSentMany!(marks),
        writeOne: (m) => queue.markSent(m.id, m.at, m.externalId),
      })
    : (m: SentMark) => queue.markSent(m.id, m.at, m.externalId);

  /** Claimed rows whose send has not returned yet. */
  const unsentIds = new Set<number>();

  const describe = (row: OutboxRow) => ({
    outboxId: row.id,
    tenantId: row.tenantId,
    ticketId: row.ticketId,
    destination: row.destination,
    orderingKey: row.orderingKey,
    attempt: row.attempts,
  });

  async function attemptSend(row: OutboxRow, sender: Sender): Promise<SendResult> {
    try {
      return await sender.send(row);
    } catch (err) {
      return { ok: false, error: errorMessage(err) };
    }
  }

  type Verdict =
    | { kind: 'sent'; externalId: string | null; recorded?: boolean }
    | { kind: 'retry'; error: string; delayMs: number }
    | { kind: 'fail'; reason: string; holdKeyMs?: number };

  /** Sends the row (unless it cannot go anywhere) and decides what to record. */
  async function decide(row: OutboxRow): Promise<Verdict> {
    if (row.attempts > row.maxAttempts) {
      // Only leases that expired without a result get here (e.g. a payload that crashes us).
      return {
        kind: 'fail',
        reason: `no result after ${row.maxAttempts} attempts (lease expired)`,
      };
    }
    const sender = senderFor(row.destination);
    if (!sender) return { kind: 'fail', reason: `no sender for ${row.destination}` };
    const result = await attemptSend(row, sender);
    if (result.ok)
      return { kind: 'sent', externalId: result.externalId ?? null, recorded: result.recorded };
    if (result.permanent) return { kind: 'fail', reason: result.error };
    const retryAfter = result.retryAfterMs;
    if (row.attempts >= row.maxAttempts) {
      const reason = `${result.error} (gave up after ${row.attempts} attempts)`;
      // Still rate-limited: the next message to this chat must wait as long as this one would have.
      return retryAfter !== undefined && Number.isFinite(retryAfter) && retryAfter > 0
        ? { kind: 'fail', reason, holdKeyMs: retryAfter }
        : { kind: 'fail', reason };
    }
    const delayMs =
      retryAfter !== undefined && Number.isFinite(retryAfter)
        ? Math.max(0, retryAfter) // never earlier than the platform said
        : Math.max(0, backoff(row.attempts));
    return { kind: 'retry', error: result.error, delayMs };
  }

  /** Sends one claimed row and records the result. Never throws. */
  async function deliver(row: OutboxRow): Promise<Outcome> {
    const claimedAt = clock.now().getTime();
    let verdict: Verdict;
    try {
      verdict = await decide(row);
    } catch (err) {
      logger.error({ ...describe(row), err }, 'outbox: delivery crashed; the lease will expire');
      return 'unrecorded';
    } finally {
      // From here on a claim of this id is a new one (after our mark, or our lease expired).
      unsentIds.delete(row.id);
    }
    const now = clock.now();
    if (now.getTime() - claimedAt > leaseMs) {
      logger.warn(describe(row), 'outbox: send outlived its lease; it may be sent twice');
    }
    try {
      switch (verdict.kind) {
        case 'sent':
          // A sender that recorded the row itself did so in its own transaction.
          if (verdict.recorded) queue.forget?.(row.id);
          else await markSent({ id: row.id, at: now, externalId: verdict.externalId });
          logger.debug(describe(row), 'outbox: sent');
          await opts
            .onSent?.(row)
            .catch((err: unknown) =>
              logger.warn({ ...describe(row), err }, 'outbox: after-send hook failed'),
            );
          return 'sent';
        case 'retry':
          await queue.markRetry(row.id, verdict.error, new Date(now.getTime() + verdict.delayMs));
          logger.info(
            { ...describe(row), error: verdict.error, delayMs: verdict.delayMs },
            'outbox: will retry',
          );
          return 'retried';
        case 'fail':
          await queue.markFailed(
            row.id,
            verdict.reason,
            now,
            verdict.holdKeyMs !== undefined
              ? new Date(now.getTime() + verdict.holdKeyMs)
              : undefined,
          );
          logger.warn({ ...describe(row), reason: verdict.reason }, 'outbox: delivery failed');
          await opts
            .onFailed?.(row, verdict.reason)
            .catch((err: unknown) =>
              logger.warn({ ...describe(row), err }, 'outbox: failure notice not recorded'),
            );
          return 'failed';
      }
    } catch (err) {
      // The database refused the mark: the lease expires and the row is claimed again.
      logger.error({ ...describe(row), err }, 'outbox: could not record the delivery result');
      return 'unrecorded';
    }
  }

  // ---- delivery with bounded concurrency, one row at a time per ordering key ----
  const inFlight = new Set<Promise<void>>();
  const keyTails = new Map<string, Promise<void>>();
  const perDestinationInFlight = new Map<Destination, number>();
  const busyDestinations = (): Destination[] =>
    [...perDestinationInFlight].filter(([, n]) => n >= perDestination).map(([d]) => d);
  /** What a claim may take: each destination's free slots (all of them where none is in use). */
  function claimOptions(): ClaimOptions {
    const busy = busyDestinations();
    const destinationLimits: Record<Destination, number> = {};
    for (const [d, n] of perDestinationInFlight) destinationLimits[d] = perDestination - n;
    return {
      perDestination,
      destinationLimits,
      ...(busy.length > 0 ? { skipDestinations: busy } : {}),
    };
  }

  /** Rows a claim took beyond their destination's free slots: handed back, else sent anyway. */
  async function overflowOf(rows: OutboxRow[]): Promise<OutboxRow[]> {
    const taken = new Map<Destination, number>();
    const keep: OutboxRow[] = [];
    const back: OutboxRow[] = [];
    for (const row of rows) {
      const n =
        (perDestinationInFlight.get(row.destination) ?? 0) + (taken.get(row.destination) ?? 0);
      if (n >= perDestination && queue.release) back.push(row);
      else {
        keep.push(row);
        taken.set(row.destination, (taken.get(row.destination) ?? 0) + 1);
      }
    }
    if (back.length > 0) {
      try {
        await queue.release!(
          back.map((r) => r.id),
          clock.now(),
        );
      } catch (err) {
        // Not handed back: send them after all rather than let their leases run out here.
        logger.warn({ err, rows: back.length }, 'outbox: could not release rows');
        return rows;
      }
    }
    return keep;
  }
  const counts: DispatchCounts = { claimed: 0, sent: 0, retried: 0, failed: 0 };

  function spawn(row: OutboxRow): void {
    if (unsentIds.has(row.id)) {
      // Our lease ran out mid-send and we re-claimed our own row: the first send records it
      // (the queue's fencing token now points at the new claim).
      logger.warn(describe(row), 'outbox: row re-claimed while still being sent here');
      return;
    }
    unsentIds.add(row.id);
    const destination = row.destination;
    perDestinationInFlight.set(destination, (perDestinationInFlight.get(destination) ?? 0) + 1);
    const previous = keyTails.get(row.orderingKey) ?? Promise.resolve();
    const task: Promise<void> = previous
      .then(() => deliver(row))
      .then((outcome) => {
        if (outcome !== 'unrecorded') counts[outcome] += 1;
      })
      .finally(() => {
        inFlight.delete(task);
        const left = (perDestinationInFlight.get(destination) ?? 1) - 1;
        if (left > 0) perDestinationInFlight.set(destination, left);
        else perDestinationInFlight.delete(destination);
        if (keyTails.get(row.orderingKey) === task) keyTails.delete(row.orderingKey);
        signal(); // a slot is free, and the next row of this key may be due now
      });
    keyTails.set(row.orderingKey, task);
    inFlight.add(task);
  }

  async function waitForSlot(): Promise<void> {
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
  }

  async function runOnce(): Promise<DispatchCounts> {
    const before = { ...counts };
    const rows = await queue.claim(batchSize, clock.now(), leaseMs);
    counts.claimed += rows.length;
    for (const row of rows) {
      await waitForSlot();
      spawn(row);
    }
    await Promise.all(inFlight);
    return {
      claimed: counts.claimed - before.claimed,
      sent: counts.sent - before.sent,
      retried: counts.retried - before.retried,
      failed: counts.failed - before.failed,
    };
  }

  // ---- the polling loop ----
  let running = false;
  let loop: Promise<void> | null = null;
  let signalled = false;
  let wakeUp: (() => void) | null = null;

  function signal(): void {
    signalled = true;
    wakeUp?.();
  }

  /** Sleeps up to `ms`, or until `wake()`, `stop()` or a finished send. */
  function pause(ms: number): Promise<void> {
    if (signalled) {
      signalled = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = null;
        signalled = false;
        resolve();
      }
      wakeUp = done;
    });
  }

  /**
   * With a backlog (the last claim filled every free slot), claim again only once a quarter of
   * the slots is free: one claim per few rows instead of one per finished send. Without one, a
   * free slot is enough, so a fresh row goes out at once.
   */
  const minClaim = Math.max(1, Math.min(batchSize, Math.floor(concurrency / 4)));
  let backlog = false;

  // ---- statistics: a backlog that grew faster than autovacuum analyzes ----
  let statisticsAt = Number.NEGATIVE_INFINITY;
  let analyzing = false;
  function refreshStatistics(): void {
    if (!queue.refreshStatistics || statisticsEveryMs <= 0 || analyzing) return;
    const now = clock.now().getTime();
    if (now - statisticsAt < statisticsEveryMs) return;
    statisticsAt = now;
    analyzing = true;
    queue
      .refreshStatistics()
      .catch((err: unknown) =>
        logger.warn({ err }, 'outbox: ANALYZE failed; claims may be slow until autovacuum runs'),
      )
      .finally(() => {
        analyzing = false;
      });
  }

  async function poll(): Promise<void> {
    let errorSleepMs = 0;
    let yieldedSince: number | null = null;
    while (running) {
      const free = concurrency - inFlight.size;
      if (free <= 0 || (backlog && free < minClaim && inFlight.size > 0)) {
        await pause(pollIntervalMs);
        continue;
      }
      if (opts.yieldWhile?.()) {
        // Not `pause`: every recorded webhook wakes the dispatcher, which would cut it short.
        const now = Date.now();
        yieldedSince ??= now;
        if (now - yieldedSince < MAX_YIELD_MS) {
          await new Promise((resolve) => setTimeout(resolve, YIELD_STEP_MS));
          continue;
        }
      }
      yieldedSince = null;
      let rows: OutboxRow[];
      try {
        // Claim only what can start now, so no claimed row waits for a slot with its lease ticking:
        // no more of a destination than its free slots (rows handed back would go to the end of
        // the due order, behind the rows queued after them on their keys, which every claim
        // would then walk past); destinations with all their slots taken are left for later.
        const wanted = Math.min(batchSize, free);
        rows = await queue.claim(wanted, clock.now(), leaseMs, claimOptions());
        backlog = rows.length >= wanted;
        if (backlog) refreshStatistics();
        errorSleepMs = 0;
      } catch (err) {
        errorSleepMs = Math.min(MAX_ERROR_SLEEP_MS, Math.max(pollIntervalMs, errorSleepMs * 2));
        logger.error({ err, retryInMs: errorSleepMs }, 'outbox: claim failed');
        await pause(errorSleepMs);
        continue;
      }
      const claimedAny = rows.length > 0;
      rows = await overflowOf(rows);
      counts.claimed += rows.length;
      for (const row of rows) spawn(row);
      if (!claimedAny) await pause(pollIntervalMs);
    }
  }

  return {
    runOnce,
    start() {
      if (running) return;
      running = true;
      signalled = false;
      loop = poll();
    },
    async stop() {
      running = false;
      signal();
      await loop;
      loop = null;
      await Promise.all(inFlight);
    },
    wake: signal,
  };
}

function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return typeof err === 'string' ? err : String(err);
}
