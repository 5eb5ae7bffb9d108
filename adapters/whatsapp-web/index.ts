/**
 * WhatsApp Web channel (`WHATSAPP_MODE=web`): a linked-device session driven by whatsapp-web.js.
 * There is no platform redelivery here, so inbound events are retried (bounded) before giving up.
 */
import type { ChannelSender, InboundEvent, InboundHandler } from '../../src/ports/channel.js';
import type { Logger } from '../../src/ports/logger.js';
import { createRealMedia } from './client.js';
import type { MediaFactory, WhatsAppWebClient } from './client.js';
import { toInboundEvent, toStatusEvent } from './inbound.js';
import { createWhatsAppWebMediaFetcher, DEFAULT_MEDIA_CAPACITY } from './media.js';
import type { WhatsAppWebMediaFetcher } from './media.js';
import { createWhatsAppWebSender } from './outbound.js';
import type { WhatsAppWebState, WhatsAppWebStatus } from './status.js';

export interface WhatsAppWebChannelOptions {
  client: WhatsAppWebClient;
  logger: Logger;
  onEvent: InboundHandler;
  /** Bytes of a stored attachment by sha256 (AttachmentStorage.read). */
  readFile: (sha256: string) => Promise<Buffer>;
  /** Default: whatsapp-web.js `MessageMedia`, loaded lazily. Tests pass a fake. */
  createMedia?: MediaFactory;
  /** Inbound media messages kept for download. Default 500. */
  mediaCapacity?: number;
  /** Delivery attempts per inbound event (default 5) and the first backoff (default 500 ms). */
  retry?: { attempts?: number; baseDelayMs?: number };
  /** Shown in the QR log line, e.g. `/admin/whatsapp-web`. */
  qrPagePath?: string;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}

export interface WhatsAppWebChannel {
  start(): Promise<void>;
  /** Waits for in-flight deliveries, then closes the browser session. */
  stop(): Promise<void>;
  status(): WhatsAppWebStatus;
  /** Resolves once every queued inbound event is delivered or given up. */
  idle(): Promise<void>;
  sender: ChannelSender;
  media: WhatsAppWebMediaFetcher;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createWhatsAppWebChannel(options: WhatsAppWebChannelOptions): WhatsAppWebChannel {
  const { client, onEvent } = options;
  const log = options.logger.child({ channel: 'whatsapp', mode: 'web' });
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? defaultSleep;
  const attempts = Math.max(1, options.retry?.attempts ?? 5);
  const baseDelayMs = options.retry?.baseDelayMs ?? 500;
  const qrHint = options.qrPagePath
    ? `open ${options.qrPagePath} to scan it`
    : 'open the WhatsApp Web admin page to scan it';

  let current: WhatsAppWebStatus = { state: 'starting', qr: null, since: now(), detail: null };
  function setState(
    state: WhatsAppWebState,
    qr: string | null = null,
    detail: string | null = null,
  ) {
    current = { state, qr, since: now(), detail };
  }

  const media = createWhatsAppWebMediaFetcher({
    capacity: options.mediaCapacity ?? DEFAULT_MEDIA_CAPACITY,
  });
  const sender = createWhatsAppWebSender({
    client,
    readFile: options.readFile,
    createMedia: options.createMedia ?? createRealMedia,
    isReady: () => current.state === 'ready',
  });

  async function deliver(event: InboundEvent): Promise<void> {
    const ids = { externalId: event.externalId, kind: event.kind };
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        await onEvent(event);
        return;
      } catch (error) {
        if (attempt === attempts) {
          log.error({ ...ids, err: error, attempts }, 'whatsapp web: inbound event lost');
          return;
        }
        log.warn({ ...ids, err: error, attempt }, 'whatsapp web: inbound event failed, retrying');
        await sleep(baseDelayMs * 2 ** (attempt - 1));
      }
    }
  }

  // One queue per chat: a retrying message holds back later ones of the same chat, in order.
  const queues = new Map<string, Promise<void>>();
  function enqueue(event: InboundEvent): void {
    const queued = (queues.get(event.chatId) ?? Promise.resolve()).then(() => deliver(event));
    queues.set(event.chatId, queued);
    void queued.then(() => {
      if (queues.get(event.chatId) === queued) queues.delete(event.chatId);
    });
  }

  async function idle(): Promise<void> {
    while (queues.size > 0) await Promise.all([...queues.values()]);
  }

  client.on('qr', (qr) => {
    setState('qr', qr);
    log.info({ qr }, `whatsapp web: link a phone (WhatsApp › Linked devices); ${qrHint}`);
  });
  client.on('authenticated', () => {
    setState('starting');
    log.info('whatsapp web: authenticated');
  });
  client.on('ready', () => {
    setState('ready');
    log.info('whatsapp web: ready');
  });
  client.on('auth_failure', (message) => {
    setState('auth_failure', null, message);
    log.error({ reason: message }, 'whatsapp web: authentication failed (session under DATA_DIR)');
  });
  client.on('disconnected', (reason) => {
    setState('disconnected', null, String(reason));
    log.warn({ reason }, 'whatsapp web: disconnected');
  });
  client.on('message', (message) => {
    const event = toInboundEvent(message, now());
    if (!event) return;
    if (event.kind === 'media') media.remember(message);
    enqueue(event);
  });
  client.on('message_ack', (message, ack) => {
    const event = toStatusEvent(message, ack, now());
    if (event) enqueue(event);
  });

  return {
    async start() {
      setState('starting');
      log.info('whatsapp web: starting browser session');
      try {
        await client.initialize();
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        setState('disconnected', null, reason);
        log.error({ err: error }, 'whatsapp web: could not start (PUPPETEER_EXECUTABLE_PATH?)');
        throw error;
      }
    },
    async stop() {
      await idle();
      await client.destroy();
      setState('disconnected', null, 'stopped');
      log.info('whatsapp web: stopped');
    },
    status: () => ({ ...current }),
    idle,
    sender,
    media,
  };
}

export { createRealClient, createRealMedia } from './client.js';
export type { MediaFactory, WaMedia, WaMessage, WhatsAppWebClient } from './client.js';
export { toInboundEvent, toStatusEvent } from './inbound.js';
export { renderQrPage } from './qr-page.js';
export type { WhatsAppWebState, WhatsAppWebStatus } from './status.js';
