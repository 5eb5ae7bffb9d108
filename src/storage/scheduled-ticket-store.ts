/** Tickets to open later: idempotent on (tenant, external key); the sweep claims due rows. */
import { type SQL, and, asc, eq, inArray, sql } from 'drizzle-orm';
import type {
  ScheduledTicket,
  ScheduledTicketStatus,
  ScheduledTicketStore,
} from '../ports/timer-stores.js';
import type { Executor } from './executor.js';
import { scheduledTickets } from './schema.js';

type Row = typeof scheduledTickets.$inferSelect;

const toScheduled = (r: Row): ScheduledTicket => ({
  id: r.id,
  tenantId: r.tenantId,
  externalKey: r.externalKey,
  runAt: r.runAt,
  ticket: r.ticket as Record<string, unknown>,
  status: r.status as ScheduledTicketStatus,
  ticketId: r.ticketId,
  error: r.error,
  attempts: r.attempts,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

/**
 * Retry back-off after a failed attempt, from `updated_at` (the failure): 30 s, 2 min, 8 min,
 * 32 min (the fifth failure marks the row failed).
 */
const BACKOFF = sql`interval '30 seconds' * power(4, greatest(${scheduledTickets.attempts} - 1, 0))`;

export function createScheduledTicketStore(db: Executor): ScheduledTicketStore {
  async function findOne(tenantId: string, cond: SQL, forUpdate?: boolean) {
    let q = db
      .select()
      .from(scheduledTickets)
      .where(and(eq(scheduledTickets.tenantId, tenantId), cond))
      .$dynamic();
    if (forUpdate) q = q.for('update');
    const [row] = await q.limit(1);
    return row ? toScheduled(row) : null;
  }

  return {
    async insert(input) {
      const [row] = await db
        .insert(scheduledTickets)
        .values({
          tenantId: input.tenantId,
          externalKey: input.externalKey,
          runAt: input.runAt,
          ticket: input.ticket,
          createdAt: input.at,
          updatedAt: input.at,
        })
        .onConflictDoNothing({ target: [scheduledTickets.tenantId, scheduledTickets.externalKey] })
        .returning();
      return row ? toScheduled(row) : null;
    },

    findById: (tenantId, id, opts) =>
      findOne(tenantId, eq(scheduledTickets.id, id), opts?.forUpdate),

    findByKey: (tenantId, key, opts) =>
      findOne(tenantId, eq(scheduledTickets.externalKey, key), opts?.forUpdate),

    async list(tenantId, filter, page) {
      const where: SQL[] = [eq(scheduledTickets.tenantId, tenantId)];
      if (filter.status?.length) where.push(inArray(scheduledTickets.status, filter.status));
      if (page.after) {
        where.push(
          sql`(${scheduledTickets.runAt}, ${scheduledTickets.id}) > (${page.after.runAt}::timestamptz, ${page.after.id}::uuid)`,
        );
      }
      const rows = await db
        .select()
        .from(scheduledTickets)
        .where(and(...where))
        .orderBy(asc(scheduledTickets.runAt), asc(scheduledTickets.id))
        .limit(page.limit);
      return rows.map(toScheduled);
    },

    async claimDue(at, limit) {
      const rows = await db
        .select()
        .from(scheduledTickets)
        .where(
          and(
            eq(scheduledTickets.status, 'scheduled'),
            sql`${scheduledTickets.runAt} <= ${at}::timestamptz`,
            sql`(${scheduledTickets.attempts} = 0 OR ${scheduledTickets.updatedAt} <= ${at}::timestamptz - ${BACKOFF})`,
          ),
        )
        .orderBy(asc(scheduledTickets.runAt), asc(scheduledTickets.id))
        .limit(limit)
        .for('update', { skipLocked: true });
      return rows.map(toScheduled);
    },

    async update(tenantId, id, patch, at) {
      const [row] = await db
        .update(scheduledTickets)
        .set({ ...patch, updatedAt: at })
        .where(and(eq(scheduledTickets.tenantId, tenantId), eq(scheduledTickets.id, id)))
        .returning();
      if (!row) throw new Error(`scheduled ticket ${id} vanished`);
      return toScheduled(row);
    },
  };
}
