import type { InboundEvent } from '../../../../src/ports/channel.js';
import type { Logger } from '../../../../src/ports/logger.js';
import { createWebchatChannel } from '../../../../adapters/webchat/index.js';
import type {
  WebchatChannelOptions,
  WebchatMessage,
  WebchatRequest,
} from '../../../../adapters/webchat/index.js';

export const SECRET = 'test-secret-0123456789abcdef';
export const NOW = new Date('2026-03-01T10:00:00Z');

export function recordingLogger() {
  const lines: { level: string; obj: unknown; msg?: string }[] = [];
  const logger: Logger = {
    debug: (obj, msg) => void lines.push({ level: 'debug', obj, msg }),
    info: (obj, msg) => void lines.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => void lines.push({ level: 'warn', obj, msg }),
    error: (obj, msg) => void lines.push({ level: 'error', obj, msg }),
    child: () => logger,
  };
  return { logger, lines };
}

/** A channel whose listMessages reads an in-memory store, the way the lead's reads the database. */
export function setup(overrides: Partial<WebchatChannelOptions> = {}) {
  const { logger, lines } = recordingLogger();
  const events: InboundEvent[] = [];
  const store = new Map<string, WebchatMessage[]>();
  let seq = 0;
  const add = (session: string, message: Omit<WebchatMessage, 'id' | 'created_at'>) => {
    seq += 1;
    const row: WebchatMessage = {
      id: `m${String(seq).padStart(4, '0')}`,
      created_at: new Date(NOW.getTime() + seq * 1000).toISOString(),
      ...message,
    };
    store.set(session, [...(store.get(session) ?? []), row]);
    return row;
  };
  const listMessages = async (session: string, after: string | undefined) => {
    const all = store.get(session) ?? [];
    return after ? all.filter((m) => m.id > after) : all;
  };
  const channel = createWebchatChannel({
    secret: SECRET,
    logger,
    now: () => NOW,
    longPollMs: 200,
    onEvent: async (event) => {
      events.push(event);
      const cmid = event.externalId.slice(event.chatId.length + 1);
      if (!(store.get(event.chatId) ?? []).some((m) => m.client_message_id === cmid)) {
        add(event.chatId, {
          author: 'customer',
          text: event.text ?? '[photo]',
          client_message_id: cmid,
        });
      }
    },
    listMessages,
    ...overrides,
  });
  return { channel, events, lines, store, add };
}

export function request(
  method: string,
  options: {
    token?: string;
    body?: unknown;
    raw?: Buffer;
    headers?: Record<string, string>;
    query?: Record<string, string>;
    signal?: AbortSignal;
  } = {},
): WebchatRequest {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const rawBody =
    options.raw ??
    Buffer.from(options.body === undefined ? '' : JSON.stringify(options.body), 'utf8');
  return {
    method,
    headers,
    rawBody,
    ...(options.query ? { query: options.query } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
}

export async function newSession(channel: ReturnType<typeof setup>['channel']) {
  const res = await channel.createSession(request('POST'));
  return res.body as { session: string; token: string };
}
