/** PATCH a ticket: status (with the status machine), priority, category, assignee, links, resolution. */
import { type Actor, isEngineer, isSupervisorOrAbove } from '../domain/actor.js';
import { forbidden, invalid } from '../domain/errors.js';
import type { Ticket } from '../domain/records.js';
import {
  type Approval,
  assertCanDecideApproval,
  decideResolution,
} from '../domain/resolution-rules.js';
import { type SlaDueTimes, computeSlaDue, retimeDueTimes } from '../domain/sla-clock.js';
import type { SlaPolicy } from '../domain/sla-policy.js';
import { assertCategory, assertPriority } from '../domain/tenant-vocabulary.js';
import { assertTransition } from '../domain/ticket-transitions.js';
import type { TicketStatus } from '../domain/vocabulary.js';
import type { Stores, TicketChanges } from '../ports/stores.js';
import type { AppDeps, RequestContext } from './context.js';
import type { ResolutionInput, UpdateTicketInput } from './inputs.js';
import { applyTicketChanges } from './ticket-change-set.js';
import { findTicket } from './ticket-lookup.js';
import { loadSlaPolicyByCategory } from './sla-policies.js';
import { vocabularyOf } from './tenant-policy.js';
import { syncAssigneeWatcher } from './watchers.js';
import { backfillGroup } from './auto-assign.js';

/** The approval record kept on the ticket while a refund or credit note waits for a supervisor. */
export interface StoredApproval extends Approval {
  resolution: ResolutionInput;
  requested_at: string;
  decided_at?: string | null;
}

export async function updateTicket(
  deps: AppDeps,
  ctx: RequestContext,
  ref: string,
  input: UpdateTicketInput,
): Promise<Ticket> {
  if (isEngineer(ctx.actor))
    throw forbidden('Engineers may read tickets and add technical notes only', {
      key: 'engineer_read_only',
    });
  const ticket = await deps.uow.transaction(async (s) => {
    const now = deps.clock.now();
    const before = await findTicket(s, ctx.tenant, ref, now, { forUpdate: true });
    const changes: TicketChanges = { updatedAt: now };
    const vocab = vocabularyOf(ctx.tenant);

    if (input.category !== undefined && input.category !== before.category) {
      assertCategory(vocab, input.category);
      changes.category = input.category;
    }
    if (input.priority !== undefined && input.priority !== before.priority) {
      assertPriority(vocab, input.priority);
      changes.priority = input.priority;
    }
    if (changes.priority !== undefined || changes.category !== undefined) {
      const due = await retimedDue(s, ctx, before, changes);
      if (due) {
        changes.firstResponseDueAt = due.first_response_due_at;
        changes.resolutionDueAt = due.resolution_due_at;
      }
    }
    if (input.links) changes.links = input.links;
    if (input.assignee_id !== undefined) {
      await applyAssignee(s, ctx, before, input.assignee_id, changes);
      if (changes.assigneeId !== undefined) {
        await syncAssigneeWatcher(s, before, before.assignee?.id ?? null, changes.assigneeId);
      }
    }

    const target: TicketStatus | undefined =
      input.status ?? (input.resolution ? 'resolved' : undefined);
    if (target === 'resolved' && before.status !== 'resolved') {
      const proposed = input.resolution ?? approvedResolution(before);
      const decision = decideResolution({
        resolution: proposed,
        actor: ctx.actor,
        approval: approvalOf(before),
      });
      if (decision.outcome === 'request_approval') {
        changes.approval = pendingApproval(ctx.actor, proposed as ResolutionInput, now);
        return applyTicketChanges(s, deps, {
          before,
          changes,
          actor: ctx.actor,
          action: 'approval_requested',
        });
      }
      assertTransition(changes.status ?? before.status, 'resolved', ctx.actor);
      Object.assign(changes, resolvedChanges(proposed as ResolutionInput, now));
    } else if (target !== undefined && target !== before.status) {
      assertTransition(changes.status ?? before.status, target, ctx.actor);
      Object.assign(changes, statusChanges(before, target, now));
    } else if (input.resolution && before.status === 'resolved') {
      decideResolution({
        resolution: input.resolution,
        actor: ctx.actor,
        approval: approvalOf(before),
      });
      changes.resolution = toResolution(input.resolution);
    }
    return applyTicketChanges(s, deps, { before, changes, actor: ctx.actor });
  });
  deps.onOutboxWrite?.();
  await backfillAfter(deps, ctx.tenant.id, ticket);
  return ticket;
}

/**
 * Due times under a new priority or category (a category may have its own policy override): the
 * new timing counted from the ticket's creation, keeping the pause time the current due times
 * already carry (`retimeDueTimes`). Undefined when nothing about the timing changed.
 */
async function retimedDue(
  s: Stores,
  ctx: RequestContext,
  before: Ticket,
  changes: TicketChanges,
): Promise<SlaDueTimes | undefined> {
  const policyFor = await loadSlaPolicyByCategory(s, ctx.tenant, {
    groupId: before.groupId,
    customerId: before.customer.id,
  });
  const fromPolicy = policyFor(before.category);
  const toPolicy = changes.category === undefined ? fromPolicy : policyFor(changes.category);
  const priority = changes.priority ?? before.priority;
  if (priority === before.priority && sameTiming(fromPolicy, toPolicy)) return undefined;
  if (!before.firstResponseDueAt || !before.resolutionDueAt) {
    return computeSlaDue({ start: before.createdAt, priority, policy: toPolicy });
  }
  return retimeDueTimes({
    createdAt: before.createdAt,
    current: {
      first_response_due_at: before.firstResponseDueAt,
      resolution_due_at: before.resolutionDueAt,
    },
    from: { priority: before.priority, policy: fromPolicy },
    to: { priority, policy: toPolicy },
  });
}

/** Two policies that time tickets alike (same targets and calendar). */
const sameTiming = (a: SlaPolicy, b: SlaPolicy): boolean =>
  JSON.stringify([a.targets, a.calendar]) === JSON.stringify([b.targets, b.calendar]);

/** A ticket that left someone's plate (done, or handed on) frees a slot: fill it from the queue. */
async function backfillAfter(deps: AppDeps, tenantId: string, ticket: Ticket): Promise<void> {
  if (!ticket.groupId) return;
  const done =
    ticket.status === 'resolved' || ticket.status === 'closed' || ticket.assignee === null;
  if (done) await backfillGroup(deps, tenantId, ticket.groupId);
}

async function applyAssignee(
  s: Stores,
  ctx: RequestContext,
  before: Ticket,
  assigneeId: string | null,
  changes: TicketChanges,
): Promise<void> {
  const current = before.assignee?.id ?? null;
  if (assigneeId === current) return;
  const actor = ctx.actor;
  const takingOver = current !== null && !(actor.type === 'agent' && actor.id === current);
  if (takingOver && !isSupervisorOrAbove(actor)) {
    throw forbidden('Only a supervisor may reassign a ticket that another agent holds', {
      key: 'only_supervisor_reassigns',
    });
  }
  if (assigneeId !== null) {
    const agent = /^[0-9a-f-]{36}$/i.test(assigneeId)
      ? await s.agents.findById(ctx.tenant.id, assigneeId)
      : null;
    if (!agent || !agent.active) {
      throw invalid(
        'assignee_id is not an active agent of this team',
        [{ path: ['assignee_id'], message: 'unknown agent' }],
        { key: 'assignee_not_active' },
      );
    }
    if (agent.role === 'engineer') {
      throw invalid('Engineers cannot be assigned tickets', undefined, {
        key: 'engineer_not_assignable',
      });
    }
    if (
      actor.type === 'agent' &&
      actor.id !== assigneeId &&
      !isSupervisorOrAbove(actor) &&
      current !== null
    ) {
      throw forbidden('Only a supervisor may assign a ticket to someone else', {
        key: 'only_supervisor_assigns_others',
      });
    }
  }
  changes.assigneeId = assigneeId;
  if (assigneeId !== null && before.status === 'new') changes.status = 'assigned';
}

function statusChanges(before: Ticket, to: TicketStatus, now: Date): Partial<TicketChanges> {
  if (to === 'closed') return { status: to, closedAt: now };
  if (before.status === 'resolved' || before.status === 'closed') {
    return { status: to, resolvedAt: null, closedAt: null, resolution: null, approval: null };
  }
  return { status: to };
}

function resolvedChanges(resolution: ResolutionInput, now: Date): Partial<TicketChanges> {
  return { status: 'resolved', resolvedAt: now, resolution: toResolution(resolution) };
}

const toResolution = (r: ResolutionInput) => ({
  code: r.code,
  notes: r.notes ?? null,
  reference: r.reference ?? null,
});

function approvalOf(ticket: Ticket): StoredApproval | null {
  return (ticket.approval as StoredApproval | null) ?? null;
}

function approvedResolution(ticket: Ticket): ResolutionInput | undefined {
  const approval = approvalOf(ticket);
  return approval?.status === 'approved' ? approval.resolution : undefined;
}

function pendingApproval(actor: Actor, resolution: ResolutionInput, now: Date): StoredApproval {
  return {
    status: 'pending',
    code: resolution.code,
    requested_by: actor.type === 'agent' ? actor.id : actor.type,
    decided_by: null,
    resolution,
    requested_at: now.toISOString(),
    decided_at: null,
  };
}

/** A supervisor approves (and so resolves) or rejects a pending refund or credit note. */
export async function decideApproval(
  deps: AppDeps,
  ctx: RequestContext,
  ref: string,
  decision: 'approve' | 'reject',
): Promise<Ticket> {
  assertCanDecideApproval(ctx.actor);
  const ticket = await deps.uow.transaction(async (s) => {
    const now = deps.clock.now();
    const before = await findTicket(s, ctx.tenant, ref, now, { forUpdate: true });
    const approval = approvalOf(before);
    if (approval?.status !== 'pending') {
      throw invalid(
        'This ticket has no pending approval',
        [{ path: ['decision'], message: 'nothing to decide' }],
        { key: 'no_pending_approval' },
      );
    }
    const decidedBy = ctx.actor.type === 'agent' ? ctx.actor.id : ctx.actor.type;
    const decided: StoredApproval = {
      ...approval,
      status: decision === 'approve' ? 'approved' : 'rejected',
      decided_by: decidedBy,
      decided_at: now.toISOString(),
    };
    const changes: TicketChanges = { updatedAt: now, approval: decided };
    if (decision === 'approve') {
      assertTransition(before.status, 'resolved', ctx.actor);
      Object.assign(changes, resolvedChanges(approval.resolution, now));
    }
    return applyTicketChanges(s, deps, {
      before,
      changes,
      actor: ctx.actor,
      action: decision === 'approve' ? 'approval_approved' : 'approval_rejected',
    });
  });
  deps.onOutboxWrite?.();
  await backfillAfter(deps, ctx.tenant.id, ticket);
  return ticket;
}
