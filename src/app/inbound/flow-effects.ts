/** Carrying out what a bot step decided, inside the inbound transaction. */
import type { Actor } from '../../domain/actor.js';
import type { Tenant, Ticket } from '../../domain/records.js';
import { statusAfterCustomerMessage } from '../../domain/ticket-transitions.js';
import type { ConversationState, FlowEffect } from '../../engine/flow-types.js';
import type { Conversation, Stores } from '../../ports/stores.js';
import type { AppDeps, BotDeps } from '../context.js';
import { insertTicket } from '../create-ticket.js';
import { enqueueTicketEvent } from '../outbox-events.js';
import { applyTicketChanges } from '../ticket-change-set.js';
import { vocabularyOf } from '../tenant-policy.js';
import { loadSlaPolicy } from '../sla-policies.js';
import { businessSecondsBetween } from '../../domain/business-calendar.js';
import { renderSay, sendToConversation } from './conversation-outbound.js';

export interface EffectScope {
  tenant: Tenant;
  conversation: Conversation;
  /** The customer's message this step answered. */
  messageId: string;
  actor: Actor;
  state: ConversationState;
  now: Date;
}

/**
 * The customer's message joins an open ticket; a ticket waiting on the customer goes back to work.
 * `held` (over the inbound flood limit): the message is on the ticket, but not announced (no
 * thread post, no watcher notice); a status change still is.
 */
export async function appendToTicket(
  s: Stores,
  deps: AppDeps,
  ticket: Ticket,
  messageId: string,
  actor: Actor,
  now: Date,
  opts: { held?: boolean } = {},
): Promise<void> {
  await s.messages.setTicket(ticket.tenantId, messageId, ticket.id);
  const next = statusAfterCustomerMessage(ticket.status);
  if (next !== ticket.status) {
    await applyTicketChanges(s, deps, {
      before: ticket,
      changes: { status: next, updatedAt: now },
      actor,
      action: 'customer_replied',
    });
  } else if (!opts.held) {
    await enqueueTicketEvent(s, deps, {
      type: 'ticket.message',
      ticket,
      messageId,
    });
  }
}

async function findOpen(s: Stores, tenantId: string, number: string): Promise<Ticket | null> {
  return s.tickets.findByNumber(tenantId, number);
}

export async function applyFlowEffects(
  s: Stores,
  deps: AppDeps,
  bot: BotDeps,
  scope: EffectScope,
  effects: FlowEffect[],
): Promise<void> {
  const { tenant, now, actor } = scope;
  let conversation = scope.conversation;
  const say = (content: Parameters<typeof sendToConversation>[2], ticketId: string | null = null) =>
    sendToConversation(s, conversation, content, {
      ticketId,
      authorType: 'bot',
      authorId: null,
      now,
    });

  for (const effect of effects) {
    switch (effect.type) {
      case 'set_language':
        conversation = { ...conversation, language: effect.language };
        await s.conversations.update(
          tenant.id,
          conversation.id,
          { language: effect.language },
          now,
        );
        await s.customers.update(tenant.id, conversation.customerId, { language: effect.language });
        break;
      case 'say':
        await say(renderSay(bot, scope.state.language, effect));
        break;
      case 'append_to_ticket': {
        const ticket = await findOpen(s, tenant.id, effect.ticketNumber);
        if (ticket) await appendToTicket(s, deps, ticket, scope.messageId, actor, now);
        break;
      }
      case 'open_ticket': {
        const vocab = vocabularyOf(tenant);
        const ticket = await insertTicket(
          s,
          deps,
          { tenant, actor },
          {
            subject: effect.draft.subject,
            description: effect.draft.description,
            category: effect.draft.category,
            priority: effect.draft.priority ?? vocab.default_priority,
            channel: conversation.channel,
            customerId: conversation.customerId,
            links: {
              order_ref: effect.draft.order_ref ?? null,
              invoice_ref: effect.draft.invoice_ref ?? null,
              store_ref: effect.draft.store_ref ?? null,
              product_sku: effect.draft.product_sku ?? null,
            },
            delivery_date: effect.draft.delivery_date,
            conversationId: conversation.id,
          },
          now,
        );
        await s.messages.adoptConversationMessages(tenant.id, conversation.id, ticket.id);
        await say(
          {
            text: await openedText(s, tenant, ticket, effect.confirmKey, scope.state.language, bot),
          },
          ticket.id,
        );
        break;
      }
      case 'request_human': {
        const [open] = await s.tickets.listOpenForCustomer(tenant.id, conversation.customerId, 1);
        if (open) {
          await appendToTicket(s, deps, open, scope.messageId, actor, now);
          break;
        }
        const ticket = await insertTicket(
          s,
          deps,
          { tenant, actor },
          {
            subject: bot.translator.t('en', 'human.ticket_subject'),
            category: 'general_inquiry',
            priority: vocabularyOf(tenant).default_priority,
            channel: conversation.channel,
            customerId: conversation.customerId,
            conversationId: conversation.id,
          },
          now,
        );
        await s.messages.adoptConversationMessages(tenant.id, conversation.id, ticket.id);
        break;
      }
      case 'csat_answer': {
        const ticket = await findOpen(s, tenant.id, effect.ticketNumber);
        if (!ticket) break;
        const reopen = !effect.solved && ticket.status === 'resolved';
        await applyTicketChanges(s, deps, {
          before: ticket,
          changes: {
            csatSolved: effect.solved,
            updatedAt: now,
            ...(reopen ? { status: 'in_progress' as const, resolvedAt: null } : {}),
          },
          actor,
          action: reopen ? 'reopened_by_customer' : 'csat_answered',
        });
        await s.messages.setTicket(tenant.id, scope.messageId, ticket.id);
        if (reopen || effect.solved === false) {
          await s.conversations.update(tenant.id, conversation.id, { csatTicketId: null }, now);
        }
        break;
      }
      case 'csat_rating': {
        const ticket = await findOpen(s, tenant.id, effect.ticketNumber);
        if (!ticket) break;
        await applyTicketChanges(s, deps, {
          before: ticket,
          changes: { csatRating: effect.rating, updatedAt: now },
          actor,
          action: 'csat_rated',
        });
        await s.messages.setTicket(tenant.id, scope.messageId, ticket.id);
        await s.conversations.update(tenant.id, conversation.id, { csatTicketId: null }, now);
        break;
      }
    }
  }
}

/**
 * "Ticket TK-… opened, we answer within 4 hours." When the first-response clock runs through
 * closed hours (a Friday-evening ticket of a shop closed at weekends), the `later` variant names
 * the time instead: "…, we answer by Monday 12:30." (a flow's own key without that variant keeps
 * its one text).
 */
async function openedText(
  s: Stores,
  tenant: Tenant,
  ticket: Ticket,
  key: string,
  language: string,
  bot: BotDeps,
): Promise<string> {
  const due = ticket.firstResponseDueAt ?? ticket.createdAt;
  const wallSeconds = (due.getTime() - ticket.createdAt.getTime()) / 1000;
  const policy = await loadSlaPolicy(s, tenant, {
    groupId: ticket.groupId,
    category: ticket.category,
    customerId: ticket.customer.id,
  });
  const business = businessSecondsBetween(ticket.createdAt, due, policy.calendar);
  const closedInBetween = wallSeconds - business > 60;
  return bot.translator.t(language, key, {
    number: ticket.number,
    target: bot.translator.duration(language, closedInBetween ? business : wallSeconds),
    due: bot.translator.dateTime(language, due, policy.calendar?.timezone ?? tenant.timezone),
    ...(closedInBetween ? { context: 'later' } : {}),
  });
}
