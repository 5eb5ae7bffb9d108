/** A fake whatsapp-web.js client: an EventEmitter that records what is sent. No browser. */
import { EventEmitter } from 'node:events';
import type {
  WaMedia,
  WaMessage,
  WaSendOptions,
  WhatsAppWebClient,
} from '../../../../adapters/whatsapp-web/client.js';

export interface SentCall {
  chatId: string;
  content: string | WaMedia;
  options?: WaSendOptions;
}

export class FakeWhatsAppWebClient extends EventEmitter implements WhatsAppWebClient {
  sent: SentCall[] = [];
  initialized = 0;
  destroyed = 0;
  failSend: Error | null = null;
  private nextId = 1;

  async initialize(): Promise<void> {
    this.initialized++;
  }

  async destroy(): Promise<void> {
    this.destroyed++;
  }

  async sendMessage(chatId: string, content: string | WaMedia, options?: WaSendOptions) {
    if (this.failSend) throw this.failSend;
    this.sent.push({ chatId, content, ...(options ? { options } : {}) });
    return { id: { _serialized: `true_${chatId}_OUT${this.nextId++}` } };
  }
}

/** A library-shaped incoming message with sensible defaults. */
export function waMessage(overrides: Partial<WaMessage> = {}): WaMessage {
  const from = overrides.from ?? '919900000001@c.us';
  return {
    id: { _serialized: `false_${from}_3EB0AAAA` },
    from,
    to: '919800000000@c.us',
    body: 'hello',
    type: 'chat',
    timestamp: 1_767_225_600,
    hasMedia: false,
    fromMe: false,
    isStatus: false,
    _data: { notifyName: 'Asha' },
    downloadMedia: async () => undefined,
    ...overrides,
  };
}
