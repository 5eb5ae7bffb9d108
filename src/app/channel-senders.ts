/**
 * Outbox senders for the customer channels: `customer:<channel>` rows carry an OutboundMessage
 * for the channel's sender; `media:<channel>` rows fetch a customer's file into the attachment
 * store. Platform failures become the dispatcher's retry / retry-after / permanent verdicts.
 */
import { ParleyError } from '../domain/errors.js';
import {
  ChannelApiError,
  type ChannelSender,
  type InboundMedia,
  type MediaFetcher,
  type OutboundMessage,
} from '../ports/channel.js';
import type { OutboxRow, SendResult, Sender } from '../ports/outbox.js';
import type { AppDeps } from './context.js';
import { mediaRefusal, sayMediaRefusal } from './inbound/inbound-media.js';
import { safeFileName } from './store-attachments.js';

function failure(err: unknown): SendResult {
  if (err instanceof ChannelApiError) {
    return {
      ok: false,
      error: `${err.details.channel} ${err.details.method}: ${err.message}`,
      ...(err.details.retryAfterMs !== undefined ? { retryAfterMs: err.details.retryAfterMs } : {}),
      ...(err.details.permanent ? { permanent: true } : {}),
    };
  }
  return { ok: false, error: err instanceof Error ? err.message : String(err) };
}

export function customerChannelSender(channel: ChannelSender): Sender {
  return {
    async send(row: OutboxRow): Promise<SendResult> {
      const outbound = row.payload.outbound as OutboundMessage | undefined;
      if (!outbound)
        return { ok: false, error: 'outbox row has no outbound message', permanent: true };
      try {
        const receipt = await channel.send(outbound);
        return { ok: true, externalId: receipt.externalId };
      } catch (err) {
        return failure(err);
      }
    },
  };
}

const refusalOf = (err: unknown): 'media.too_large' | 'media.type_not_allowed' | null => {
  if (err instanceof ChannelApiError && err.details.code === 'too_large') return 'media.too_large';
  if (err instanceof ParleyError) {
    if (err.code === 'attachment_too_large') return 'media.too_large';
    if (err.code === 'attachment_type_not_allowed' || err.code === 'attachment_type_mismatch')
      return 'media.type_not_allowed';
  }
  return null;
};

export function mediaDownloadSender(deps: AppDeps, fetcher: MediaFetcher): Sender {
  return {
    async send(row: OutboxRow): Promise<SendResult> {
      const media = row.payload.media as InboundMedia;
      const messageId = String(row.payload.message_id);
      const conversationId = String(row.payload.conversation_id);
      let refusal: 'media.too_large' | 'media.type_not_allowed' | null = null;
      let stored: { sha256: string; sizeBytes: number; mimeType: string; fileName: string } | null =
        null;
      try {
        const file = await fetcher.fetch(media, deps.files.limits.maxBytes);
        refusal = mediaRefusal(deps, { sizeBytes: file.data.length, mimeType: file.mimeType });
        if (!refusal) {
          const put = await deps.files.put(file.data, file.mimeType);
          stored = {
            ...put,
            fileName: safeFileName(file.fileName ?? media.fileName ?? `${media.kind}`),
          };
        }
      } catch (err) {
        refusal = refusalOf(err);
        if (!refusal) return failure(err);
      }
      await deps.uow.transaction(async (s) => {
        const now = deps.clock.now();
        const message = await s.messages.findById(row.tenantId, messageId);
        if (!message) return;
        if (stored) {
          await s.attachments.insert({
            tenantId: row.tenantId,
            ticketId: message.ticketId,
            messageId,
            ...stored,
          });
          return;
        }
        const conversation = await s.conversations.findById(row.tenantId, conversationId);
        if (conversation && deps.bot && refusal)
          await sayMediaRefusal(s, deps, deps.bot, conversation, refusal, now);
      });
      deps.onOutboxWrite?.();
      return { ok: true };
    },
  };
}
