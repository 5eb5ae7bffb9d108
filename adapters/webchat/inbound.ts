/**
 * `POST /chat/api/messages` (Bearer session token) → one `InboundEvent` → `onEvent`, and 202
 * only once it is recorded. The page resends a failed post with the same `client_message_id`,
 * and the external id `<session>:<client_message_id>` makes the redelivery a duplicate.
 */
import { z } from 'zod';
import type { InboundEvent, InboundHandler, InboundMedia } from '../../src/ports/channel.js';
import type { Logger } from '../../src/ports/logger.js';
import {
  bearerToken,
  errorResponse,
  headerValue,
  json,
  methodNotAllowed,
  parseJsonBody,
  unauthorized,
  type WebchatHandler,
  type WebchatRequest,
} from './wire.js';
import type { SessionTokens } from './session.js';
import type { UploadTokens } from './upload.js';

export const MAX_TEXT_LENGTH = 4000;

export const messageBodySchema = z.object({
  client_message_id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, - and _, at most 64'),
  text: z.string().max(MAX_TEXT_LENGTH).optional(),
  button: z.string().min(1).max(256).optional(),
  receipt: z.string().min(1).max(2048).optional(),
  name: z.string().trim().min(1).max(100).optional(),
  /** A token from `POST /chat/api/upload`. */
  upload: z.string().min(1).max(2048).optional(),
});

export type WebchatMessageBody = z.infer<typeof messageBodySchema>;

const COMMAND_RE = /^\/([A-Za-z0-9_]{1,32})(?:\s+([\s\S]*))?$/;
const LANGUAGE_TAG_RE = /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/;

/** The first tag of an `Accept-Language` header (`hi-IN,hi;q=0.9` → `hi-IN`). */
export function firstLanguageTag(header: string | undefined): string | undefined {
  const tag = header?.split(',')[0]?.split(';')[0]?.trim();
  return tag && LANGUAGE_TAG_RE.test(tag) ? tag : undefined;
}

export interface WebchatEventInput {
  session: string;
  body: WebchatMessageBody;
  languageCode: string | undefined;
  media: InboundMedia | undefined;
  sentAt: Date;
}

/** The InboundEvent of a validated message body. */
export function toWebchatEvent(input: WebchatEventInput): InboundEvent {
  const { session, body, media } = input;
  const text = body.text?.trim() || undefined;
  const event: InboundEvent = {
    channel: 'webchat',
    kind: 'text',
    externalId: `${session}:${body.client_message_id}`,
    chatId: session,
    from: {
      id: session,
      ...(body.name ? { name: body.name } : {}),
      ...(input.languageCode ? { languageCode: input.languageCode } : {}),
    },
    sentAt: input.sentAt,
  };
  if (text !== undefined) event.text = text;
  const command = text !== undefined && !body.button ? COMMAND_RE.exec(text) : null;
  if (body.button) {
    event.kind = 'button';
    event.buttonPayload = body.button;
  } else if (media) {
    event.kind = 'media';
    event.media = [media];
  } else if (command) {
    event.kind = 'command';
    event.command = { name: command[1]!.toLowerCase(), args: (command[2] ?? '').trim() };
  }
  if (body.receipt) event.receiptToken = body.receipt;
  return event;
}

export interface MessageHandlerConfig {
  sessions: SessionTokens;
  /** Absent when uploads are off: a body with `upload` is then refused. */
  uploads: UploadTokens | undefined;
  onEvent: InboundHandler;
  /** Wakes the session's long polls once the message is recorded. */
  notify: (session: string) => void;
  logger: Logger;
  now: () => Date;
}

function invalid(message: string) {
  return errorResponse(400, 'invalid_request', message);
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
}

export function createMessageHandler(config: MessageHandlerConfig): WebchatHandler {
  const { logger } = config;
  return async (req: WebchatRequest) => {
    if (req.method.toUpperCase() !== 'POST') return methodNotAllowed('POST');
    const session = config.sessions.verify(bearerToken(req));
    if (!session) return unauthorized();
    const raw = parseJsonBody(req.rawBody);
    if (raw === undefined) return invalid('the body is not JSON');
    const parsed = messageBodySchema.safeParse(raw);
    if (!parsed.success) return invalid(describeIssues(parsed.error));
    const body = parsed.data;

    let media: InboundMedia | undefined;
    if (body.upload) {
      media = config.uploads?.verify(body.upload, session);
      if (!media) return invalid('upload: unknown or not from this session');
    }
    if (!body.text?.trim() && !media && !body.button) return invalid('text: must not be empty');

    const event = toWebchatEvent({
      session,
      body,
      languageCode: firstLanguageTag(headerValue(req.headers, 'accept-language')),
      media,
      sentAt: config.now(),
    });
    try {
      await config.onEvent(event);
    } catch (err) {
      logger.error(
        { session, externalId: event.externalId, kind: event.kind, err },
        'web chat: recording a message failed',
      );
      return errorResponse(500, 'internal', 'the message could not be recorded; send it again');
    }
    config.notify(session);
    return json(202, { ok: true });
  };
}
