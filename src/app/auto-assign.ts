/**
 * Automatic assignment per agent group (issue 4): round-robin or least-loaded among available
 * members (Slack presence may count, presence-availability.ts), each under their capacity, with a
 * waiting queue that fills oldest-first.
 *
 * A ticket is "in the queue" of its group while it is open and unassigned. Whenever assignment
 * runs for a group it takes the group's lock (and its members' agent rows), so concurrent
 * assignments take turns and nobody goes over capacity, then hands the oldest waiting tickets
 * to whoever the strategy picks until nobody eligible is left.
 *
 * Lock order: ticket → group → member agents; queue tickets are taken with SKIP LOCKED.
 */
import { SYSTEM_ACTOR, actorRef } from '../domain/actor.js';
import {
  type AssignmentCandidate,
  afterAssignment,
  freeSlots,
  pickAssignee,
} from '../domain/assignment.js';
import { notFound } from '../domain/errors.js';
import type { Ticket } from '../domain/records.js';
import { isOpenStatus } from '../domain/vocabulary.js';
import type { AssignmentGroup, Stores, TicketChanges } from '../ports/stores.js';
import type { AppDeps } from './context.js';
import { applyPresence } from './presence-availability.js';
import { applyTicketChanges } from './ticket-change-set.js';
import { syncAssigneeWatcher } from './watchers.js';

/** Tickets claimed from the queue per query. */
const BATCH = 50;
/** Most tickets one `autoAssignTicket` hands out (it may drain older waiting tickets first). */
const AUTO_ASSIGN_LIMIT = 50;
/** Default most tickets one `backfillGroup` call hands out. */
const BACKFILL_LIMIT = 500;

const isWaiting = (t: Ticket) =>
  t.groupId !== null && t.assignee === null && isOpenStatus(t.status);

/**
 * Tries to assign `ticket` automatically, in the caller's transaction. Nothing happens unless the
 * ticket is open, unassigned and in a group whose strategy is not manual. Tickets of the group
 * that have waited longer go first, so this ticket may stay in the queue. Returns the ticket as
 * it is now.
 */
export async function autoAssignTicket(
  s: Stores,
  deps: AppDeps,
  ticket: Ticket,
  now: Date,
): Promise<Ticket> {
  if (!isWaiting(ticket)) return ticket;
  const current = await s.tickets.findById(ticket.tenantId, ticket.id, { forUpdate: true });
  if (!current || !isWaiting(current)) return current ?? ticket;
  const group = await s.assignment.findGroup(current.tenantId, current.groupId!);
  if (!group || group.strategy === 'manual') return current;
  const locked = await s.assignment.lockGroup(current.tenantId, group.id);
  if (!locked || locked.strategy === 'manual') return current;
  const assigned = await fillQueue(s, deps, locked, now, AUTO_ASSIGN_LIMIT);
  if (assigned === 0) return current;
  return (await s.tickets.findById(current.tenantId, current.id)) ?? current;
}

/**
 * Hands the group's waiting tickets, oldest first, to eligible members until nobody eligible is
 * left (or `limit` is reached), in one transaction. Call it after a commit that freed someone
 * up: a ticket of theirs resolved, closed or unassigned, a capacity raised, an agent available.
 * Returns how many tickets were assigned.
 */
export async function backfillGroup(
  deps: AppDeps,
  tenantId: string,
  groupId: string,
  opts: { limit?: number } = {},
): Promise<number> {
  const assigned = await deps.uow.transaction(async (s) => {
    const group = await s.assignment.lockGroup(tenantId, groupId);
    if (!group || group.strategy === 'manual') return 0;
    return fillQueue(s, deps, group, deps.clock.now(), opts.limit ?? BACKFILL_LIMIT);
  });
  if (assigned > 0) deps.onOutboxWrite?.();
  return assigned;
}

/** `backfillGroup` for every group the agent belongs to. Returns how many were assigned. */
export async function backfillAgentGroups(
  deps: AppDeps,
  tenantId: string,
  agentId: string,
): Promise<number> {
  const groupIds = await deps.uow.read.assignment.groupIdsOfAgent(tenantId, agentId);
  let total = 0;
  for (const groupId of groupIds) total += await backfillGroup(deps, tenantId, groupId);
  return total;
}

/** Marks an agent available or not (e.g. from Slack presence); becoming available backfills. */
export async function setAgentAvailability(
  deps: AppDeps,
  tenantId: string,
  agentId: string,
  available: boolean,
): Promise<number> {
  await deps.uow.read.assignment.setAgentAvailability(tenantId, agentId, available);
  return available ? backfillAgentGroups(deps, tenantId, agentId) : 0;
}

/** Changes an agent's capacity (null = no limit); more room backfills. */
export async function setAgentCapacity(
  deps: AppDeps,
  tenantId: string,
  agentId: string,
  capacity: number | null,
): Promise<number> {
  await deps.uow.read.assignment.setAgentCapacity(tenantId, agentId, capacity);
  return backfillAgentGroups(deps, tenantId, agentId);
}

/**
 * Puts a ticket into a group's queue (or out of any, with null), audited, in the caller's
 * transaction, then tries automatic assignment. For routing (e.g. category → group).
 */
export async function setTicketGroup(
  s: Stores,
  deps: AppDeps,
  ticket: Ticket,
  groupId: string | null,
  now: Date,
): Promise<Ticket> {
  if (groupId !== null && !(await s.assignment.findGroup(ticket.tenantId, groupId))) {
    throw notFound('agent group', { key: 'group_not_found' });
  }
  if (ticket.groupId === groupId) return autoAssignTicket(s, deps, ticket, now);
  await s.assignment.setTicketGroup(ticket.tenantId, ticket.id, groupId, now);
  const who = actorRef(SYSTEM_ACTOR);
  await s.audit.record({
    tenantId: ticket.tenantId,
    entityType: 'ticket',
    entityId: ticket.id,
    ticketId: ticket.id,
    action: 'group_changed',
    actorType: who.actor_type,
    actorId: who.actor_id,
    changes: { group_id: { from: ticket.groupId, to: groupId } },
    createdAt: now,
  });
  const moved = await s.tickets.findById(ticket.tenantId, ticket.id);
  if (!moved) throw notFound('ticket');
  return autoAssignTicket(s, deps, moved, now);
}

/** Assigns the group's oldest waiting tickets while someone eligible has room. Group is locked. */
async function fillQueue(
  s: Stores,
  deps: AppDeps,
  group: AssignmentGroup,
  now: Date,
  limit: number,
): Promise<number> {
  let members: AssignmentCandidate[] = await applyPresence(
    s,
    deps,
    group.tenantId,
    await s.assignment.listCandidates(group.tenantId, group.id),
  );
  let cursor = group.lastAssignedAgentId;
  let assigned = 0;
  while (assigned < limit) {
    const room = Math.min(freeSlots(members), limit - assigned, BATCH);
    if (room <= 0) break;
    const ids = await s.assignment.claimWaiting(group.tenantId, group.id, room);
    for (const id of ids) {
      const agentId = pickAssignee({ strategy: group.strategy, members, cursor });
      if (agentId === null) return assigned;
      const before = await s.tickets.findById(group.tenantId, id);
      if (!before) continue;
      await assignTo(s, deps, before, agentId, now);
      await s.assignment.recordAssignment(group.tenantId, group.id, agentId, now);
      members = afterAssignment(members, agentId, now);
      cursor = agentId;
      assigned += 1;
    }
    if (ids.length < room) break;
  }
  return assigned;
}

async function assignTo(
  s: Stores,
  deps: AppDeps,
  before: Ticket,
  agentId: string,
  now: Date,
): Promise<Ticket> {
  const changes: TicketChanges = { updatedAt: now, assigneeId: agentId };
  if (before.status === 'new') changes.status = 'assigned';
  await syncAssigneeWatcher(s, before, before.assignee?.id ?? null, agentId);
  return applyTicketChanges(s, deps, {
    before,
    changes,
    actor: SYSTEM_ACTOR,
    action: 'auto_assigned',
  });
}
