/**
 * `OutboundMessage` → whatsapp-web.js `sendMessage`. Buttons and lists are deprecated on
 * WhatsApp Web, so they become numbered lines the customer answers with a number.
 */
import { ChannelApiError } from '../../src/ports/channel.js';
import type { ChannelSender, OutboundMessage, SendReceipt } from '../../src/ports/channel.js';
import type { MediaFactory, WaSendOptions, WhatsAppWebClient } from './client.js';

export interface WhatsAppWebSenderOptions {
  client: Pick<WhatsAppWebClient, 'sendMessage'>;
  /** Bytes of a stored attachment by sha256 (AttachmentStorage.read). */
  readFile: (sha256: string) => Promise<Buffer>;
  createMedia: MediaFactory;
  /** False while the session is not connected; sends then fail retryably. Default: always. */
  isReady?: () => boolean;
}

/** Text plus options as `1. Title` lines (list rows add ` – description`). */
export function renderText(message: OutboundMessage): string | undefined {
  const options: string[] = [];
  for (const b of message.buttons ?? []) options.push(b.title);
  for (const r of message.list?.rows ?? []) {
    options.push(r.description ? `${r.title} – ${r.description}` : r.title);
  }
  const lines = options.map((title, i) => `${i + 1}. ${title}`);
  const parts = [message.text?.trim(), lines.join('\n')].filter((p): p is string => !!p);
  return parts.length > 0 ? parts.join('\n\n') : undefined;
}

const PERMANENT_SEND_ERROR = /invalid wid|wid error|no lid for user|not a valid/i;

export function createWhatsAppWebSender(options: WhatsAppWebSenderOptions): ChannelSender {
  const { client, readFile, createMedia, isReady = () => true } = options;

  async function sendOne(
    chatId: string,
    content: Parameters<WhatsAppWebClient['sendMessage']>[1],
    sendOptions?: WaSendOptions,
  ): Promise<string | null> {
    if (!isReady()) {
      throw new ChannelApiError('whatsapp web not connected', {
        channel: 'whatsapp',
        method: 'sendMessage',
        code: 'not_connected',
        permanent: false,
      });
    }
    try {
      const sent = await client.sendMessage(chatId, content, sendOptions);
      return sent?.id?._serialized ?? null;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ChannelApiError(`whatsapp web sendMessage failed: ${reason}`, {
        channel: 'whatsapp',
        method: 'sendMessage',
        permanent: PERMANENT_SEND_ERROR.test(reason),
        payload: { chatId },
      });
    }
  }

  return {
    async send(message: OutboundMessage): Promise<SendReceipt> {
      const text = renderText(message);
      if (message.media) {
        const { kind, sha256, mimeType, fileName, caption } = message.media;
        const bytes = await readFile(sha256);
        const media = await createMedia(mimeType, bytes.toString('base64'), fileName);
        const mediaCaption = caption ?? text;
        const externalId = await sendOne(message.chatId, media, {
          ...(mediaCaption ? { caption: mediaCaption } : {}),
          ...(kind === 'document' ? { sendMediaAsDocument: true } : {}),
          ...(kind === 'voice' ? { sendAudioAsVoice: true } : {}),
        });
        // A caption of its own and a text too: the text follows as its own message.
        if (caption && text) await sendOne(message.chatId, text);
        return { externalId };
      }
      if (!text) {
        const template = message.template ? 'templates do not exist on WhatsApp Web' : 'nothing';
        throw new ChannelApiError(`whatsapp web: ${template} to send`, {
          channel: 'whatsapp',
          method: 'sendMessage',
          code: message.template ? 'template_unsupported' : 'empty_message',
          permanent: true,
        });
      }
      return { externalId: await sendOne(message.chatId, text) };
    },
  };
}
