/**
 * What a ticket change must tell the outside world, as outbox rows in the change's transaction.
 * Internal destinations (Slack, managers) are those wired at start-up; customer replies go to the
 * ticket's channel when it is a messaging channel.
 */
import type { Message, Ticket } from '../domain/records.js';
import type { Channel } from '../domain/vocabulary.js';
import type { Stores } from '../ports/stores.js';

export const CUSTOMER_CHANNELS: readonly Channel[] = ['telegram', 'whatsapp', 'webchat', 'email'];

export const customerDestination = (channel: Channel): string => `customer:${channel}`;

export type TicketEventType =
  'ticket.created' | 'ticket.updated' | 'ticket.message' | 'ticket.approval_requested';

/** Fans one ticket event out to each internal destination (e.g. `slack`), ordered per ticket. */
export async function enqueueTicketEvent(
  s: Stores,
  destinations: readonly string[],
  event: {
    type: TicketEventType;
    ticket: Ticket;
    messageId?: string;
    changes?: Record<string, unknown>;
  },
): Promise<number> {
  for (const destination of destinations) {
    await s.outbox.enqueue({
      tenantId: event.ticket.tenantId,
      ticketId: event.ticket.id,
      messageId: event.messageId ?? null,
      destination,
      orderingKey: `${destination}:ticket:${event.ticket.id}`,
      payload: {
        type: event.type,
        ticket_id: event.ticket.id,
        number: event.ticket.number,
        ...(event.messageId ? { message_id: event.messageId } : {}),
        ...(event.changes ? { changes: event.changes } : {}),
      },
    });
  }
  return destinations.length;
}

/** An agent's public reply, to the customer on the ticket's channel; ordered per conversation. */
export async function enqueueCustomerReply(
  s: Stores,
  ticket: Ticket,
  message: Message,
): Promise<boolean> {
  if (!CUSTOMER_CHANNELS.includes(ticket.channel)) return false;
  const destination = customerDestination(ticket.channel);
  await s.outbox.enqueue({
    tenantId: ticket.tenantId,
    ticketId: ticket.id,
    messageId: message.id,
    destination,
    orderingKey: `${destination}:customer:${ticket.customer.id}`,
    dedupeKey: `reply:${message.id}`,
    payload: {
      type: 'customer.reply',
      ticket_id: ticket.id,
      number: ticket.number,
      customer_id: ticket.customer.id,
      message_id: message.id,
      body: message.body,
      attachments: message.attachments.map((a) => ({
        sha256: a.sha256,
        mime_type: a.mimeType,
        file_name: a.fileName,
      })),
    },
  });
  return true;
}
