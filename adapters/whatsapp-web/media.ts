/**
 * Media of WhatsApp Web messages: the bytes are fetched through the message object itself, so
 * the last inbound media messages are kept in memory by id. After a restart they are gone.
 */
import { ChannelApiError } from '../../src/ports/channel.js';
import type { InboundMedia, MediaFetcher } from '../../src/ports/channel.js';
import type { WaMessage } from './client.js';

export interface WhatsAppWebMediaFetcher extends MediaFetcher {
  /** Keep a message whose media may be fetched later (the oldest beyond capacity is dropped). */
  remember(message: WaMessage): void;
  readonly size: number;
}

export const DEFAULT_MEDIA_CAPACITY = 500;

/** Decoded size of base64 text without decoding it. */
export function base64DecodedLength(base64: string): number {
  const clean = base64.replace(/\s/g, '');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.floor((clean.length * 3) / 4) - padding;
}

function mediaError(message: string, code: string, permanent: boolean, id: string) {
  return new ChannelApiError(message, {
    channel: 'whatsapp',
    method: 'downloadMedia',
    code,
    permanent,
    payload: { platformFileId: id },
  });
}

export function createWhatsAppWebMediaFetcher(
  options: { capacity?: number } = {},
): WhatsAppWebMediaFetcher {
  const capacity = options.capacity ?? DEFAULT_MEDIA_CAPACITY;
  // A Map keeps insertion order: re-inserting on use makes it an LRU.
  const messages = new Map<string, WaMessage>();

  return {
    remember(message) {
      const id = message.id._serialized;
      messages.delete(id);
      messages.set(id, message);
      while (messages.size > capacity) {
        const oldest = messages.keys().next().value;
        if (oldest === undefined) break;
        messages.delete(oldest);
      }
    },
    get size() {
      return messages.size;
    },
    async fetch(media: InboundMedia, maxBytes: number) {
      const id = media.platformFileId;
      const message = messages.get(id);
      if (!message) {
        throw mediaError('whatsapp web media no longer held (restart?)', 'media_expired', true, id);
      }
      messages.delete(id);
      messages.set(id, message);
      let downloaded;
      try {
        downloaded = await message.downloadMedia();
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw mediaError(
          `whatsapp web downloadMedia failed: ${reason}`,
          'download_failed',
          false,
          id,
        );
      }
      if (!downloaded) {
        throw mediaError('whatsapp web media is no longer available', 'media_expired', true, id);
      }
      const declared = downloaded.filesize ?? 0;
      if (declared > maxBytes || base64DecodedLength(downloaded.data) > maxBytes) {
        throw mediaError(`whatsapp web media over ${maxBytes} bytes`, 'too_large', true, id);
      }
      // `audio/ogg; codecs=opus` → `audio/ogg`, the form allow-lists use.
      const declaredType = downloaded.mimetype || media.mimeType || '';
      const mimeType = declaredType.split(';')[0]?.trim() || 'application/octet-stream';
      const fileName = downloaded.filename || media.fileName;
      return {
        data: Buffer.from(downloaded.data, 'base64'),
        mimeType,
        ...(fileName ? { fileName } : {}),
      };
    },
  };
}
