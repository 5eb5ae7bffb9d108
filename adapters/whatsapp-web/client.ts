/**
 * The small slice of whatsapp-web.js this adapter depends on, so tests drive it with a fake
 * EventEmitter and never load puppeteer. Names follow node_modules/whatsapp-web.js/index.d.ts.
 */
import type WAWebJS from 'whatsapp-web.js';

/** whatsapp-web.js `MessageMedia` (a real instance is needed when sending to the real client). */
export interface WaMedia {
  mimetype: string;
  /** Base64 of the bytes. */
  data: string;
  filename?: string | null;
  filesize?: number | null;
}

export interface WaMessageId {
  /** e.g. `false_919900000001@c.us_3EB0C767D0D1A3B2F6AA`. */
  _serialized: string;
}

/** The message fields we read (library `Message`). */
export interface WaMessage {
  id: WaMessageId;
  /** Chat id: `919900000001@c.us`, `…@lid`, `…@g.us`, `status@broadcast`. */
  from: string;
  /** For our own messages (acks): the chat they went to. */
  to?: string;
  /** Text, or the caption when the message has media. */
  body: string;
  /** `MessageTypes`: chat, image, video, audio, ptt, document, sticker, location, vcard… */
  type: string;
  /** Unix seconds. */
  timestamp: number;
  hasMedia: boolean;
  fromMe: boolean;
  isStatus: boolean;
  /** The library's raw data; `notifyName` is the sender's push name. */
  _data?: { notifyName?: string };
  /** The library declares strings but fills numbers. */
  location?: {
    latitude: number | string;
    longitude: number | string;
    name?: string;
    address?: string;
  };
  vCards?: string[];
  selectedButtonId?: string;
  selectedRowId?: string;
  /** Resolves `undefined` when WhatsApp no longer has the media. */
  downloadMedia(): Promise<WaMedia | undefined>;
}

/** `MessageSendOptions`, only what we use. */
export interface WaSendOptions {
  caption?: string;
  sendMediaAsDocument?: boolean;
  sendAudioAsVoice?: boolean;
}

export type WaEventName =
  'qr' | 'ready' | 'authenticated' | 'auth_failure' | 'disconnected' | 'message' | 'message_ack';

/** `MessageAck`: -1 error, 0 pending, 1 server, 2 device, 3 read, 4 played. */
export type WaAck = number;

export interface WhatsAppWebClient {
  initialize(): Promise<void>;
  destroy(): Promise<void>;
  on(event: 'qr', listener: (qr: string) => void): unknown;
  on(event: 'ready' | 'authenticated', listener: () => void): unknown;
  on(event: 'auth_failure', listener: (message: string) => void): unknown;
  on(event: 'disconnected', listener: (reason: string) => void): unknown;
  on(event: 'message', listener: (message: WaMessage) => void): unknown;
  on(event: 'message_ack', listener: (message: WaMessage, ack: WaAck) => void): unknown;
  sendMessage(
    chatId: string,
    content: string | WaMedia,
    options?: WaSendOptions,
  ): Promise<{ id: WaMessageId }>;
}

/** Builds what `sendMessage` accepts as media (the real one: `new MessageMedia(...)`). */
export type MediaFactory = (
  mimeType: string,
  base64: string,
  fileName: string,
) => WaMedia | Promise<WaMedia>;

export interface RealClientOptions {
  /** Where LocalAuth keeps the session, e.g. `${DATA_DIR}/whatsapp-web`. */
  sessionDir: string;
  /** System Chromium (`PUPPETEER_EXECUTABLE_PATH`, Debian: `/usr/bin/chromium`). */
  executablePath?: string;
  headless: true;
}

type WaLib = typeof WAWebJS;

let library: Promise<WaLib> | undefined;

/** whatsapp-web.js is CommonJS and pulls in puppeteer: load it only when really needed. */
function loadLibrary(): Promise<WaLib> {
  library ??= import('whatsapp-web.js').then((mod) => mod.default);
  return library;
}

/** The real client: LocalAuth session under `sessionDir`, the system's Chromium, headless. */
export async function createRealClient(options: RealClientOptions): Promise<WhatsAppWebClient> {
  const { Client, LocalAuth } = await loadLibrary();
  const client: WhatsAppWebClient = new Client({
    authStrategy: new LocalAuth({ dataPath: options.sessionDir }),
    puppeteer: {
      headless: options.headless,
      ...(options.executablePath ? { executablePath: options.executablePath } : {}),
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--headless'],
    },
  });
  return client;
}

/** The real `MediaFactory`: a `MessageMedia` instance (the library checks `instanceof`). */
export const createRealMedia: MediaFactory = async (mimeType, base64, fileName) => {
  const { MessageMedia } = await loadLibrary();
  return new MessageMedia(mimeType, base64, fileName);
};
