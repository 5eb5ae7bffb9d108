/**
 * The framework-free Telegram webhook: verify the secret token, parse the `Update`, hand each
 * event to `onEvent`, and answer 2xx only once every event was recorded (else 500, so that
 * Telegram redelivers).
 */
import type { Update } from 'grammy/types';
import { z } from 'zod';
import type { InboundHandler } from '../../src/ports/channel.js';
import type { RawHandler, RawRequest, RawResponse } from '../../src/ports/raw-http.js';
import { toInboundEvents, updateKind } from './inbound.js';
import type { TelegramLogger } from './logger.js';
import { secretHeader, verifyTelegramSecret } from './verify.js';

/** The port's framework-free request/response shapes, under the names this adapter exports. */
export type WebhookRequest = RawRequest;
export type WebhookResponse = RawResponse;

export interface TelegramWebhookConfig {
  /** `TELEGRAM_WEBHOOK_SECRET`; when unset every request is refused. */
  webhookSecret: string | undefined;
  onEvent: InboundHandler;
  logger: TelegramLogger;
  now?: () => Date;
  /** The agents' group (TELEGRAM_AGENT_CHAT_ID): its messages pass, other groups' do not. */
  staffChatId?: string | undefined;
}

const updateSchema = z.looseObject({ update_id: z.number().int() });

/** The contract's error shape, `{error: {code, message}}`, as every other route answers. */
function refuse(status: number, code: string, message: string): RawResponse {
  return { status, body: { error: { code, message } } };
}

export function createTelegramWebhookHandler(config: TelegramWebhookConfig): RawHandler {
  const { logger, onEvent } = config;
  const now = config.now ?? (() => new Date());

  return async function handleWebhook(req) {
    if (req.method.toUpperCase() !== 'POST') {
      return { ...refuse(405, 'method_not_allowed', 'use POST'), headers: { allow: 'POST' } };
    }
    if (!verifyTelegramSecret(secretHeader(req.headers), config.webhookSecret)) {
      logger.warn({ channel: 'telegram' }, 'telegram webhook: missing or wrong secret token');
      return refuse(401, 'unauthorized', 'missing or wrong X-Telegram-Bot-Api-Secret-Token');
    }
    let json: unknown;
    try {
      json = JSON.parse(req.rawBody.toString('utf8'));
    } catch {
      return refuse(400, 'invalid_request', 'the body is not JSON');
    }
    const parsed = updateSchema.safeParse(json);
    if (!parsed.success) return refuse(400, 'invalid_request', 'not a Telegram Update');
    const update = parsed.data as unknown as Update;

    let events;
    try {
      events = toInboundEvents(update, now(), { staffChatId: config.staffChatId });
    } catch (err) {
      // A payload shaped unlike an Update: retrying it cannot help.
      logger.warn(
        { channel: 'telegram', updateId: update.update_id, err: String(err) },
        'telegram webhook: unreadable update',
      );
      return refuse(400, 'invalid_request', 'not a Telegram Update');
    }
    if (events.length === 0) {
      logger.debug(
        { channel: 'telegram', updateId: update.update_id, kind: updateKind(update) },
        'telegram webhook: update ignored',
      );
      return { status: 200, body: { ok: true } };
    }
    for (const event of events) {
      try {
        await onEvent(event);
      } catch (err) {
        logger.error(
          { channel: 'telegram', updateId: update.update_id, externalId: event.externalId, err },
          'telegram webhook: recording the event failed',
        );
        return refuse(500, 'internal', 'could not record the update');
      }
    }
    return { status: 200, body: { ok: true } };
  };
}
