/**
 * Long polling without grammY's `Bot`: we call `getUpdates` ourselves so that the offset only
 * moves past an update once `onEvent` resolved for all of its events. If `onEvent` fails, the
 * loop waits and asks again from the same offset, so Telegram serves that update again.
 */
import type { Api } from 'grammy';
import type { Update } from 'grammy/types';
import type { InboundHandler } from '../../src/ports/channel.js';
import { toChannelApiError } from './errors.js';
import { toInboundEvents, updateKind } from './inbound.js';
import type { TelegramLogger } from './logger.js';

export type AllowedUpdate = Exclude<keyof Update, 'update_id'>;

export interface TelegramPollerConfig {
  api: Api;
  onEvent: InboundHandler;
  logger: TelegramLogger;
  allowedUpdates: readonly AllowedUpdate[];
  /** Long-poll timeout passed to `getUpdates` (default 30 s). */
  timeoutSeconds?: number;
  /** First wait after a failure; doubles up to `maxRetryDelayMs` (defaults 1 s, 30 s). */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  now?: () => Date;
  /** The agents' group (TELEGRAM_AGENT_CHAT_ID): its messages pass, other groups' do not. */
  staffChatId?: string | undefined;
}

export interface TelegramPoller {
  /** Starts the loop in the background (no-op when already running). */
  start(): void;
  /** Aborts the pending long poll, lets an in-flight `onEvent` finish, and resolves. */
  stop(): Promise<void>;
}

export function createTelegramPoller(config: TelegramPollerConfig): TelegramPoller {
  const { api, logger, onEvent } = config;
  const timeout = config.timeoutSeconds ?? 30;
  const retryDelayMs = config.retryDelayMs ?? 1000;
  const maxRetryDelayMs = config.maxRetryDelayMs ?? 30_000;
  const now = config.now ?? (() => new Date());
  let controller: AbortController | undefined;
  let loop: Promise<void> | undefined;

  /** True when every event of the update was recorded (or the update has none). */
  async function deliver(update: Update): Promise<boolean> {
    let events;
    try {
      events = toInboundEvents(update, now(), { staffChatId: config.staffChatId });
    } catch (err) {
      logger.warn(
        { channel: 'telegram', updateId: update.update_id, err: String(err) },
        'telegram polling: unreadable update skipped',
      );
      return true;
    }
    if (events.length === 0) {
      logger.debug(
        { channel: 'telegram', updateId: update.update_id, kind: updateKind(update) },
        'telegram polling: update ignored',
      );
    }
    for (const event of events) {
      try {
        await onEvent(event);
      } catch (err) {
        logger.error(
          { channel: 'telegram', updateId: update.update_id, externalId: event.externalId, err },
          'telegram polling: recording the event failed; will retry',
        );
        return false;
      }
    }
    return true;
  }

  async function run(signal: AbortSignal): Promise<void> {
    let offset: number | undefined;
    let failures = 0;
    const backoff = () => Math.min(retryDelayMs * 2 ** failures++, maxRetryDelayMs);
    while (!signal.aborted) {
      let updates: Update[];
      try {
        updates = await api.getUpdates(
          { offset, timeout, allowed_updates: config.allowedUpdates },
          // grammY types its signal as abort-controller's; it accepts any EventTarget-style signal.
          signal as unknown as Parameters<Api['getUpdates']>[1],
        );
      } catch (err) {
        if (signal.aborted) break;
        const error = toChannelApiError(err, 'getUpdates');
        logger.warn(
          { channel: 'telegram', err: error.message, status: error.details.status },
          'telegram polling: getUpdates failed',
        );
        await sleep(error.details.retryAfterMs ?? backoff(), signal);
        continue;
      }
      let failed = false;
      for (const update of updates) {
        if (!(await deliver(update))) {
          failed = true;
          break;
        }
        offset = Math.max(offset ?? 0, update.update_id + 1);
      }
      if (failed) await sleep(backoff(), signal);
      else failures = 0;
    }
  }

  return {
    start() {
      if (loop) return;
      controller = new AbortController();
      loop = run(controller.signal).catch((err: unknown) => {
        logger.error({ channel: 'telegram', err }, 'telegram polling loop crashed');
      });
    },
    async stop() {
      controller?.abort();
      await loop;
      loop = undefined;
      controller = undefined;
    },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
