/**
 * What a ticket change must tell the outside world, as outbox rows in the change's transaction.
 * Internal destinations (Slack, managers) are those wired at start-up; customer replies go to the
 * ticket's channel when it is a messaging channel.
 */
import type { Ticket } from '../domain/records.js';
import {
  type TicketEventType,
  subscribedTo,
  webhookDestination,
} from '../domain/webhook-events.js';
import type { Channel } from '../domain/vocabulary.js';
import type { OutboxEnqueue } from '../ports/outbox.js';
import type { Stores } from '../ports/stores.js';
import type { AppDeps } from './context.js';
import { notifyWatchers } from './watcher-notices.js';

export const CUSTOMER_CHANNELS: readonly Channel[] = ['telegram', 'whatsapp', 'webchat', 'email'];

export type { TicketEventType };

export interface TicketEvent {
  type: TicketEventType;
  ticket: Ticket;
  messageId?: string;
  changes?: Record<string, unknown>;
  /** Where the change came from (`slack`), so that surface does not echo it back. */
  origin?: string;
  /** The agent who made the change: their own watcher notices are skipped. */
  actorAgentId?: string | null;
}

/** One ticket event's outbox rows, one per internal destination, ordered per ticket. */
export function ticketEventRows(
  destinations: readonly string[],
  event: Omit<TicketEvent, 'ticket' | 'actorAgentId'> & {
    ticket: Pick<Ticket, 'id' | 'tenantId' | 'number'>;
  },
): OutboxEnqueue[] {
  return destinations.map((destination) => ({
    tenantId: event.ticket.tenantId,
    ticketId: event.ticket.id,
    // Not the row's message_id: that column is for rows that deliver the message itself (their
    // result updates its delivery_status); a notification about it only names it.
    messageId: null,
    destination,
    orderingKey: `${destination}:ticket:${event.ticket.id}`,
    payload: {
      type: event.type,
      ticket_id: event.ticket.id,
      number: event.ticket.number,
      ...(event.messageId ? { message_id: event.messageId } : {}),
      ...(event.changes ? { changes: event.changes } : {}),
      ...(event.origin ? { origin: event.origin } : {}),
    },
  }));
}

/** Where a tenant's ticket event of `type` goes: the internal destinations and its webhooks. */
export async function eventDestinations(
  s: Pick<Stores, 'webhookSubscriptions'>,
  deps: Pick<AppDeps, 'notifyDestinations' | 'webhookTargets'>,
  tenantId: string,
  type: TicketEventType,
): Promise<string[]> {
  const subscriptions = deps.webhookTargets ? await deps.webhookTargets.active(s, tenantId) : [];
  return [
    ...deps.notifyDestinations,
    ...subscriptions
      .filter((subscription) => subscribedTo(subscription.events, type))
      .map((subscription) => webhookDestination(subscription.id)),
  ];
}

/**
 * Fans one ticket event out to each internal destination (e.g. `slack`), to watchers, and to the
 * tenant's outbound webhooks subscribed to its type.
 */
export async function enqueueTicketEvent(
  s: Stores,
  deps: Pick<AppDeps, 'notifyDestinations' | 'staff' | 'staffPlatforms' | 'webhookTargets'>,
  event: TicketEvent,
): Promise<number> {
  const destinations = await eventDestinations(s, deps, event.ticket.tenantId, event.type);
  await notifyWatchers(s, deps, event);
  for (const row of ticketEventRows(destinations, event)) await s.outbox.enqueue(row);
  return destinations.length;
}
