/**
 * Media the customer sent: refused at once when the platform already tells us it is too big or of
 * a type we do not take (a polite reply, and the conversation goes on); otherwise fetched later
 * through the channel's API by an outbox row, so the webhook answers fast.
 */
import type { InboundEvent, InboundMedia } from '../../ports/channel.js';
import type { Conversation, Stores } from '../../ports/stores.js';
import type { AppDeps, BotDeps } from '../context.js';
import { sendToConversation } from './conversation-outbound.js';

export const mediaDestination = (channel: string): string => `media:${channel}`;

export function mediaRefusal(
  deps: AppDeps,
  media: Pick<InboundMedia, 'sizeBytes' | 'mimeType'>,
): 'media.too_large' | 'media.type_not_allowed' | null {
  const { maxBytes, allowedMimeTypes } = deps.files.limits;
  if (media.sizeBytes !== undefined && media.sizeBytes > maxBytes) return 'media.too_large';
  const mime = media.mimeType?.split(';')[0]?.trim().toLowerCase();
  if (mime && !allowedMimeTypes.includes(mime)) return 'media.type_not_allowed';
  return null;
}

export async function sayMediaRefusal(
  s: Stores,
  deps: AppDeps,
  bot: BotDeps,
  conversation: Conversation,
  key: 'media.too_large' | 'media.type_not_allowed',
  now: Date,
): Promise<void> {
  const max = `${Math.floor(deps.files.limits.maxBytes / (1024 * 1024))} MB`;
  await sendToConversation(
    s,
    conversation,
    { text: bot.translator.t(conversation.language, key, { max }) },
    { ticketId: null, authorType: 'bot', authorId: null, now },
  );
}

/**
 * Returns true when at least one file was refused. A `held` message (over the inbound flood
 * limit) gets no refusal reply of its own: the customer had one notice for the whole hold.
 */
export async function enqueueMediaDownloads(
  s: Stores,
  deps: AppDeps,
  bot: BotDeps,
  conversation: Conversation,
  event: InboundEvent,
  messageId: string,
  now: Date,
  opts: { held?: boolean } = {},
): Promise<boolean> {
  let refused = false;
  for (const [index, media] of (event.media ?? []).entries()) {
    const refusal = mediaRefusal(deps, media);
    if (refusal) {
      refused = true;
      if (!opts.held) await sayMediaRefusal(s, deps, bot, conversation, refusal, now);
      continue;
    }
    await s.outbox.enqueue({
      tenantId: conversation.tenantId,
      messageId,
      destination: mediaDestination(conversation.channel),
      orderingKey: `media:${conversation.id}`,
      dedupeKey: `media:${messageId}:${index}`,
      payload: { media: { ...media }, message_id: messageId, conversation_id: conversation.id },
    });
  }
  return refused;
}
