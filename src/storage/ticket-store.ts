/** Tickets in PostgreSQL. Every statement is scoped by tenant_id. */
import { type SQL, and, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { notFound } from '../domain/errors.js';
import { priorityRank } from '../domain/priority.js';
import { OPEN_STATUSES } from '../domain/vocabulary.js';
import type {
  NewTicket,
  TicketChanges,
  TicketFilter,
  TicketQueueCounts,
  TicketStore,
} from '../ports/stores.js';
import type { Executor } from './executor.js';
import { messages, slaChecks, ticketCounters, tickets } from './schema.js';
import { encodeCursor, keyset } from './ticket-cursor.js';
import { linkColumns, selectTickets, toTicket } from './ticket-mapper.js';

function filterConditions(tenantId: string, f: TicketFilter): SQL[] {
  const where: SQL[] = [eq(tickets.tenantId, tenantId)];
  if (f.status?.length) where.push(inArray(tickets.status, f.status));
  if (f.priority?.length) where.push(inArray(tickets.priority, f.priority));
  if (f.category?.length) where.push(inArray(tickets.category, f.category));
  if (f.assigneeId === null) where.push(isNull(tickets.assigneeId));
  else if (f.assigneeId) where.push(eq(tickets.assigneeId, f.assigneeId));
  if (f.customerId) where.push(eq(tickets.customerId, f.customerId));
  if (f.overdueAt) {
    where.push(lt(tickets.slaDueAt, f.overdueAt));
    where.push(inArray(tickets.status, [...OPEN_STATUSES]));
  }
  if (f.q) {
    const query = sql`plainto_tsquery('simple', ${f.q})`;
    where.push(
      sql`(${tickets.search} @@ ${query} or exists (select 1 from ${messages} m where m.tenant_id = ${tickets.tenantId} and m.ticket_id = ${tickets.id} and m.search @@ ${query}))`,
    );
  }
  return where;
}

export function createTicketStore(db: Executor): TicketStore {
  async function findOne(tenantId: string, cond: SQL, forUpdate?: boolean) {
    let q = selectTickets(db).where(and(eq(tickets.tenantId, tenantId), cond));
    if (forUpdate) q = q.for('update', { of: tickets });
    const [row] = await q.limit(1);
    return row ? toTicket(row) : null;
  }

  /**
   * The ticket's next SLA check (sla_checks), or none. Called after the ticket's own statement, in
   * the caller's transaction: whoever writes a check holds its ticket's row first (the SLA sweep
   * claims by locking the tickets), so the ticket's lock guards its check.
   */
  async function scheduleCheck(ticketId: string, at: Date | null) {
    if (at === null) {
      await db.delete(slaChecks).where(eq(slaChecks.ticketId, ticketId));
      return;
    }
    await db
      .insert(slaChecks)
      .values({ ticketId, nextCheckAt: at })
      .onConflictDoUpdate({ target: slaChecks.ticketId, set: { nextCheckAt: at } });
  }

  return {
    async nextSequence(tenantId, year) {
      const [row] = await db
        .insert(ticketCounters)
        .values({ tenantId, year, lastSeq: 1 })
        .onConflictDoUpdate({
          target: [ticketCounters.tenantId, ticketCounters.year],
          set: { lastSeq: sql`${ticketCounters.lastSeq} + 1` },
        })
        .returning({ seq: ticketCounters.lastSeq });
      if (!row) throw new Error('ticket counter did not return a value');
      return row.seq;
    },

    async insert(t: NewTicket) {
      const [row] = await db
        .insert(tickets)
        .values({
          tenantId: t.tenantId,
          number: t.number,
          subject: t.subject,
          description: t.description,
          status: t.status,
          priority: t.priority,
          priorityRank: priorityRank(t.priority),
          category: t.category,
          kind: t.kind,
          channel: t.channel,
          customerId: t.customerId,
          assigneeId: t.assigneeId,
          ...linkColumns(t.links),
          deliveryDate: t.deliveryDate,
          withinPolicyWindow: t.withinPolicyWindow,
          daysLate: t.daysLate,
          firstResponseDueAt: t.firstResponseDueAt,
          resolutionDueAt: t.resolutionDueAt,
          slaDueAt: t.slaDueAt,
          conversationId: t.conversationId ?? null,
          createdAt: t.createdAt,
          updatedAt: t.createdAt,
        })
        .returning({ id: tickets.id });
      if (!row) throw new Error('ticket insert returned nothing');
      if (t.slaNextCheckAt) await scheduleCheck(row.id, t.slaNextCheckAt);
      const created = await findOne(t.tenantId, eq(tickets.id, row.id));
      if (!created) throw new Error('inserted ticket not found');
      return created;
    },

    findById: (tenantId, id, opts) => findOne(tenantId, eq(tickets.id, id), opts?.forUpdate),
    findByNumber: (tenantId, number, opts) =>
      findOne(tenantId, eq(tickets.number, number), opts?.forUpdate),

    async update(tenantId, id, c: TicketChanges) {
      const set: Partial<typeof tickets.$inferInsert> = { updatedAt: c.updatedAt };
      if (c.status !== undefined) set.status = c.status;
      if (c.priority !== undefined) {
        set.priority = c.priority;
        set.priorityRank = priorityRank(c.priority);
      }
      if (c.category !== undefined) set.category = c.category;
      if (c.assigneeId !== undefined) set.assigneeId = c.assigneeId;
      if (c.links !== undefined) Object.assign(set, linkColumns(c.links));
      if (c.resolution !== undefined) {
        set.resolutionCode = c.resolution?.code ?? null;
        set.resolutionNotes = c.resolution?.notes ?? null;
        set.resolutionReference = c.resolution?.reference ?? null;
      }
      if (c.approval !== undefined) set.approval = c.approval;
      if (c.firstResponseAt !== undefined) set.firstResponseAt = c.firstResponseAt;
      if (c.firstResponseDueAt !== undefined) set.firstResponseDueAt = c.firstResponseDueAt;
      if (c.resolutionDueAt !== undefined) set.resolutionDueAt = c.resolutionDueAt;
      if (c.slaDueAt !== undefined) set.slaDueAt = c.slaDueAt;
      if (c.slaBreached !== undefined) set.slaBreached = c.slaBreached;
      if (c.slaPausedAt !== undefined) set.slaPausedAt = c.slaPausedAt;
      if (c.firstResponseBreachedAt !== undefined)
        set.firstResponseBreachedAt = c.firstResponseBreachedAt;
      if (c.resolutionBreachedAt !== undefined) set.resolutionBreachedAt = c.resolutionBreachedAt;
      if (c.firstResponseSeconds !== undefined) set.firstResponseSeconds = c.firstResponseSeconds;
      if (c.firstResponseBusinessSeconds !== undefined)
        set.firstResponseBusinessSeconds = c.firstResponseBusinessSeconds;
      if (c.resolutionSeconds !== undefined) set.resolutionSeconds = c.resolutionSeconds;
      if (c.resolutionBusinessSeconds !== undefined)
        set.resolutionBusinessSeconds = c.resolutionBusinessSeconds;
      if (c.resolvedAt !== undefined) set.resolvedAt = c.resolvedAt;
      if (c.closedAt !== undefined) set.closedAt = c.closedAt;
      if (c.lastDeliveryError !== undefined) set.lastDeliveryError = c.lastDeliveryError;
      if (c.csatSolved !== undefined) set.csatSolved = c.csatSolved;
      if (c.csatRating !== undefined) set.csatRating = c.csatRating;
      const updated = await db
        .update(tickets)
        .set(set)
        .where(and(eq(tickets.tenantId, tenantId), eq(tickets.id, id)))
        .returning({ id: tickets.id });
      if (updated.length === 0) throw notFound('ticket');
      if (c.slaNextCheckAt !== undefined) await scheduleCheck(id, c.slaNextCheckAt);
      const ticket = await findOne(tenantId, eq(tickets.id, id));
      if (!ticket) throw notFound('ticket');
      return ticket;
    },

    async list(tenantId, filter, sort, page) {
      const { after, orderBy } = keyset(sort, page.cursor);
      const where = filterConditions(tenantId, filter);
      if (after) where.push(after);
      const rows = await selectTickets(db)
        .where(and(...where))
        .orderBy(...orderBy)
        .limit(page.limit + 1);
      const data = rows.slice(0, page.limit).map(toTicket);
      const last = rows.length > page.limit ? rows[page.limit - 1] : undefined;
      const nextCursor = last ? encodeCursor(sort, toTicket(last), last.t.priorityRank) : null;
      return { data, nextCursor };
    },

    async listOpenForCustomer(tenantId, customerId, limit) {
      const rows = await selectTickets(db)
        .where(
          and(
            eq(tickets.tenantId, tenantId),
            eq(tickets.customerId, customerId),
            inArray(tickets.status, [...OPEN_STATUSES]),
          ),
        )
        .orderBy(desc(tickets.createdAt), desc(tickets.id))
        .limit(limit);
      return rows.map(toTicket);
    },

    /**
     * One statement. By status and unassigned are sums of the tenant's few delta rows
     * (`ticket_queue_counts`, kept by a trigger), not a count of its open tickets; overdue
     * depends on the time and `mine` is one agent's, so those two count index ranges of open
     * tickets (partial indexes), a few milliseconds however much history a brand has.
     */
    async queueCounts(tenantId, at, agentId): Promise<TicketQueueCounts> {
      const open = sql.raw(`status in (${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`);
      const result = await db.execute<{
        by_status: Record<string, number> | null;
        unassigned: number;
        overdue: number;
        mine: number | null;
      }>(sql`
        with deltas as (
          select status, unassigned, sum(n)::int as n from ticket_queue_counts
          where tenant_id = ${tenantId} group by status, unassigned)
        select
          (select json_object_agg(status, n) from (
             select status, sum(n)::int as n from deltas group by status) s) as by_status,
          (select coalesce(sum(n), 0)::int from deltas where unassigned) as unassigned,
          (select count(*)::int from tickets
             where tenant_id = ${tenantId} and sla_due_at < ${at} and ${open}) as overdue,
          ${
            agentId
              ? sql`(select count(*)::int from tickets where tenant_id = ${tenantId} and assignee_id = ${agentId} and ${open})`
              : sql`null::int`
          } as mine`);
      const row = result.rows[0];
      const byStatus: Record<string, number> = Object.fromEntries(OPEN_STATUSES.map((s) => [s, 0]));
      Object.assign(byStatus, row?.by_status ?? {});
      return {
        byStatus,
        unassigned: row?.unassigned ?? 0,
        overdue: row?.overdue ?? 0,
        ...(agentId ? { mine: row?.mine ?? 0 } : {}),
      };
    },
  };
}
