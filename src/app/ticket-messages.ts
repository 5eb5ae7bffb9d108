/** Messages on a ticket: agent replies (sent to the customer through the outbox) and internal notes. */
import { actorRef } from '../domain/actor.js';
import { forbidden } from '../domain/errors.js';
import type { Message } from '../domain/records.js';
import { statusAfterCustomerMessage } from '../domain/ticket-transitions.js';
import type { AuthorType } from '../domain/vocabulary.js';
import type { AppDeps, RequestContext } from './context.js';
import type { AddMessageInput } from './inputs.js';
import { deliverAgentReply } from './customer-reply.js';
import { CUSTOMER_CHANNELS, enqueueTicketEvent } from './outbox-events.js';
import { prepareAttachments, recordAttachments } from './store-attachments.js';
import { applyTicketChanges } from './ticket-change-set.js';
import { findTicket, readTicket } from './ticket-lookup.js';

export async function addTicketMessage(
  deps: AppDeps,
  ctx: RequestContext,
  ref: string,
  input: AddMessageInput,
): Promise<Message> {
  const { actor, tenant } = ctx;
  const internal = input.internal ?? false;
  if (actor.type === 'agent' && actor.role === 'engineer' && !internal) {
    throw forbidden('Engineers add internal technical notes only', { key: 'engineer_notes_only' });
  }
  const prepared = await prepareAttachments(deps.files, input.attachments);
  const authorType: AuthorType =
    actor.type === 'agent' ? 'agent' : actor.type === 'customer' ? 'customer' : 'system';

  const message = await deps.uow.transaction(async (s) => {
    const now = deps.clock.now();
    const ticket = await findTicket(s, tenant, ref, now, { forUpdate: true });
    const toCustomer =
      !internal && authorType !== 'customer' && CUSTOMER_CHANNELS.includes(ticket.channel);
    const inserted = await s.messages.insert({
      tenantId: tenant.id,
      ticketId: ticket.id,
      authorType,
      authorId: actorRef(actor).actor_id,
      body: input.body,
      internal,
      channel: toCustomer ? ticket.channel : 'api',
      deliveryStatus: toCustomer ? 'pending' : null,
      workspaceRef: input.workspaceRef ?? null,
      createdAt: now,
    });
    if (!inserted) throw new Error('message insert returned nothing');
    const files = await recordAttachments(
      s,
      { tenantId: tenant.id, ticketId: ticket.id, messageId: inserted.id },
      prepared,
    );
    const recorded: Message = { ...inserted, attachments: files };

    if (toCustomer) {
      const route = await deliverAgentReply(s, deps, ticket, recorded, now);
      if (route === 'no_channel' || route === 'undeliverable') {
        const stored = (await s.messages.listForTicket(tenant.id, ticket.id)).find(
          (m) => m.id === recorded.id,
        );
        if (stored)
          Object.assign(recorded, {
            deliveryStatus: stored.deliveryStatus,
            deliveryError: stored.deliveryError,
          });
      }
    }
    await enqueueTicketEvent(s, deps, {
      type: 'ticket.message',
      ticket,
      messageId: recorded.id,
      ...(input.origin ? { origin: input.origin } : {}),
      actorAgentId: actor.type === 'agent' ? actor.id : null,
    });
    // The first public agent reply is the first response (its SLA figures are stored with it);
    // a customer writing to a ticket that waits on them puts it back to work (resuming its clocks).
    if (authorType === 'agent' && !internal && !ticket.firstResponseAt) {
      await applyTicketChanges(s, deps, {
        before: ticket,
        changes: { updatedAt: now, firstResponseAt: now },
        actor,
        action: 'first_response',
      });
    } else if (authorType === 'customer' && !internal) {
      const next = statusAfterCustomerMessage(ticket.status);
      if (next !== ticket.status) {
        await applyTicketChanges(s, deps, {
          before: ticket,
          changes: { updatedAt: now, status: next },
          actor,
          action: 'customer_replied',
        });
      }
    }
    const who = actorRef(actor);
    await s.audit.record({
      tenantId: tenant.id,
      entityType: 'message',
      entityId: recorded.id,
      ticketId: ticket.id,
      action: internal ? 'note_added' : 'reply_added',
      actorType: who.actor_type,
      actorId: who.actor_id,
      changes: { message: { from: null, to: recorded.id } },
      createdAt: now,
    });
    return recorded;
  });
  deps.onOutboxWrite?.();
  return message;
}

export async function listTicketMessages(
  deps: AppDeps,
  ctx: RequestContext,
  ref: string,
): Promise<Message[]> {
  const ticket = await readTicket(deps, ctx.tenant, ref);
  return deps.uow.read.messages.listForTicket(ctx.tenant.id, ticket.id);
}
