/** The ticket events Parley tells the outside world of (outbound webhooks, internal fan-out). */

export const TICKET_EVENT_TYPES = [
  'ticket.created',
  'ticket.updated',
  'ticket.message',
  'ticket.approval_requested',
] as const;

export type TicketEventType = (typeof TICKET_EVENT_TYPES)[number];

/** Does a subscription to `events` (empty: all) hear of `type`? */
export function subscribedTo(events: readonly string[], type: string): boolean {
  return events.length === 0 || events.includes(type);
}
