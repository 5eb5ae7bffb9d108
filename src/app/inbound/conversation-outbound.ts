/**
 * Everything we send a customer goes through here: a message row (so the ticket shows it and
 * receipts can update it) and an outbox row ordered per conversation, in the caller's transaction.
 */
import type { AuthorType } from '../../domain/vocabulary.js';
import type { OutboundMessage } from '../../ports/channel.js';
import type { Conversation, Stores } from '../../ports/stores.js';
import type { BotDeps } from '../context.js';
import type { FlowEffect } from '../../engine/flow-types.js';

export type OutboundContent = Omit<OutboundMessage, 'channel' | 'chatId'>;

/** Buttons, list and media of an outbound message, kept on its row for the web chat's history. */
function extrasOf(content: OutboundContent): Record<string, unknown> | null {
  const extras: Record<string, unknown> = {};
  if (content.buttons?.length) extras.buttons = content.buttons;
  if (content.list) extras.list = content.list;
  if (content.media) extras.media = content.media;
  return Object.keys(extras).length > 0 ? extras : null;
}

export const conversationOrderingKey = (conversationId: string): string =>
  `conversation:${conversationId}`;

export async function sendToConversation(
  s: Stores,
  conversation: Conversation,
  content: OutboundContent,
  meta: {
    ticketId: string | null;
    authorType: AuthorType;
    authorId: string | null;
    now: Date;
    /** An existing message row to deliver (an agent's reply); otherwise one is recorded. */
    messageId?: string;
  },
): Promise<string> {
  const destination = `customer:${conversation.channel}`;
  const delivery = (messageId: string) => ({
    tenantId: conversation.tenantId,
    ticketId: meta.ticketId,
    messageId,
    destination,
    orderingKey: conversationOrderingKey(conversation.id),
    dedupeKey: `out:${messageId}`,
    payload: {
      outbound: { ...content, channel: conversation.channel, chatId: conversation.chatId },
      // Who wrote it: an agent's reply gets a delivery mark in Slack (delivery-marks.ts).
      author_type: meta.authorType,
    },
  });
  let messageId = meta.messageId;
  if (messageId) {
    await s.outbox.enqueue(delivery(messageId));
  } else {
    // The message row and its outbox row in one statement.
    messageId = await s.messages.insertForDelivery(
      {
        tenantId: conversation.tenantId,
        ticketId: meta.ticketId,
        conversationId: conversation.id,
        authorType: meta.authorType,
        authorId: meta.authorId,
        body: content.text ?? content.media?.caption ?? '',
        internal: false,
        channel: conversation.channel,
        deliveryStatus: 'pending',
        outbound: extrasOf(content),
        createdAt: meta.now,
      },
      delivery,
    );
  }
  await s.conversations.update(
    conversation.tenantId,
    conversation.id,
    { lastOutboundAt: meta.now },
    meta.now,
  );
  return messageId;
}

/** Renders a flow's `say` effect in the customer's language. */
export function renderSay(
  bot: BotDeps,
  language: string,
  effect: Extract<FlowEffect, { type: 'say' }>,
  extraParams: Record<string, string | number> = {},
): OutboundContent {
  const t = (key: string, params?: Record<string, string | number>) =>
    bot.translator.t(language, key, { ...extraParams, ...params });
  const content: OutboundContent = { text: t(effect.key, effect.params) };
  if (effect.buttons?.length) {
    content.buttons = effect.buttons.map((b) => ({ id: b.id, title: t(b.key, b.params) }));
  }
  if (effect.list?.rows.length) {
    content.list = {
      buttonText: t(effect.list.buttonKey),
      rows: effect.list.rows.map((r) => ({ id: r.id, title: t(r.key) })),
    };
  }
  return content;
}
