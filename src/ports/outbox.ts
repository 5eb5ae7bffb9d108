/**
 * The outbox: every message Parley must send is a row, written in the transaction of the change
 * that caused it, and delivered later by the dispatcher through a `Sender`.
 */

/** Where a row goes: a customer channel (`customer:telegram`), `slack`, `manager`, `test`… */
export type Destination = string;

export interface OutboxEnqueue {
  tenantId: string;
  ticketId?: string | null;
  messageId?: string | null;
  destination: Destination;
  /** Rows with the same key are delivered one at a time, in insertion order. */
  orderingKey: string;
  /** Enqueueing the same key twice (per tenant) keeps the first row only. */
  dedupeKey?: string | null;
  payload: Record<string, unknown>;
  maxAttempts?: number;
  notBefore?: Date;
}

/** A claimed row, as its claimer knows it: `attempts` is the claim's fencing token. */
export interface OutboxClaim {
  id: number;
  attempts: number;
}

export interface OutboxWriter {
  enqueue(row: OutboxEnqueue): Promise<void>;
  /**
   * Marks a claimed row sent in the caller's transaction, so the work the row stood for and its
   * mark commit together (a sender whose work is a database change, like the inbound pipeline).
   * False when the claim is no longer ours (the lease expired and the row was claimed again):
   * the caller then rolls back.
   */
  complete?(claim: OutboxClaim, at: Date): Promise<boolean>;
}

export interface OutboxRow {
  id: number;
  tenantId: string;
  ticketId: string | null;
  messageId: string | null;
  destination: Destination;
  orderingKey: string;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
}

export type SendResult =
  /** `recorded`: the sender marked the row sent itself (`OutboxWriter.complete`). */
  | { ok: true; externalId?: string | null; recorded?: boolean }
  /** `retryAfterMs` comes from the platform (HTTP 429 retry_after); `permanent` skips retries. */
  | { ok: false; error: string; retryAfterMs?: number; permanent?: boolean };

/** A destination's sender. Channel adapters implement it in later issues. */
export interface Sender {
  send(row: OutboxRow): Promise<SendResult>;
}

export interface ClaimOptions {
  /** Destinations whose rows are left for later (e.g. their senders are all busy). */
  skipDestinations?: readonly Destination[];
  /** Most rows of any one destination (e.g. the dispatcher's slots per destination). */
  perDestination?: number;
  /** Fewer rows of these destinations (e.g. the slots left where sends are in flight). */
  destinationLimits?: Readonly<Record<Destination, number>>;
}

export interface OutboxQueue {
  /** Claims up to `limit` due rows (FOR UPDATE SKIP LOCKED), at most one per ordering key. */
  claim(limit: number, at: Date, leaseMs: number, opts?: ClaimOptions): Promise<OutboxRow[]>;
  /** `externalId` is the platform's id for what was sent; it lands on the message (receipts find it). */
  markSent(id: number, at: Date, externalId?: string | null): Promise<void>;
  /** `markSent` for several rows at once (one statement, one commit). */
  markSentMany?(
    marks: readonly { id: number; at: Date; externalId?: string | null }[],
  ): Promise<void>;
  /** Schedules another try at `nextAttemptAt`. */
  markRetry(id: number, error: string, nextAttemptAt: Date): Promise<void>;
  /**
   * `holdKeyUntil`: the platform asked to wait (a 429 on the last try): the next rows of the
   * row's ordering key are not sent before then either.
   */
  markFailed(id: number, error: string, at: Date, holdKeyUntil?: Date): Promise<void>;
  /** Gives claimed rows back unsent, due at `at`, without counting the claim as an attempt. */
  release?(ids: readonly number[], at: Date): Promise<void>;
  /** Drops what the queue remembers of a claim its sender recorded itself (`recorded`). */
  forget?(id: number): void;
  /**
   * Brings the planner's statistics of the queue up to date (ANALYZE), for a backlog that grew
   * faster than autovacuum looks (once a minute): see the dispatcher's `statisticsEveryMs`.
   */
  refreshStatistics?(): Promise<void>;
}
