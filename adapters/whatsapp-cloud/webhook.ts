/**
 * `POST /webhooks/whatsapp`: checks Meta's signature over the raw body, parses the notification
 * and hands each event to `onEvent` in order. 200 only once every event was recorded; if
 * recording fails the answer is 500 so Meta redelivers (the inbound pipeline dedupes).
 */
import type { InboundHandler } from '../../src/ports/channel.js';
import type { Logger } from '../../src/ports/logger.js';
import { toRoutedInboundEvents } from './inbound.js';
import { isValidSignature, signatureOf } from './verify.js';
import { errorResponse, type WebhookRequest, type WebhookResponse } from './webhook-types.js';

export type AdapterLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

export interface WebhookHandlerOptions {
  appSecret: string;
  /** When set, events addressed to another business number are skipped (logged). */
  phoneNumberId?: string;
  onEvent: InboundHandler;
  logger: AdapterLogger;
}

export function createWebhookHandler(
  opts: WebhookHandlerOptions,
): (req: WebhookRequest) => Promise<WebhookResponse> {
  const { appSecret, onEvent, logger } = opts;
  if (!appSecret) throw new Error('WhatsApp webhook needs the app secret to check signatures');

  return async function handleWebhook(req) {
    if (req.method.toUpperCase() !== 'POST') {
      return {
        ...errorResponse(405, 'method_not_allowed', 'use POST'),
        headers: { allow: 'POST' },
      };
    }
    if (!isValidSignature(req.rawBody, signatureOf(req), appSecret)) {
      logger.warn({ channel: 'whatsapp' }, 'webhook signature missing or wrong');
      return errorResponse(401, 'unauthorized', 'bad or missing X-Hub-Signature-256');
    }
    let notification: unknown;
    try {
      notification = JSON.parse(req.rawBody.toString('utf8'));
    } catch {
      return errorResponse(400, 'invalid_request', 'body is not JSON');
    }

    const routed = toRoutedInboundEvents(notification);
    const events = routed
      .filter(({ phoneNumberId, event }) => {
        if (opts.phoneNumberId === undefined || phoneNumberId === opts.phoneNumberId) return true;
        logger.warn(
          { channel: 'whatsapp', phoneNumberId, externalId: event.externalId },
          'webhook event for another phone number id skipped',
        );
        return false;
      })
      .map((r) => r.event);

    for (const event of events) {
      try {
        await onEvent(event);
      } catch (err) {
        logger.error(
          { channel: 'whatsapp', err, externalId: event.externalId, kind: event.kind },
          'recording a WhatsApp event failed; Meta will redeliver',
        );
        return errorResponse(500, 'internal', 'could not record the event');
      }
    }
    logger.debug(
      { channel: 'whatsapp', events: events.length, kinds: events.map((e) => e.kind) },
      'webhook notification recorded',
    );
    return { status: 200, body: { ok: true, received: events.length } };
  };
}
