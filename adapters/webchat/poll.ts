/**
 * `GET /chat/api/messages?after=<cursor>` (Bearer session token) → 200 `{ messages, cursor }`.
 * With nothing new it long-polls: it waits (bounded) for a wake-up on the session, then asks
 * once more. The cursor is the id of the last message returned (`after` when none was).
 */
import type { OutboundButton, OutboundMessage } from '../../src/ports/channel.js';
import type { Logger } from '../../src/ports/logger.js';
import {
  bearerToken,
  errorResponse,
  json,
  methodNotAllowed,
  unauthorized,
  type WebchatHandler,
} from './wire.js';
import type { SessionNotifier } from './notifier.js';
import type { SessionTokens } from './session.js';

export interface WebchatMessage {
  id: string;
  author: 'customer' | 'bot' | 'agent';
  text: string;
  buttons?: OutboundButton[];
  list?: OutboundMessage['list'];
  /** ISO 8601. */
  created_at: string;
  /**
   * For the customer's own messages: the page's `client_message_id` (the part of the external id
   * after `<session>:`), so the page can match the bubble it already shows.
   */
  client_message_id?: string;
}

/**
 * The session's messages after the cursor (oldest first; all, or the latest page, when `after`
 * is undefined). The lead implements it from the database.
 */
export type ListWebchatMessages = (
  session: string,
  after: string | undefined,
) => Promise<WebchatMessage[]>;

export const DEFAULT_LONG_POLL_MS = 25_000;
const CURSOR_RE = /^[A-Za-z0-9_.:+-]{1,200}$/;

export interface PollHandlerConfig {
  sessions: SessionTokens;
  listMessages: ListWebchatMessages;
  notifier: SessionNotifier;
  longPollMs: number;
  logger: Logger;
}

export function createPollHandler(config: PollHandlerConfig): WebchatHandler {
  const { logger, notifier } = config;
  return async (req) => {
    if (req.method.toUpperCase() !== 'GET') return methodNotAllowed('GET');
    const session = config.sessions.verify(bearerToken(req));
    if (!session) return unauthorized();
    const after = req.query?.after || undefined;
    if (after !== undefined && !CURSOR_RE.test(after)) {
      return errorResponse(400, 'invalid_request', 'after: not a cursor');
    }
    const wait = req.query?.wait !== '0';

    // Subscribe before the first read, so a wake-up during it is not lost.
    const subscription = wait ? notifier.subscribe(session) : undefined;
    try {
      let messages = await config.listMessages(session, after);
      if (messages.length === 0 && subscription) {
        await subscription.wait(config.longPollMs, req.signal);
        if (subscription.notified) messages = await config.listMessages(session, after);
      }
      const cursor = messages.at(-1)?.id ?? after ?? null;
      return json(200, { messages, cursor });
    } catch (err) {
      logger.error({ session, err }, 'web chat: listing messages failed');
      return errorResponse(500, 'internal', 'messages could not be read; try again');
    } finally {
      subscription?.close();
    }
  };
}
