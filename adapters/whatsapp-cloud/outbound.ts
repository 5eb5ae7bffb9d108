/**
 * The WhatsApp Cloud `ChannelSender`: plans the request bodies for a message, uploads media
 * (bytes read through `readFile`), and posts each to `/{phone-number-id}/messages` in order.
 * The receipt carries the `wamid` of the last message sent (the one status receipts finish on).
 */
import type { ChannelSender, OutboundMessage, SendReceipt } from '../../src/ports/channel.js';
import type { GraphClient } from './graph-client.js';
import { localError } from './graph-errors.js';
import { mediaBody, planMessage, type SendStep } from './outbound-payloads.js';

export interface WhatsAppCloudSenderOptions {
  client: GraphClient;
  phoneNumberId: string;
  /** Bytes of a stored attachment by its sha256. */
  readFile: (sha256: string) => Promise<Buffer>;
  /** Label of the list button when more than 3 buttons become a list (default 'Choose'). */
  listButtonText?: string;
}

/** `messages[0].id` of a send response, as in send_response.json. */
function messageIdOf(response: unknown): string | null {
  const messages = (response as { messages?: unknown } | undefined)?.messages;
  const first: unknown = Array.isArray(messages) ? messages[0] : undefined;
  const id = (first as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' && id ? id : null;
}

export function createWhatsAppCloudSender(opts: WhatsAppCloudSenderOptions): ChannelSender {
  const { client, readFile } = opts;
  const messagesPath = `/${encodeURIComponent(opts.phoneNumberId)}/messages`;
  const planOptions = { listButtonText: opts.listButtonText ?? 'Choose' };

  async function bodyOf(step: SendStep): Promise<Record<string, unknown>> {
    if (step.kind === 'json') return step.body;
    const { media } = step;
    const data = await readFile(media.sha256);
    const mediaId = await client.upload(opts.phoneNumberId, {
      data,
      mimeType: media.mimeType,
      fileName: media.fileName,
    });
    return mediaBody(step.to, step.type, mediaId, {
      ...(step.caption ? { caption: step.caption } : {}),
      fileName: media.fileName,
    });
  }

  return {
    async send(message: OutboundMessage): Promise<SendReceipt> {
      if (message.channel !== 'whatsapp') {
        throw localError('send', 'wrong_channel', `not a WhatsApp message: ${message.channel}`, {
          permanent: true,
        });
      }
      let externalId: string | null = null;
      for (const step of planMessage(message, planOptions)) {
        const response = await client.post(messagesPath, await bodyOf(step));
        externalId = messageIdOf(response) ?? externalId;
      }
      return { externalId };
    },
  };
}
