/**
 * Makes `count` seeded open tickets due at once, as one kind of SLA event (the burst phase of
 * sla-bench). Each kind is one rung of the escalation ladder (src/domain/escalation-ladder.ts):
 *
 * - `breach` (the heaviest, the default): the resolution target is 1 minute past due, so the
 *   sweep marks the breach, bumps the priority one level and re-times the due times, writes the
 *   breach rung, two audit events (the rung's and the breach's) and one notice per wired platform;
 * - `warning`: 75 % of the resolution target has elapsed but it is not due yet (due in 10 min,
 *   past every priority's warning share): the warning rung to the assignee, one audit event, one
 *   notice; the ticket itself only gets its next check;
 * - `climb`: the breach rung fired 31 minutes ago and nobody acknowledged it (climb_after 30 min,
 *   the tenant's calendar is 24/7): the manager-channel rung, one audit event, one notice; the
 *   ticket only gets its next check.
 *
 * Only tickets that are not `new` are picked (they have a first response, so only the resolution
 * target is running).
 */
import type pg from 'pg';

export const DUE_KINDS = ['breach', 'warning', 'climb'] as const;
export type DueKind = (typeof DUE_KINDS)[number];

export function isDueKind(value: string): value is DueKind {
  return (DUE_KINDS as readonly string[]).includes(value);
}

/** The ids of the tickets made due (a random sample of the open ones). */
export async function makeDue(pool: pg.Pool, kind: DueKind, count: number): Promise<string[]> {
  const due = {
    breach: `now() - interval '1 minute'`,
    warning: `now() + interval '10 minutes'`,
    climb: `now() - interval '40 minutes'`,
  }[kind];
  const { rows } = await pool.query<{ id: string; tenant_id: string; due: Date }>(
    `WITH p AS (SELECT id FROM tickets WHERE status <> 'new' ORDER BY random() LIMIT $1)
     UPDATE tickets t SET resolution_due_at = ${due},
            first_response_due_at = now() - interval '2 hours',
            first_response_at = coalesce(first_response_at, now() - interval '3 hours'),
            sla_due_at = ${due}, resolution_breached_at = CASE WHEN $2 THEN ${due} END,
            sla_breached = $2
       FROM p WHERE t.id = p.id RETURNING t.id, t.tenant_id, t.resolution_due_at AS due`,
    [count, kind === 'climb'],
  );
  await pool.query(
    `INSERT INTO sla_checks (ticket_id, next_check_at)
     SELECT id, now() - interval '1 second' FROM unnest($1::uuid[]) AS id
     ON CONFLICT (ticket_id) DO UPDATE SET next_check_at = excluded.next_check_at`,
    [rows.map((r) => r.id)],
  );
  if (kind === 'climb') {
    // The breach rung of this deadline, fired when it fell due and not acknowledged since.
    await pool.query(
      `INSERT INTO sla_escalations (tenant_id, ticket_id, target, due_at, rung, fired_at)
       SELECT tenant_id, id, 'resolution', due, 1, now() - interval '31 minutes'
         FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[]) AS r(id, tenant_id, due)`,
      [rows.map((r) => r.id), rows.map((r) => r.tenant_id), rows.map((r) => r.due)],
    );
  }
  return rows.map((r) => r.id);
}
