/**
 * The outbox in PostgreSQL: a writer used inside the transaction of a change, and the queue the
 * dispatchers claim from.
 *
 * Delivery is at-least-once. A claim leases a row (`status='sending'`, `locked_until`); while the
 * lease holds no other claimer gets the row. A process that dies mid-send leaves the row in
 * 'sending'; when the lease expires the row is claimed again and sent again. A slow sender whose
 * lease expired may therefore send a row twice: leases must be longer than a sender's timeout,
 * and hosts' clocks (leases use the dispatcher's Clock) must agree to well within a lease.
 */
import { type SQL, sql } from 'drizzle-orm';
import { type Clock, systemClock } from '../domain/clock.js';
import type {
  ClaimOptions,
  OutboxClaim,
  OutboxEnqueue,
  OutboxQueue,
  OutboxRow,
  OutboxWriter,
} from '../ports/outbox.js';
import type { Executor } from './executor.js';
import { isoOrNull, jsonRows, storableJson } from './json-rows.js';

/**
 * Class id of the transaction-level advisory lock `enqueue` takes on (class, hashtext(key)).
 * Two transactions enqueueing to one ordering key are serialized from id allocation to commit,
 * so ids of one key become visible in id order and a claimer can never send row 11 while row 10
 * is still uncommitted (and invisible to it). A hash collision only serializes unrelated keys.
 * Enqueue to several keys in a stable order (e.g. customer before slack) to avoid deadlocks.
 */
const ENQUEUE_LOCK_CLASS = 0x0b0c;

export interface OutboxWriterOptions {
  /** Due times come from the application's clock (tests move it), not the database's. */
  clock?: Clock;
  /** Tries before a row is failed, unless the row says otherwise (OUTBOX_MAX_ATTEMPTS). */
  maxAttempts?: number;
}

const arr = (values: readonly unknown[]) => sql.param(values);

/**
 * A payload as JSON for jsonb, without NUL characters or lone surrogates (jsonb refuses both,
 * and one in a customer's message would otherwise fail its webhook on every retry).
 */
export function payloadJson(payload: Record<string, unknown>): string {
  return storableJson(payload);
}

/**
 * Many rows in one statement (the SLA sweep's batch, concurrent webhooks' group commit): the
 * ordering keys' advisory locks are taken in one pass in hash order (two writers never wait on
 * each other in a circle) before any row gets its id; rows keep their given order; a dedupe key
 * already present is skipped. The rows travel as one jsonb parameter (payloads made storable as
 * in `payloadJson`).
 */
export async function insertOutboxRows(
  db: Executor,
  rows: readonly OutboxEnqueue[],
  opts: OutboxWriterOptions = {},
): Promise<void> {
  if (rows.length === 0) return;
  const now = (opts.clock ?? systemClock).now();
  const defaultMaxAttempts = opts.maxAttempts ?? 8;
  const values = rows.map((r) => ({
    tenant_id: r.tenantId,
    ticket_id: r.ticketId ?? null,
    message_id: r.messageId ?? null,
    destination: r.destination,
    ordering_key: r.orderingKey,
    dedupe_key: r.dedupeKey ?? null,
    payload: r.payload,
    max_attempts: r.maxAttempts ?? defaultMaxAttempts,
    next_attempt_at: isoOrNull(r.notBefore ?? now),
  }));
  await db.execute(sql`
    WITH r AS MATERIALIZED (
      SELECT * FROM ROWS FROM (jsonb_to_recordset(${jsonRows(values)}) AS (
        tenant_id uuid, ticket_id uuid, message_id uuid, destination text, ordering_key text,
        dedupe_key text, payload jsonb, max_attempts int, next_attempt_at timestamptz
      )) WITH ORDINALITY AS r(tenant_id, ticket_id, message_id, destination, ordering_key,
                              dedupe_key, payload, max_attempts, next_attempt_at, n)
    ),
    keys AS MATERIALIZED (
      SELECT DISTINCT hashtext(ordering_key) AS h FROM r ORDER BY 1
    ),
    serialize AS MATERIALIZED (
      SELECT count(pg_advisory_xact_lock(${ENQUEUE_LOCK_CLASS}::int, h)) AS locked FROM keys
    )
    INSERT INTO outbox (tenant_id, ticket_id, message_id, destination, ordering_key,
                        dedupe_key, payload, max_attempts, next_attempt_at)
    SELECT r.tenant_id, r.ticket_id, r.message_id, r.destination, r.ordering_key,
           r.dedupe_key, r.payload, r.max_attempts, r.next_attempt_at
    FROM serialize, r
    WHERE serialize.locked >= 0
    ORDER BY r.n
    ON CONFLICT (tenant_id, dedupe_key) DO NOTHING`);
}

/**
 * One outbox row as a statement; `before` are more CTEs (e.g. the message the row delivers)
 * run in the same statement. The lock is taken before nextval() and held until the caller's
 * commit (or, outside a transaction, until this statement's own commit).
 */
export function enqueueStatement(
  row: OutboxEnqueue,
  opts: OutboxWriterOptions = {},
  before?: SQL,
): SQL {
  return sql`
    WITH ${before ? sql`${before}, ` : sql``}serialize AS (
      SELECT pg_advisory_xact_lock(${ENQUEUE_LOCK_CLASS}::int, hashtext(${row.orderingKey}::text))
    )
    INSERT INTO outbox (tenant_id, ticket_id, message_id, destination, ordering_key,
                        dedupe_key, payload, max_attempts, next_attempt_at)
    SELECT ${row.tenantId}::uuid, ${row.ticketId ?? null}::uuid, ${row.messageId ?? null}::uuid,
           ${row.destination}::text, ${row.orderingKey}::text, ${row.dedupeKey ?? null}::text,
           ${payloadJson(row.payload)}::jsonb, ${row.maxAttempts ?? opts.maxAttempts ?? 8}::int,
           ${row.notBefore ?? (opts.clock ?? systemClock).now()}::timestamptz
    FROM serialize
    ON CONFLICT (tenant_id, dedupe_key) DO NOTHING`;
}

export function createOutboxWriter(db: Executor, opts: OutboxWriterOptions = {}): OutboxWriter {
  return {
    async enqueue(row: OutboxEnqueue): Promise<void> {
      await db.execute(enqueueStatement(row, opts));
    },
    async complete(claim: OutboxClaim, at: Date): Promise<boolean> {
      const result = await db.execute(sql`
        UPDATE outbox SET status = 'sent', sent_at = ${at}::timestamptz, locked_until = NULL
        WHERE id = ${claim.id} AND status = 'sending' AND attempts = ${claim.attempts}::int`);
      return (result.rowCount ?? 0) > 0;
    },
  };
}

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

export interface OutboxStats {
  pending: number;
  sending: number;
  sent: number;
  failed: number;
  /** The earliest `next_attempt_at` of a pending row: how far behind delivery is. */
  oldestPendingAt: Date | null;
}

export interface OutboxQueueStore extends OutboxQueue {
  /** Rows waiting or in flight (status pending or sending); served by the partial indexes. */
  pendingCount(): Promise<number>;
  /** Counts per status for /metrics (a full scan: prune old 'sent' rows). */
  stats(): Promise<OutboxStats>;
  refreshStatistics(): Promise<void>;
}

interface ClaimedRow extends Record<string, unknown> {
  id: string | number;
  tenant_id: string;
  ticket_id: string | null;
  message_id: string | null;
  destination: string;
  ordering_key: string;
  payload: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
}

/**
 * Claims and marks get their time from the dispatcher. A failed row is sent again from its
 * message (`DeliveryRetryStore`, ports/delivery-retry.ts), not through the queue.
 */
export function createOutboxQueue(db: Executor): OutboxQueueStore {
  /**
   * Fencing: the attempt number this queue handed out per claimed row. Marks only apply while
   * the row is still 'sending' at that attempt, so a sender whose lease expired (and whose row
   * another claimer took over) cannot mark the row sent and let the next row of its key overtake
   * the re-send. Without an entry (the row was claimed elsewhere) marks need 'sending' only.
   */
  const leases = new Map<number, number>();
  const takeLease = (id: number): number | null => {
    const attempt = leases.get(id) ?? null;
    leases.delete(id);
    return attempt;
  };
  const owned = (id: number, attempt: number | null) =>
    sql`id = ${id} AND status = 'sending' AND (${attempt}::int IS NULL OR attempts = ${attempt}::int)`;

  return {
    /**
     * One statement, so the claim is atomic. A row is claimable when it is due (pending and
     * `next_attempt_at <= at`, or sending with an expired lease) and no smaller id of its
     * ordering key is still pending or sending — it is the head of its key, so at most one row
     * per key qualifies and `DISTINCT ON` is not needed.
     *
     * Per destination: each destination ever written (`outbox_destinations`, kept by a trigger
     * in the inserting transaction) that is not skipped gives its first claimable rows in due
     * order (at most `limit`, `perDestination` or its `destinationLimits` entry, so a dispatcher
     * gets no rows it has no slot for and would hand back), a range of `outbox_destination_due_idx` (destination, next_attempt_at, id WHERE
     * status in pending/sending; the head test probes `outbox_ordering_idx`). A skipped
     * destination's rows are never read, however deep its backlog. Of these candidates the
     * earliest due are locked and claimed. Claiming sets `next_attempt_at = locked_until`, so
     * due rows of both kinds are one range per destination. The cost grows with the number of
     * destinations (a few channels, Slack, and each webhook subscription that ever had a
     * delivery: one index descent each when empty), with the dead entries of rows already sent
     * at the start of a destination's range until vacuum removes them, and with rows queued
     * behind a busy head of their key, which are walked past: keep ordering keys per
     * conversation.
     *
     * Two concurrent claimers: both may see the same head H. The first locks it; the second
     * skips it (SKIP LOCKED) and does not take H+1 either, because in its snapshot H is still
     * pending. If the first has already committed, the second re-checks H's new version
     * (READ COMMITTED re-evaluation on lock, of the conditions restated on the locking scan): it
     * is 'sending' with a live lease, so it is skipped. H+1 becomes the head only once H is
     * committed as sent or failed.
     */
    async claim(
      limit: number,
      at: Date,
      leaseMs: number,
      opts: ClaimOptions = {},
    ): Promise<OutboxRow[]> {
      if (limit <= 0) return [];
      const until = new Date(at.getTime() + leaseMs);
      const skip = opts.skipDestinations ?? [];
      const limited = Object.entries(opts.destinationLimits ?? {});
      const perDestination = Math.min(limit, opts.perDestination ?? limit);
      const due = (o: SQL) => sql`${o}.status IN ('pending', 'sending')
            AND ${o}.next_attempt_at <= ${at}::timestamptz
            AND (${o}.status = 'pending' OR ${o}.locked_until IS NULL
                 OR ${o}.locked_until < ${at}::timestamptz)`;
      const result = await db.execute<ClaimedRow>(sql`
        WITH candidates AS MATERIALIZED (
          SELECT c.id
          FROM outbox_destinations d
          CROSS JOIN LATERAL (
            SELECT o.id
            FROM outbox o
            WHERE o.destination = d.destination
              AND ${due(sql`o`)}
              AND NOT EXISTS (
                SELECT 1 FROM outbox e
                WHERE e.ordering_key = o.ordering_key
                  AND e.id < o.id
                  AND e.status IN ('pending', 'sending'))
            ORDER BY o.next_attempt_at, o.id
            LIMIT (SELECT coalesce(min(l.n), ${perDestination}::int)
                   FROM unnest(${arr(limited.map(([d]) => d))}::text[],
                               ${arr(limited.map(([, n]) => Math.max(0, Math.min(n, perDestination))))}::int[])
                     AS l(destination, n)
                   WHERE l.destination = d.destination)
          ) c
          WHERE (${skip.length}::int = 0 OR d.destination <> ALL(${arr(skip)}::text[]))
        ),
        claimable AS (
          SELECT o.id
          FROM outbox o
          WHERE o.id = ANY(ARRAY(SELECT id FROM candidates)) AND ${due(sql`o`)}
          ORDER BY o.next_attempt_at, o.id
          LIMIT ${limit}::int
          FOR UPDATE OF o SKIP LOCKED
        )
        UPDATE outbox u
        SET status = 'sending', attempts = u.attempts + 1,
            locked_until = ${until}::timestamptz, next_attempt_at = ${until}::timestamptz
        FROM claimable c
        WHERE u.id = c.id
        RETURNING u.id, u.tenant_id, u.ticket_id, u.message_id, u.destination, u.ordering_key,
                  u.payload, u.attempts, u.max_attempts`);
      const rows = result.rows.map(toOutboxRow).sort((a, b) => a.id - b.id);
      for (const row of rows) leases.set(row.id, row.attempts);
      return rows;
    },

    /**
     * ANALYZE of the outbox, skipped when another one is running. The claim's plan depends on
     * how many rows the planner believes unfinished: a burst turns "a few" into tens of
     * thousands within seconds, and until statistics follow, the claim's head-of-key check is
     * planned as a scan of every unfinished row (claim-explain --stale-stats: 70-190 ms a claim
     * against 0.3 ms). Analyzing samples at most 30,000 rows: tens of milliseconds.
     */
    async refreshStatistics(): Promise<void> {
      await db.execute(sql`ANALYZE (SKIP_LOCKED) outbox`);
    },

    async markSent(id: number, at: Date, externalId?: string | null): Promise<void> {
      await db.execute(sql`
        WITH done AS (
          UPDATE outbox SET status = 'sent', sent_at = ${at}::timestamptz, locked_until = NULL
          WHERE ${owned(id, takeLease(id))}
          RETURNING tenant_id, message_id
        )
        UPDATE messages m SET
          delivery_status = CASE WHEN m.delivery_status IN ('delivered', 'read') THEN m.delivery_status ELSE 'sent' END,
          delivery_error = NULL,
          external_id = COALESCE(${externalId ?? null}::text, m.external_id)
        FROM done
        WHERE m.id = done.message_id AND m.tenant_id = done.tenant_id`);
    },

    /** `markSent` for many rows in one statement (the dispatcher's group commit of marks). */
    async markSentMany(marks): Promise<void> {
      if (marks.length === 0) return;
      const attempts = marks.map((m) => takeLease(m.id));
      const restore = (err: unknown) => {
        // Not written: the marks are retried one by one, with their fencing tokens.
        marks.forEach((m, i) => attempts[i] != null && leases.set(m.id, attempts[i]!));
        throw err;
      };
      await db
        .execute(
          sql`
        WITH r AS (
          SELECT * FROM unnest(${arr(marks.map((m) => m.id))}::bigint[], ${arr(attempts)}::int[],
                               ${arr(marks.map((m) => m.at))}::timestamptz[],
                               ${arr(marks.map((m) => m.externalId ?? null))}::text[])
            AS r(id, attempt, at, external_id)
        ), done AS (
          UPDATE outbox o SET status = 'sent', sent_at = r.at, locked_until = NULL
          FROM r
          WHERE o.id = r.id AND o.status = 'sending' AND (r.attempt IS NULL OR o.attempts = r.attempt)
          RETURNING o.tenant_id, o.message_id, r.external_id
        )
        UPDATE messages m SET
          delivery_status = CASE WHEN m.delivery_status IN ('delivered', 'read') THEN m.delivery_status ELSE 'sent' END,
          delivery_error = NULL,
          external_id = COALESCE(done.external_id, m.external_id)
        FROM done
        WHERE m.id = done.message_id AND m.tenant_id = done.tenant_id`,
        )
        .catch(restore);
    },

    async markRetry(id: number, error: string, nextAttemptAt: Date): Promise<void> {
      await db.execute(sql`
        UPDATE outbox
        SET status = 'pending', last_error = ${error}::text, locked_until = NULL,
            next_attempt_at = ${nextAttemptAt}::timestamptz
        WHERE ${owned(id, takeLease(id))}`);
    },

    /** One statement (atomic): row, message, ticket and audit event change together. */
    async markFailed(id: number, error: string, at: Date, holdKeyUntil?: Date): Promise<void> {
      await db.execute(sql`
        WITH failed AS (
          UPDATE outbox SET status = 'failed', last_error = ${error}::text, locked_until = NULL
          WHERE ${owned(id, takeLease(id))}
          RETURNING tenant_id, ticket_id, message_id, ordering_key
        ), held AS (
          UPDATE outbox o SET next_attempt_at = ${holdKeyUntil ?? null}::timestamptz
          FROM failed f
          WHERE ${holdKeyUntil ?? null}::timestamptz IS NOT NULL
            AND o.ordering_key = f.ordering_key AND o.status = 'pending'
            AND o.next_attempt_at < ${holdKeyUntil ?? null}::timestamptz
        ), message AS (
          UPDATE messages m SET delivery_status = 'failed', delivery_error = ${error}::text
          FROM failed f WHERE m.id = f.message_id AND m.tenant_id = f.tenant_id
        ), ticket AS (
          UPDATE tickets t SET last_delivery_error = ${error}::text
          FROM failed f WHERE t.id = f.ticket_id AND t.tenant_id = f.tenant_id
        )
        INSERT INTO audit_events (tenant_id, entity_type, entity_id, ticket_id, action,
                                  actor_type, actor_id, changes, created_at)
        SELECT f.tenant_id, 'ticket', f.ticket_id, f.ticket_id, 'delivery_failed', 'system', NULL,
               jsonb_build_object('delivery',
                 jsonb_build_object('from', NULL, 'to', ${error}::text)),
               ${at}::timestamptz
        FROM failed f WHERE f.ticket_id IS NOT NULL`);
    },

    forget(id: number): void {
      leases.delete(id);
    },

    /**
     * Hands claimed, unsent rows back as they were (the claim's attempt is not counted), due at
     * `at` or, when the rows queued behind one on its key are due earlier, at the earliest of
     * theirs: a head due after its followers would have them walked past by every claim.
     */
    async release(ids: readonly number[], at: Date): Promise<void> {
      if (ids.length === 0) return;
      const attempts = ids.map((id) => takeLease(id));
      await db.execute(sql`
        UPDATE outbox o
        SET status = 'pending', attempts = o.attempts - 1, locked_until = NULL,
            next_attempt_at = LEAST(${at}::timestamptz, (
              SELECT min(e.next_attempt_at) FROM outbox e
              WHERE e.ordering_key = o.ordering_key AND e.id > o.id
                AND e.status IN ('pending', 'sending')))
        FROM unnest(${arr(ids)}::bigint[], ${arr(attempts)}::int[]) AS r(id, attempt)
        WHERE o.id = r.id AND o.status = 'sending'
          AND (r.attempt IS NULL OR o.attempts = r.attempt)`);
    },

    async pendingCount(): Promise<number> {
      const result = await db.execute<{ n: string }>(
        sql`SELECT count(*) AS n FROM outbox WHERE status IN ('pending', 'sending')`,
      );
      return Number(result.rows[0]?.n ?? 0);
    },

    async stats(): Promise<OutboxStats> {
      const result = await db.execute<{ status: string; n: string; oldest_ms: number | null }>(sql`
        SELECT status, count(*) AS n,
               (extract(epoch FROM min(next_attempt_at) FILTER (WHERE status = 'pending'))
                 * 1000)::float8 AS oldest_ms
        FROM outbox GROUP BY status`);
      const stats: OutboxStats = {
        pending: 0,
        sending: 0,
        sent: 0,
        failed: 0,
        oldestPendingAt: null,
      };
      for (const row of result.rows) {
        if (isStatus(row.status)) stats[row.status] = Number(row.n);
        if (row.status === 'pending' && row.oldest_ms !== null) {
          stats.oldestPendingAt = new Date(row.oldest_ms);
        }
      }
      return stats;
    },
  };
}

const STATUSES: readonly OutboxStatus[] = ['pending', 'sending', 'sent', 'failed'];
const isStatus = (s: string): s is OutboxStatus => (STATUSES as readonly string[]).includes(s);

function toOutboxRow(r: ClaimedRow): OutboxRow {
  return {
    id: Number(r.id),
    tenantId: r.tenant_id,
    ticketId: r.ticket_id,
    messageId: r.message_id,
    destination: r.destination,
    orderingKey: r.ordering_key,
    payload: r.payload,
    attempts: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
  };
}
