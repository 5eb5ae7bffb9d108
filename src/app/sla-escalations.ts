/**
 * Answering an SLA escalation (the Acknowledge / Take over / Reassign buttons of breach and manager
 * pings). Any of them acknowledges the ladder, which stops its further rungs; each is on the
 * ticket's audit trail (`sla_acknowledged`, with who and how) and is said in the ticket's thread.
 *
 * Supervisors and admins answer escalations. Take over assigns the ticket to the one who pressed
 * it (through `updateTicket`, so its rules and audit apply), then acknowledges. Reassign
 * acknowledges; the platform then offers its assign dialog.
 *
 * The ticket row is locked while acknowledging, so a sweep either sees the acknowledgement or has
 * already committed the rung it was firing (which was due before the acknowledgement).
 */
import { type Actor, actorRef, isSupervisorOrAbove } from '../domain/actor.js';
import { forbidden, invalid } from '../domain/errors.js';
import type { Acknowledgement } from '../domain/escalation-actions.js';
import type { SlaTargetName } from '../domain/escalation-ladder.js';
import type { Ticket } from '../domain/records.js';
import type { StoredRung } from '../ports/sla-stores.js';
import type { AppDeps, RequestContext } from './context.js';
import { targetLabel } from './sla-notices.js';
import { enqueueStaffNotice } from './staff-notices.js';
import { staffTextFor } from './staff-text.js';
import { findTicket } from './ticket-lookup.js';
import { updateTicket } from './update-ticket.js';

/** The ladder to answer: one deadline's (from a button), or every open ladder of the ticket. */
export interface EscalationRef {
  ticketRef: string;
  target?: SlaTargetName;
  dueAt?: Date;
}

export interface EscalationAnswer {
  ticket: Ticket;
  /** Rungs acknowledged now; empty when someone had already answered. */
  acknowledged: StoredRung[];
}

function assertMayAnswer(actor: Actor): void {
  if (!isSupervisorOrAbove(actor)) {
    throw forbidden('Only a supervisor or an admin may answer an SLA escalation', {
      key: 'only_supervisor_answers_escalation',
    });
  }
}

export async function acknowledgeEscalation(
  deps: AppDeps,
  ctx: RequestContext,
  ref: EscalationRef,
  how: Acknowledgement = 'acknowledged',
): Promise<EscalationAnswer> {
  assertMayAnswer(ctx.actor);
  const ladder = ref.target && ref.dueAt ? { target: ref.target, dueAt: ref.dueAt } : null;
  const answer = await deps.uow.transaction(async (s) => {
    const now = deps.clock.now();
    const ticket = await findTicket(s, ctx.tenant, ref.ticketRef, now, { forUpdate: true });
    const agentId = ctx.actor.type === 'agent' ? ctx.actor.id : null;
    const acknowledged = await s.slaEscalations.acknowledge({
      tenantId: ticket.tenantId,
      ticketId: ticket.id,
      ladder,
      by: agentId,
      how,
      at: now,
    });
    if (acknowledged.length === 0) return { ticket, acknowledged };
    const who = actorRef(ctx.actor);
    const ladders = [...new Set(acknowledged.map((r) => `${r.target}|${r.dueAt.toISOString()}`))];
    await s.audit.record({
      tenantId: ticket.tenantId,
      entityType: 'ticket',
      entityId: ticket.id,
      ticketId: ticket.id,
      action: 'sla_acknowledged',
      actorType: who.actor_type,
      actorId: who.actor_id,
      changes: {
        acknowledgement: { from: null, to: how },
        ladders: { from: null, to: ladders },
        rungs: { from: null, to: acknowledged.map((r) => r.rung) },
      },
      createdAt: now,
    });
    const name = agentId
      ? ((await s.agents.findById(ticket.tenantId, agentId))?.name ?? null)
      : null;
    const t = staffTextFor(deps, ctx.tenant);
    const labels = [...new Set(acknowledged.map((r) => targetLabel(r.target, t)))];
    const targets =
      labels.length > 1
        ? t('list_and', { first: labels.slice(0, -1).join(', '), last: labels.at(-1)! })
        : (labels[0] ?? '');
    await enqueueStaffNotice(deps, s, {
      tenantId: ticket.tenantId,
      ticketId: ticket.id,
      audience: { kind: 'ticket_thread', ticketId: ticket.id },
      text: t('sla.acknowledged_notice', {
        targets,
        how: t(`sla.how.${how}`),
        name: name ?? t('sla.an_admin'),
      }),
    });
    return { ticket, acknowledged };
  });
  if (answer.acknowledged.length > 0) deps.onOutboxWrite?.();
  return answer;
}

/** The one who pressed Take over becomes the assignee; the ladder is acknowledged. */
export async function takeOverEscalation(
  deps: AppDeps,
  ctx: RequestContext,
  ref: EscalationRef,
): Promise<EscalationAnswer> {
  assertMayAnswer(ctx.actor);
  if (ctx.actor.type !== 'agent') throw invalid('Only an agent can take a ticket over');
  await updateTicket(deps, ctx, ref.ticketRef, { assignee_id: ctx.actor.id });
  return acknowledgeEscalation(deps, ctx, ref, 'taken_over');
}

/** Acknowledges as `reassigned`; the caller offers its way to pick the new assignee. */
export function reassignEscalation(
  deps: AppDeps,
  ctx: RequestContext,
  ref: EscalationRef,
): Promise<EscalationAnswer> {
  return acknowledgeEscalation(deps, ctx, ref, 'reassigned');
}
