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

/** Outbound webhook deliveries are outbox rows of destination `webhook:<subscription id>`. */
const DESTINATION_PREFIX = 'webhook:';

export const webhookDestination = (subscriptionId: string): string =>
  `${DESTINATION_PREFIX}${subscriptionId}`;

/** The subscription a destination delivers to; null when it is no webhook destination. */
export function subscriptionOfDestination(destination: string): string | null {
  return destination.startsWith(DESTINATION_PREFIX)
    ? destination.slice(DESTINATION_PREFIX.length)
    : null;
}

/**
 * Why `url` cannot receive webhooks, or null when it can: https only (http too when allowed, for
 * a receiver on the same host), and no credentials in it.
 */
export function webhookUrlProblem(url: string, allowHttp: boolean): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a URL';
  }
  const allowed = parsed.protocol === 'https:' || (allowHttp && parsed.protocol === 'http:');
  if (!allowed) return 'not https://';
  if (parsed.username || parsed.password) return 'credentials in the URL';
  return null;
}
