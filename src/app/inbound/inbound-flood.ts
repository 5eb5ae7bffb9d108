/**
 * The inbound pipeline's side of the flood limit (src/domain/inbound-flood.ts). A message over
 * the limit is recorded like any other and put on the customer's ticket (an open one, or one
 * opened for a person to read, as "agent" would), but it is not announced: no thread post, no
 * watcher notice, no bot step. The message that starts a hold gets the customer one notice
 * ("we have your messages, an agent will read them all"), an audit event on the ticket, and
 * summarizes the previous hold if its summary is still due. Runs in the inbound transaction,
 * under the conversation's row lock, so several processes count and hold the same way.
 */
import type { Actor } from '../../domain/actor.js';
import {
  type FloodDecision,
  type InboundFloodLimit,
  floodDecision,
  floodWindowStart,
  inboundFloodLimit,
} from '../../domain/inbound-flood.js';
import type { Tenant } from '../../domain/records.js';
import type { Conversation, ConversationPatch, Stores } from '../../ports/stores.js';
import type { AppDeps, BotDeps } from '../context.js';
import { sendToConversation } from './conversation-outbound.js';
import { appendToTicket, applyFlowEffects } from './flow-effects.js';
import { writeFloodSummary } from './flood-summary.js';

export type FloodHold = Extract<FloodDecision, { kind: 'hold' }> & { limit: InboundFloodLimit };

/** Whether the message just recorded on `conversation` is over the tenant's limit. */
export async function checkInboundFlood(
  s: Stores,
  tenant: Tenant,
  conversation: Conversation,
  now: Date,
): Promise<FloodHold | null> {
  const limit = inboundFloodLimit(tenant.settings);
  if (limit === null) return null;
  const recent = await s.inboundFlood.countRecentCustomerMessages(
    tenant.id,
    conversation.id,
    floodWindowStart(limit, now),
    limit.messages + 1,
  );
  const decision = floodDecision(limit, recent, conversation.floodHoldUntil, now);
  return decision.kind === 'hold' ? { ...decision, limit } : null;
}

export interface HeldMessage {
  tenant: Tenant;
  conversation: Conversation;
  messageId: string;
  actor: Actor;
  now: Date;
}

/** Puts a held message on the customer's ticket without announcing it (see the file comment). */
export async function holdInboundMessage(
  s: Stores,
  deps: AppDeps,
  bot: BotDeps,
  held: HeldMessage,
  hold: FloodHold,
): Promise<void> {
  const { tenant, conversation, messageId, actor, now } = held;
  let heldBefore = conversation.floodHeldCount;
  if (hold.startsHold && heldBefore > 0) {
    await writeFloodSummary(s, deps, bot, {
      tenant,
      conversationId: conversation.id,
      heldCount: heldBefore,
    });
    heldBefore = 0;
  }
  const patch: ConversationPatch = {
    floodHoldUntil: hold.holdUntil,
    floodHeldCount: heldBefore + 1,
  };
  let [ticket] = await s.tickets.listOpenForCustomer(tenant.id, conversation.customerId, 1);
  if (ticket) {
    await appendToTicket(s, deps, ticket, messageId, actor, now, { held: true });
  } else {
    // Nobody would read them otherwise: hand the conversation to a person, as "agent" does
    // (the ticket adopts the conversation's messages, this one included), and leave the bot's flow.
    await applyFlowEffects(
      s,
      deps,
      bot,
      {
        tenant,
        conversation,
        messageId,
        actor,
        state: { flow: null, step: null, data: {}, language: conversation.language },
        now,
      },
      [{ type: 'request_human' }],
    );
    [ticket] = await s.tickets.listOpenForCustomer(tenant.id, conversation.customerId, 1);
    Object.assign(patch, { flow: null, step: null, data: {}, remindAt: null, remindedAt: null });
  }
  if (hold.startsHold) {
    await sendToConversation(
      s,
      conversation,
      { text: bot.translator.t(conversation.language, 'flood.notice') },
      { ticketId: ticket?.id ?? null, authorType: 'bot', authorId: null, now },
    );
    if (ticket) {
      await s.audit.record({
        tenantId: tenant.id,
        entityType: 'ticket',
        entityId: ticket.id,
        ticketId: ticket.id,
        action: 'inbound_flood_limited',
        actorType: 'system',
        actorId: null,
        changes: {
          inbound_flood: {
            from: null,
            to: {
              channel: conversation.channel,
              messages: hold.limit.messages,
              per_seconds: hold.limit.per_seconds,
              held_until: hold.holdUntil.toISOString(),
            },
          },
        },
        createdAt: now,
      });
    }
  }
  await s.conversations.update(tenant.id, conversation.id, patch, now);
}
