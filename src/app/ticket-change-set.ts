/**
 * Applying a validated change to a locked ticket: the store update, one audit event with
 * before → after, and the outbox event, all in the caller's transaction.
 */
import { type Actor, actorRef } from '../domain/actor.js';
import type { Ticket } from '../domain/records.js';
import { nextSlaDue } from '../domain/sla-targets.js';
import type { Stores, TicketChanges } from '../ports/stores.js';
import { diff } from './audit-diff.js';
import type { AppDeps } from './context.js';
import { promptCsat } from './csat-prompt.js';
import { enqueueTicketEvent } from './outbox-events.js';

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

/** Keeps `sla_due_at` in step with the status, first response and due times of the change. */
export function withSlaDue(before: Ticket, changes: TicketChanges): TicketChanges {
  const firstDue = changes.firstResponseDueAt ?? before.firstResponseDueAt;
  const resolutionDue = changes.resolutionDueAt ?? before.resolutionDueAt;
  if (!firstDue || !resolutionDue) return changes;
  return {
    ...changes,
    slaDueAt: nextSlaDue({
      first_response_due_at: firstDue,
      resolution_due_at: resolutionDue,
      first_response_at:
        changes.firstResponseAt !== undefined ? changes.firstResponseAt : before.firstResponseAt,
      status: changes.status ?? before.status,
    }),
  };
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
    withSlaDue(before, input.changes),
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
  await enqueueTicketEvent(s, deps.notifyDestinations, {
    type: input.action === 'approval_requested' ? 'ticket.approval_requested' : 'ticket.updated',
    ticket: after,
    changes,
  });
  return after;
}
