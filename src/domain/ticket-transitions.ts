import { isEngineer, isSupervisorOrAbove, type Actor } from './actor.js';
import { ParleyError, forbidden } from './errors.js';
import { OPEN_STATUSES, TICKET_STATUSES, type TicketStatus } from './vocabulary.js';

/**
 * The ticket status machine (CONTRACT.md, "Transitions") and who may drive it.
 *
 * Checks, in order:
 * 1. `from === to` is a no-op and always allowed (nothing changes, nothing to audit), so a
 *    PATCH that repeats the current status does not fail.
 * 2. An engineer may make no status change at all → `forbidden`.
 * 3. A move no actor may ever make → `conflict` / `invalid_transition` (409).
 * 4. A move some role may make but this actor may not (an agent closing a new ticket, a
 *    customer resolving) → also `conflict` / `invalid_transition` (409): the contract says
 *    "anything else: 409", and the message says who may make it.
 */

type Edge = readonly [TicketStatus, TicketStatus];

/** What agents and the system may do. `resolved→closed` is here: agents close resolved tickets and the system auto-closes them. */
const NORMAL: readonly Edge[] = [
  ['new', 'assigned'],
  ['new', 'in_progress'],
  ['assigned', 'in_progress'],
  ['in_progress', 'awaiting_customer'],
  ['awaiting_customer', 'in_progress'],
  ['assigned', 'resolved'],
  ['in_progress', 'resolved'],
  ['awaiting_customer', 'resolved'],
  ['resolved', 'closed'],
  ['resolved', 'in_progress'],
];

/** Supervisors may also close any open ticket and reopen a closed one. */
const SUPERVISOR_EXTRA: readonly Edge[] = [
  ...OPEN_STATUSES.map((s): Edge => [s, 'closed']),
  ['closed', 'in_progress'],
];

/** A customer moves a ticket only by writing to it, or by saying it is not solved. */
const CUSTOMER: readonly Edge[] = [
  ['awaiting_customer', 'in_progress'],
  ['resolved', 'in_progress'],
];

const has = (edges: readonly Edge[], from: TicketStatus, to: TicketStatus): boolean =>
  edges.some(([f, t]) => f === from && t === to);

function edgesFor(actor: Actor): readonly Edge[] {
  if (isEngineer(actor)) return [];
  if (actor.type === 'customer') return CUSTOMER;
  if (isSupervisorOrAbove(actor)) return [...NORMAL, ...SUPERVISOR_EXTRA];
  // Plain agents and the system: the normal transitions (the system's auto-close is resolved→closed).
  return NORMAL;
}

/** Whether any actor at all may make this move. */
export function isKnownTransition(from: TicketStatus, to: TicketStatus): boolean {
  return has(NORMAL, from, to) || has(SUPERVISOR_EXTRA, from, to);
}

/** Throws unless `actor` may move a ticket from `from` to `to`. `from === to` is an allowed no-op. */
export function assertTransition(from: TicketStatus, to: TicketStatus, actor: Actor): void {
  if (from === to) return;
  if (isEngineer(actor)) {
    throw forbidden('Engineers may read tickets and add technical notes, not change status', {
      key: 'engineer_read_only',
    });
  }
  if (!isKnownTransition(from, to)) {
    throw new ParleyError(
      'conflict',
      'invalid_transition',
      `A ticket cannot move from ${from} to ${to}`,
      { from, to },
      { key: 'transition_unknown', params: { from, to } },
    );
  }
  if (!has(edgesFor(actor), from, to)) {
    const [message, key] =
      from === 'closed'
        ? ['Only a supervisor may reopen a closed ticket', 'only_supervisor_reopens']
        : to === 'closed' && from !== 'resolved'
          ? ['Only a supervisor may close a ticket that is not resolved', 'only_supervisor_closes']
          : [`You may not move this ticket from ${from} to ${to}`, 'transition_not_yours'];
    const text = key === 'transition_not_yours' ? { key, params: { from, to } } : { key };
    throw new ParleyError('conflict', 'invalid_transition', message, { from, to }, text);
  }
}

/** `assertTransition` as a boolean. */
export function canTransition(from: TicketStatus, to: TicketStatus, actor: Actor): boolean {
  return from === to || has(edgesFor(actor), from, to);
}

/** The statuses `actor` may move a ticket in `from` to, in vocabulary order (excluding `from`). */
export function allowedTargets(from: TicketStatus, actor: Actor): TicketStatus[] {
  const edges = edgesFor(actor);
  return TICKET_STATUSES.filter((to) => to !== from && has(edges, from, to));
}

/**
 * The status a ticket takes when the customer writes to it: `awaiting_customer` →
 * `in_progress`; everything else stays as it is. A message on a `resolved` ticket does not
 * reopen it here — the flow engine asks the customer and decides.
 */
export function statusAfterCustomerMessage(status: TicketStatus): TicketStatus {
  return status === 'awaiting_customer' ? 'in_progress' : status;
}
