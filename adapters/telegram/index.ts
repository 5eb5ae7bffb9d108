/**
 * The Telegram channel: webhook handler, sender, media fetcher, and the start/stop of webhook
 * registration or long polling. Wiring (routes, config, the inbound pipeline) is the caller's.
 */
import type { ChannelSender, InboundHandler, MediaFetcher } from '../../src/ports/channel.js';
import {
  createTelegramApi,
  DEFAULT_TELEGRAM_TIMEOUT_MS,
  trimSlash,
  type TelegramConnection,
} from './api.js';
import { toChannelApiError } from './errors.js';
import type { TelegramLogger } from './logger.js';
import { createTelegramMediaFetcher } from './media.js';
import { createTelegramSender } from './outbound.js';
import { createTelegramPoller, type AllowedUpdate } from './polling.js';
import { TELEGRAM_SECRET_PATTERN } from './verify.js';
import {
  createTelegramWebhookHandler,
  type WebhookRequest,
  type WebhookResponse,
} from './webhook.js';

export { toInboundEvents } from './inbound.js';
export { createTelegramSender, type TelegramSenderConfig } from './outbound.js';
export { createTelegramMediaFetcher, guessMimeType } from './media.js';
export { verifyTelegramSecret } from './verify.js';
export type { TelegramLogger } from './logger.js';
export type { TelegramConnection } from './api.js';
export type { WebhookRequest, WebhookResponse } from './webhook.js';

/** Where the lead mounts `handleWebhook` (and what `start()` registers with Telegram). */
export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';

/** The update kinds `toInboundEvents` reads; Telegram sends only these. */
export const TELEGRAM_ALLOWED_UPDATES: readonly AllowedUpdate[] = [
  'message',
  'edited_message',
  'callback_query',
  'my_chat_member',
];

export interface TelegramChannelConfig extends TelegramConnection {
  /** `TELEGRAM_WEBHOOK_SECRET`: required in webhook mode. */
  webhookSecret?: string;
  mode: 'webhook' | 'polling';
  /** `PUBLIC_URL`: in webhook mode, `start()` registers `<publicUrl>/webhooks/telegram`. */
  publicUrl?: string;
  logger: TelegramLogger;
  onEvent: InboundHandler;
  readFile: (sha256: string) => Promise<Buffer>;
  /** TELEGRAM_AGENT_CHAT_ID: the one group whose messages are read (by the agent router). */
  staffChatId?: string | undefined;
  /** Long-poll timeout (default 30 s) and first retry delay after a failure (default 1 s). */
  polling?: { timeoutSeconds?: number; retryDelayMs?: number };
}

export interface TelegramChannel {
  handleWebhook(req: WebhookRequest): Promise<WebhookResponse>;
  sender: ChannelSender;
  media: MediaFetcher;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** @throws Error in webhook mode without a valid secret token (forged updates would pass). */
export function createTelegramChannel(config: TelegramChannelConfig): TelegramChannel {
  const { logger, onEvent } = config;
  if (config.mode === 'webhook') assertWebhookSecret(config.webhookSecret);
  const api = createTelegramApi(config);
  // getUpdates holds the request open for the long-poll timeout: its own client waits that long plus the usual.
  const longPollSeconds = config.polling?.timeoutSeconds ?? 30;
  const pollApi = createTelegramApi({
    ...config,
    timeoutMs: longPollSeconds * 1000 + (config.timeoutMs ?? DEFAULT_TELEGRAM_TIMEOUT_MS),
  });
  const poller = createTelegramPoller({
    api: pollApi,
    onEvent,
    logger,
    allowedUpdates: TELEGRAM_ALLOWED_UPDATES,
    staffChatId: config.staffChatId,
    ...config.polling,
  });

  async function registerWebhook(secret: string): Promise<void> {
    if (!config.publicUrl) {
      logger.warn({ channel: 'telegram' }, 'telegram: PUBLIC_URL unset, webhook not registered');
      return;
    }
    const url = `${trimSlash(config.publicUrl)}${TELEGRAM_WEBHOOK_PATH}`;
    try {
      await api.setWebhook(url, {
        secret_token: secret,
        allowed_updates: TELEGRAM_ALLOWED_UPDATES,
      });
    } catch (err) {
      throw toChannelApiError(err, 'setWebhook');
    }
    logger.info({ channel: 'telegram', url }, 'telegram webhook registered');
  }

  return {
    handleWebhook: createTelegramWebhookHandler({
      webhookSecret: config.webhookSecret,
      onEvent,
      logger,
      staffChatId: config.staffChatId,
    }),
    sender: createTelegramSender({ ...config, logger }),
    media: createTelegramMediaFetcher(config),
    async start() {
      if (config.mode === 'webhook')
        return registerWebhook(assertWebhookSecret(config.webhookSecret));
      try {
        await api.deleteWebhook(); // getUpdates answers 409 while a webhook is set
      } catch (err) {
        throw toChannelApiError(err, 'deleteWebhook');
      }
      poller.start();
      logger.info({ channel: 'telegram' }, 'telegram long polling started');
    },
    async stop() {
      await poller.stop();
    },
  };
}

function assertWebhookSecret(secret: string | undefined): string {
  if (!secret) {
    throw new Error(
      'Telegram webhook mode needs TELEGRAM_WEBHOOK_SECRET: without it anyone could post forged updates',
    );
  }
  if (!TELEGRAM_SECRET_PATTERN.test(secret)) {
    throw new Error('TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -');
  }
  return secret;
}
