/**
 * The SLA sweep's SQL, set-based: per claimed batch one claim, one read per kind of data and one
 * multi-row statement per table written (arrays through `unnest`, so a batch of any size is a
 * fixed number of parameters). Everything runs in the caller's transaction.
 *
 * The claim walks `sla_checks_next_check_idx` (one row per ticket with a check to come), so a
 * sweep with nothing due reads one index page whatever the number of open tickets. It locks the
 * tickets (SKIP LOCKED: a ticket a writer holds waits for the next sweep), which guards their
 * checks too; a ticket's own row is rewritten only when the sweep changes it (a breach), a warning
 * or a climb only moves the check.
 */
import { sql } from 'drizzle-orm';
import { type Clock, systemClock } from '../domain/clock.js';
import type { Acknowledgement } from '../domain/escalation-actions.js';
import type { SlaTargetName } from '../domain/escalation-ladder.js';
import { priorityRank } from '../domain/priority.js';
import type { SlaPolicyOverride, SlaPolicyRecord } from '../domain/sla-policy.js';
import type { Priority, TicketStatus, WatcherRole } from '../domain/vocabulary.js';
import type { SlaSweepStore, SlaSweepTicket, StoredRung, TeamLead } from '../ports/sla-stores.js';
import type { Executor } from './executor.js';
import { isoOrNull, jsonRows } from './json-rows.js';
import { insertOutboxRows } from './outbox-store.js';

export interface SlaSweepStoreOptions {
  clock?: Clock;
  /** Outbox rows' attempt budget unless the row says otherwise (OUTBOX_MAX_ATTEMPTS). */
  maxAttempts?: number;
}

/** One array parameter (drizzle would otherwise expand a JS array into a list). */
const arr = (values: readonly unknown[]) => sql.param(values);

/** drizzle's `execute` hands timestamps back as PostgreSQL text ("2026-03-02 10:15:00+00"). */
export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  return new Date(
    String(value)
      .replace(' ', 'T')
      .replace(/([+-]\d\d)$/, '$1:00'),
  );
}
export const toDateOrNull = (value: unknown): Date | null =>
  value === null || value === undefined ? null : toDate(value);

interface TicketRow extends Record<string, unknown> {
  id: string;
  tenant_id: string;
  number: string;
  subject: string;
  status: string;
  priority: string;
  category: string;
  group_id: string | null;
  assignee_id: string | null;
  assignee_name: string | null;
  customer_tier: string | null;
  created_at: string;
  first_response_at: string | null;
  first_response_due_at: string | null;
  resolution_due_at: string | null;
  sla_due_at: string | null;
  sla_paused_at: string | null;
  sla_breached: boolean;
  first_response_breached_at: string | null;
  resolution_breached_at: string | null;
}

export interface RungRow extends Record<string, unknown> {
  ticket_id: string;
  target: string;
  due_at: string;
  rung: number;
  fired_at: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  acknowledgement: string | null;
}

const toTicket = (r: TicketRow): SlaSweepTicket => ({
  id: r.id,
  tenantId: r.tenant_id,
  number: r.number,
  subject: r.subject,
  status: r.status as TicketStatus,
  priority: r.priority as Priority,
  category: r.category,
  groupId: r.group_id,
  assigneeId: r.assignee_id,
  assigneeName: r.assignee_name,
  customerTier: r.customer_tier,
  createdAt: toDate(r.created_at),
  firstResponseAt: toDateOrNull(r.first_response_at),
  firstResponseDueAt: toDateOrNull(r.first_response_due_at),
  resolutionDueAt: toDateOrNull(r.resolution_due_at),
  slaDueAt: toDateOrNull(r.sla_due_at),
  slaPausedAt: toDateOrNull(r.sla_paused_at),
  slaBreached: r.sla_breached,
  firstResponseBreachedAt: toDateOrNull(r.first_response_breached_at),
  resolutionBreachedAt: toDateOrNull(r.resolution_breached_at),
});

export const toRung = (r: RungRow): StoredRung => ({
  ticketId: r.ticket_id,
  target: r.target as SlaTargetName,
  dueAt: toDate(r.due_at),
  rung: r.rung,
  firedAt: toDate(r.fired_at),
  acknowledgedAt: toDateOrNull(r.acknowledged_at),
  acknowledgedBy: r.acknowledged_by,
  acknowledgement: r.acknowledgement as Acknowledgement | null,
});

export const RUNG_COLUMNS = sql`ticket_id, target, due_at, rung, fired_at, acknowledged_at,
  acknowledged_by, acknowledgement`;

const rungKey = (r: { ticketId: string; target: string; dueAt: Date; rung: number }) =>
  `${r.ticketId}|${r.target}|${r.dueAt.getTime()}|${r.rung}`;

export function createSlaSweepStore(db: Executor, opts: SlaSweepStoreOptions = {}): SlaSweepStore {
  const clock = opts.clock ?? systemClock;
  const defaultMaxAttempts = opts.maxAttempts ?? 8;
  return {
    async anyDue(at) {
      const result = await db.execute<{ due: boolean }>(sql`
        SELECT EXISTS (SELECT 1 FROM sla_checks WHERE next_check_at <= ${at}::timestamptz) AS due`);
      return result.rows[0]?.due === true;
    },

    async claimDue(at, limit) {
      // Lock the tickets first (the checks' index order, LIMIT, SKIP LOCKED), then read the
      // names they need. Only the ticket is locked: whoever writes a check holds its ticket
      // first (ticket-store.ts; the sweep itself), so the ticket's lock guards the check too, a
      // ticket a writer holds is skipped whole, and the sweep never sits on the check of a
      // ticket it skipped (with `OF k, t` it did, and a writer moving that check waited for the
      // sweep's commit, while the sweep might wait for the writer's outbox locks).
      const result = await db.execute<TicketRow>(sql`
        WITH claimed AS (
          SELECT t.id, t.tenant_id, t.number, left(t.subject, 200) AS subject, t.status,
                 t.priority, t.category, t.group_id, t.assignee_id, t.customer_id, t.created_at,
                 t.first_response_at, t.first_response_due_at, t.resolution_due_at, t.sla_due_at,
                 t.sla_paused_at, t.sla_breached, t.first_response_breached_at,
                 t.resolution_breached_at, k.next_check_at
          FROM sla_checks k
          JOIN tickets t ON t.id = k.ticket_id
          WHERE k.next_check_at <= ${at}::timestamptz
          ORDER BY k.next_check_at
          LIMIT ${limit}::int
          FOR UPDATE OF t SKIP LOCKED
        )
        SELECT c.*, a.name AS assignee_name, cu.tier AS customer_tier
        FROM claimed c
        LEFT JOIN agents a ON a.id = c.assignee_id
        LEFT JOIN customers cu ON cu.id = c.customer_id
        ORDER BY c.next_check_at`);
      return result.rows.map(toTicket);
    },

    async rungsOf(ticketIds) {
      if (ticketIds.length === 0) return [];
      const result = await db.execute<RungRow>(sql`
        SELECT ${RUNG_COLUMNS} FROM sla_escalations
        WHERE ticket_id = ANY(${arr(ticketIds)}::uuid[])`);
      return result.rows.map(toRung);
    },

    async policiesOf(tenantIds) {
      const out = new Map<string, SlaPolicyRecord[]>();
      if (tenantIds.length === 0) return out;
      const result = await db.execute<{
        tenant_id: string;
        scope: string;
        scope_value: string;
        policy: unknown;
      }>(sql`
        SELECT tenant_id, scope, scope_value, policy FROM sla_policies
        WHERE tenant_id = ANY(${arr(tenantIds)}::uuid[])`);
      for (const r of result.rows) {
        const list = out.get(r.tenant_id) ?? [];
        list.push({
          scope: r.scope as SlaPolicyRecord['scope'],
          scopeValue: r.scope_value,
          policy: r.policy as SlaPolicyOverride,
        });
        out.set(r.tenant_id, list);
      }
      return out;
    },

    async watchersOf(tickets) {
      if (tickets.length === 0) return [];
      const result = await db.execute<{
        ticket_id: string;
        agent_id: string;
        role: string;
        notify: Record<string, unknown>;
      }>(sql`
        SELECT w.ticket_id, w.agent_id, w.role, w.notify
        FROM ticket_watchers w
        JOIN unnest(${arr(tickets.map((t) => t.tenantId))}::uuid[],
                    ${arr(tickets.map((t) => t.id))}::uuid[]) AS k(tenant_id, ticket_id)
          ON w.tenant_id = k.tenant_id AND w.ticket_id = k.ticket_id
        ORDER BY w.ticket_id, w.agent_id`);
      return result.rows.map((r) => ({
        ticketId: r.ticket_id,
        agentId: r.agent_id,
        role: r.role as WatcherRole,
        notify: r.notify ?? {},
      }));
    },

    async leadsOf(tenantIds) {
      if (tenantIds.length === 0) return [];
      const result = await db.execute<{ tenant_id: string; id: string; group_ids: string[] }>(sql`
        SELECT a.tenant_id, a.id,
               coalesce(array_agg(m.group_id) FILTER (WHERE m.group_id IS NOT NULL), '{}') AS group_ids
        FROM agents a
        LEFT JOIN agent_group_members m ON m.agent_id = a.id
        WHERE a.tenant_id = ANY(${arr(tenantIds)}::uuid[]) AND a.role = 'supervisor' AND a.active
        GROUP BY a.id
        ORDER BY a.created_at, a.id`);
      return result.rows.map((r): TeamLead => ({
        tenantId: r.tenant_id,
        agentId: r.id,
        groupIds: r.group_ids,
      }));
    },

    async insertRungs(rungs) {
      if (rungs.length === 0) return [];
      const result = await db.execute<{
        ticket_id: string;
        target: string;
        due_at: string;
        rung: number;
      }>(sql`
        INSERT INTO sla_escalations (tenant_id, ticket_id, target, due_at, rung, fired_at)
        SELECT * FROM jsonb_to_recordset(${jsonRows(
          rungs.map((r) => ({
            tenant_id: r.tenantId,
            ticket_id: r.ticketId,
            target: r.target,
            due_at: isoOrNull(r.dueAt),
            rung: r.rung,
            fired_at: isoOrNull(r.firedAt),
          })),
        )}) AS r(tenant_id uuid, ticket_id uuid, target text, due_at timestamptz, rung int,
                 fired_at timestamptz)
        ON CONFLICT (ticket_id, target, due_at, rung) DO NOTHING
        RETURNING ticket_id, target, due_at, rung`);
      const inserted = new Set(
        result.rows.map((r) =>
          rungKey({
            ticketId: r.ticket_id,
            target: r.target,
            dueAt: toDate(r.due_at),
            rung: r.rung,
          }),
        ),
      );
      return rungs.filter((r) => inserted.has(rungKey(r)));
    },

    async enqueueAll(rows) {
      await insertOutboxRows(db, rows, { clock, maxAttempts: defaultMaxAttempts });
    },

    async recordAll(events) {
      if (events.length === 0) return;
      const rows = events.map((e) => ({
        tenant_id: e.tenantId,
        entity_type: e.entityType,
        entity_id: e.entityId,
        ticket_id: e.ticketId ?? null,
        action: e.action,
        actor_type: e.actorType,
        actor_id: e.actorId,
        changes: e.changes ?? {},
        created_at: isoOrNull(e.createdAt),
      }));
      await db.execute(sql`
        INSERT INTO audit_events (tenant_id, entity_type, entity_id, ticket_id, action,
                                  actor_type, actor_id, changes, created_at)
        SELECT r.tenant_id, r.entity_type, r.entity_id, r.ticket_id, r.action, r.actor_type,
               r.actor_id, r.changes, r.created_at
        FROM ROWS FROM (jsonb_to_recordset(${jsonRows(rows)}) AS (
          tenant_id uuid, entity_type text, entity_id uuid, ticket_id uuid, action text,
          actor_type text, actor_id text, changes jsonb, created_at timestamptz
        )) WITH ORDINALITY AS r(tenant_id, entity_type, entity_id, ticket_id, action, actor_type,
                                actor_id, changes, created_at, n)
        ORDER BY r.n`);
    },

    async updateTickets(updates) {
      if (updates.length === 0) return;
      // The checks: each claimed ticket has its row (the claim went through it; its ticket's
      // lock keeps it ours).
      const checks = updates.map((u) => ({ id: u.id, next_check_at: isoOrNull(u.nextCheckAt) }));
      await db.execute(sql`
        WITH u AS MATERIALIZED (
          SELECT * FROM jsonb_to_recordset(${jsonRows(checks)})
            AS u(id uuid, next_check_at timestamptz)
        ),
        done AS (
          DELETE FROM sla_checks k USING u WHERE k.ticket_id = u.id AND u.next_check_at IS NULL
        )
        UPDATE sla_checks k SET next_check_at = u.next_check_at
        FROM u WHERE k.ticket_id = u.id AND u.next_check_at IS NOT NULL`);
      const touched = updates.filter((u) => u.touchedAt !== null);
      if (touched.length === 0) return;
      const rows = touched.map((u) => ({
        id: u.id,
        tenant_id: u.tenantId,
        priority: u.priority,
        priority_rank: priorityRank(u.priority),
        first_response_due_at: isoOrNull(u.firstResponseDueAt),
        resolution_due_at: isoOrNull(u.resolutionDueAt),
        sla_due_at: isoOrNull(u.slaDueAt),
        sla_breached: u.slaBreached,
        first_response_breached_at: isoOrNull(u.firstResponseBreachedAt),
        resolution_breached_at: isoOrNull(u.resolutionBreachedAt),
        touched_at: isoOrNull(u.touchedAt),
      }));
      await db.execute(sql`
        UPDATE tickets t SET
          priority = u.priority,
          priority_rank = u.priority_rank,
          first_response_due_at = u.first_response_due_at,
          resolution_due_at = u.resolution_due_at,
          sla_due_at = u.sla_due_at,
          sla_breached = u.sla_breached,
          first_response_breached_at = u.first_response_breached_at,
          resolution_breached_at = u.resolution_breached_at,
          updated_at = u.touched_at
        FROM jsonb_to_recordset(${jsonRows(rows)}) AS u(
          id uuid, tenant_id uuid, priority text, priority_rank int,
          first_response_due_at timestamptz, resolution_due_at timestamptz, sla_due_at timestamptz,
          sla_breached boolean, first_response_breached_at timestamptz,
          resolution_breached_at timestamptz, touched_at timestamptz)
        WHERE t.id = u.id AND t.tenant_id = u.tenant_id`);
    },
  };
}
