/**
 * An agent sends again a reply whose delivery failed for good (the customer unblocked the bot,
 * the platform's outage is over): its outbox row goes back to pending with a fresh attempt
 * budget, and the retry is on the ticket's audit trail. Only a message that went through the
 * outbox and failed can be retried; one that was never sendable (no channel, outside WhatsApp's
 * 24-hour window without a template) is answered with a conflict.
 */
import { actorRef, isEngineer } from '../domain/actor.js';
import { conflict, forbidden, notFound } from '../domain/errors.js';
import type { Message } from '../domain/records.js';
import { isUuid } from '../domain/uuid.js';
import type { AppDeps, RequestContext } from './context.js';
import { findTicket } from './ticket-lookup.js';

export async function retryMessageDelivery(
  deps: AppDeps,
  ctx: RequestContext,
  ref: string,
  messageId: string,
): Promise<Message> {
  const { actor, tenant } = ctx;
  if (isEngineer(actor))
    throw forbidden('Engineers may read tickets and add technical notes only', {
      key: 'engineer_read_only',
    });
  const message = await deps.uow.transaction(async (s) => {
    const now = deps.clock.now();
    const ticket = await findTicket(s, tenant, ref, now, { forUpdate: true });
    const found = isUuid(messageId) ? await s.messages.findById(tenant.id, messageId) : null;
    if (!found || found.ticketId !== ticket.id)
      throw notFound('Message', { key: 'message_not_found', params: { ref: ticket.number } });
    if (found.deliveryStatus !== 'failed')
      throw conflict('Only a message whose delivery failed can be sent again', 'not_failed', {
        key: 'delivery_not_failed',
      });
    if (!(await s.deliveryRetries.retryFailed(tenant.id, found.id, now)))
      throw conflict(
        'This message never reached the outbox (no channel, or not sendable then): send a new reply',
        'not_retryable',
        { key: 'delivery_not_retryable' },
      );
    const who = actorRef(actor);
    await s.audit.record({
      tenantId: tenant.id,
      entityType: 'message',
      entityId: found.id,
      ticketId: ticket.id,
      action: 'delivery_retried',
      actorType: who.actor_type,
      actorId: who.actor_id,
      changes: { delivery: { from: found.deliveryError, to: 'pending' } },
      createdAt: now,
    });
    return { ...found, deliveryStatus: 'pending' as const, deliveryError: null };
  });
  deps.onOutboxWrite?.();
  return message;
}
