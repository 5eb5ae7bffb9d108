/**
 * Applying a validated change to a locked ticket: the store update, one audit event with
 * before → after, and the outbox event, all in the caller's transaction.
 */
import { type Actor, actorRef } from '../domain/actor.js';
import type { Ticket } from '../domain/records.js';
import { resumeDueTimes, slaFigures } from '../domain/sla-clock.js';
import { nextSlaDue } from '../domain/sla-targets.js';
import { isOpenStatus } from '../domain/vocabulary.js';
import type { Stores, TicketChanges } from '../ports/stores.js';
import { diff } from './audit-diff.js';
import type { AppDeps } from './context.js';
import { promptCsat } from './csat-prompt.js';
import { enqueueTicketEvent } from './outbox-events.js';
import { loadSlaPolicy } from './sla-policies.js';

/** The audit view of a ticket: the fields a change can touch, flat. */
function auditView(t: Ticket): Record<string, unknown> {
  return {
    status: t.status,
    priority: t.priority,
    category: t.category,
    assignee_id: t.assignee?.id ?? null,
    ...t.links,
    resolution: t.resolution,
    approval: t.approval,
    first_response_at: t.firstResponseAt?.toISOString() ?? null,
    csat_solved: t.csat.solved,
    csat_rating: t.csat.rating,
  };
}

const pick = <K extends keyof TicketChanges & keyof Ticket>(
  before: Ticket,
  changes: TicketChanges,
  key: K,
): Ticket[K] => (changes[key] !== undefined ? changes[key] : before[key]) as Ticket[K];

/**
 * Keeps `sla_due_at` and the SLA sweep's next check (`slaNextCheckAt`, table `sla_checks`) in
 * step with a change:
 * - `sla_due_at` is the next deadline of an open ticket whose clock runs; null when done or paused;
 * - when the due times, status, pause or first response change, the next check becomes the
 *   change's time for an open, running ticket (the SLA sweep then sets its precise wake-up), and
 *   null otherwise. A caller that sets `slaNextCheckAt` itself keeps its value.
 */
export function withSlaDue(before: Ticket, changes: TicketChanges): TicketChanges {
  const status = changes.status ?? before.status;
  const paused = pick(before, changes, 'slaPausedAt') !== null;
  const firstDue = pick(before, changes, 'firstResponseDueAt');
  const resolutionDue = pick(before, changes, 'resolutionDueAt');
  const out: TicketChanges = { ...changes };
  if (firstDue && resolutionDue) {
    out.slaDueAt = paused
      ? null
      : nextSlaDue({
          first_response_due_at: firstDue,
          resolution_due_at: resolutionDue,
          first_response_at: pick(before, changes, 'firstResponseAt'),
          status,
        });
  }
  const clockMoved =
    status !== before.status ||
    changes.firstResponseDueAt !== undefined ||
    changes.resolutionDueAt !== undefined ||
    (changes.slaPausedAt !== undefined && changes.slaPausedAt !== before.slaPausedAt) ||
    (changes.firstResponseAt !== undefined && changes.firstResponseAt !== before.firstResponseAt);
  if (clockMoved && changes.slaNextCheckAt === undefined) {
    out.slaNextCheckAt = isOpenStatus(status) && !paused ? changes.updatedAt : null;
  }
  return out;
}

/**
 * The SLA side of a change, read from the ticket's policy when it matters:
 * - into `awaiting_customer` with `pause_when_awaiting_customer`: the clocks pause (`sla_paused_at`);
 * - out of a pause (a customer message, an agent, a resolution): the open deadlines move on by
 *   the business time the pause took (`resumeDueTimes`), and `sla_paused_at` clears;
 * - the first response and the resolution store their figures (wall and business seconds since
 *   the ticket was created); a reopened ticket loses its resolution figures until resolved again.
 * Then `withSlaDue`.
 */
export async function withSlaClocks(
  s: Stores,
  before: Ticket,
  changes: TicketChanges,
): Promise<TicketChanges> {
  const now = changes.updatedAt;
  const status = changes.status ?? before.status;
  const statusChanged = status !== before.status;
  const out: TicketChanges = { ...changes };
  const pausing = statusChanged && status === 'awaiting_customer' && before.slaPausedAt === null;
  const resuming =
    before.slaPausedAt !== null &&
    changes.slaPausedAt === undefined &&
    status !== 'awaiting_customer';
  const firstResponse = changes.firstResponseAt ?? null;
  const firstResponseNow = firstResponse !== null && before.firstResponseAt === null;
  const resolvedNow = statusChanged && status === 'resolved';
  if (pausing || resuming || firstResponseNow || resolvedNow) {
    const policy = await loadSlaPolicy(
      s,
      { id: before.tenantId },
      {
        groupId: before.groupId,
        category: changes.category ?? before.category,
        customerId: before.customer.id,
      },
    );
    const calendar = policy.calendar;
    if (pausing && policy.pause_when_awaiting_customer && changes.slaPausedAt === undefined) {
      out.slaPausedAt = now;
    }
    if (resuming && before.slaPausedAt) {
      out.slaPausedAt = null;
      const firstDue = pick(before, changes, 'firstResponseDueAt');
      const resolutionDue = pick(before, changes, 'resolutionDueAt');
      if (isOpenStatus(status) && firstDue && resolutionDue) {
        const due = resumeDueTimes({
          pausedAt: before.slaPausedAt,
          resumedAt: now,
          due: { first_response_due_at: firstDue, resolution_due_at: resolutionDue },
          firstResponseAt: pick(before, changes, 'firstResponseAt'),
          calendar,
        });
        out.firstResponseDueAt = due.first_response_due_at;
        out.resolutionDueAt = due.resolution_due_at;
      }
    }
    if (firstResponseNow) {
      const f = slaFigures({ from: before.createdAt, to: firstResponse, calendar });
      out.firstResponseSeconds = f.seconds;
      out.firstResponseBusinessSeconds = f.businessSeconds;
    }
    if (resolvedNow) {
      const f = slaFigures({ from: before.createdAt, to: changes.resolvedAt ?? now, calendar });
      out.resolutionSeconds = f.seconds;
      out.resolutionBusinessSeconds = f.businessSeconds;
    }
  }
  if (statusChanged && isOpenStatus(status) && before.resolutionSeconds !== null) {
    out.resolutionSeconds = null;
    out.resolutionBusinessSeconds = null;
  }
  return withSlaDue(before, out);
}

export async function applyTicketChanges(
  s: Stores,
  deps: AppDeps,
  input: { before: Ticket; changes: TicketChanges; actor: Actor; action?: string },
): Promise<Ticket> {
  const { before, actor } = input;
  const after = await s.tickets.update(
    before.tenantId,
    before.id,
    await withSlaClocks(s, before, input.changes),
  );
  const changes = diff(auditView(before), auditView(after));
  if (Object.keys(changes).length === 0) return after;
  if (before.status !== 'resolved' && after.status === 'resolved') {
    await promptCsat(s, deps, after, input.changes.updatedAt);
  }
  const who = actorRef(actor);
  await s.audit.record({
    tenantId: before.tenantId,
    entityType: 'ticket',
    entityId: before.id,
    ticketId: before.id,
    action: input.action ?? 'updated',
    actorType: who.actor_type,
    actorId: who.actor_id,
    changes,
    createdAt: input.changes.updatedAt,
  });
  await enqueueTicketEvent(s, deps, {
    type: input.action === 'approval_requested' ? 'ticket.approval_requested' : 'ticket.updated',
    ticket: after,
    changes,
    actorAgentId: actor.type === 'agent' ? actor.id : null,
  });
  return after;
}
