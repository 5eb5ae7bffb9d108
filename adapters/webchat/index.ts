/**
 * The web-chat channel: the page at `GET /chat` and its JSON API under `/chat/api`, as
 * framework-free handlers, plus the ChannelSender the outbox dispatcher uses. Replies reach the
 * page by long polling: `sender.send` wakes the session's polls, which read `listMessages`.
 */
import type { ChannelSender, InboundHandler } from '../../src/ports/channel.js';
import type { Logger } from '../../src/ports/logger.js';
import type { WebchatHandler } from './wire.js';
import { createMessageHandler } from './inbound.js';
import { createSessionNotifier, type NotifierLimits } from './notifier.js';
import { createWebchatSender } from './outbound.js';
import { createPageHandler } from './page.js';
import { createPollHandler, DEFAULT_LONG_POLL_MS, type ListWebchatMessages } from './poll.js';
import { createSessionHandler, createSessionTokens, createSigner } from './session.js';
import {
  createUploadHandler,
  createUploadTokens,
  DEFAULT_MAX_UPLOAD_BYTES,
  type WebchatUploadHandler,
} from './upload.js';

export type { WebchatHandler, WebchatRequest, WebchatResponse } from './wire.js';
export type { ListWebchatMessages, WebchatMessage } from './poll.js';
export type { WebchatUploadHandler } from './upload.js';
export type { WebchatPublish, WebchatPublished } from './outbound.js';
export { createWebchatSender } from './outbound.js';

export interface WebchatChannelOptions {
  /** Signs session and upload tokens (at least 16 characters). Changing it ends every session. */
  secret: string;
  onEvent: InboundHandler;
  listMessages: ListWebchatMessages;
  logger: Logger;
  now?: () => Date;
  /** Turns photo uploads on: stores the bytes and returns an upload id. */
  onUpload?: WebchatUploadHandler;
  /** Default 5 MiB. The raw-body parser on the upload route must allow at least this much. */
  maxUploadBytes?: number;
  /** How long a poll with nothing new waits. Default 25 000 ms. */
  longPollMs?: number;
  /** Caps on waiting polls (default 10 000 in all, 4 per session). */
  limits?: NotifierLimits;
  /** Header and tab title on the page, e.g. the brand name. */
  title?: string;
  /** Where the page is mounted; the API lives under `<basePath>/api`. Default `/chat`. */
  basePath?: string;
  /**
   * Called with the session of each reply this process sends, after waking its own polls: for
   * polls waiting in other processes (a worker sends, a web process holds the polls).
   */
  publish?: (session: string) => void;
}

export interface WebchatRoute {
  method: 'GET' | 'POST';
  path: string;
  handler: WebchatHandler;
  /** Held open while it waits for news (the long poll): an open tab, not load. */
  longPoll?: true;
}

export interface WebchatChannel {
  /** `GET /chat` (also answers HEAD). */
  page: WebchatHandler;
  /** `POST /chat/api/session`. */
  createSession: WebchatHandler;
  /** `POST /chat/api/messages`. */
  postMessage: WebchatHandler;
  /** `GET /chat/api/messages?after=`. */
  poll: WebchatHandler;
  /** `POST /chat/api/upload`, when `onUpload` is given. */
  upload: WebchatHandler | undefined;
  /** Every route above with its method and path, to mount in a loop. */
  routes: WebchatRoute[];
  sender: ChannelSender;
  /** Wakes a session's long polls (the sender does it; also for messages written elsewhere). */
  notify(session: string): void;
  /** Ends waiting polls at once and stops new ones from waiting (before server shutdown). */
  close(): void;
}

export function createWebchatChannel(options: WebchatChannelOptions): WebchatChannel {
  const logger = options.logger.child({ channel: 'webchat' });
  const now = options.now ?? (() => new Date());
  const basePath = (options.basePath ?? '/chat').replace(/\/+$/, '');
  const maxUploadBytes = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const signer = createSigner(options.secret);
  const sessions = createSessionTokens(signer);
  const uploadTokens = options.onUpload ? createUploadTokens(signer) : undefined;
  const notifier = createSessionNotifier(options.limits);
  const notify = (session: string) => notifier.notify(session);

  const page = createPageHandler({
    ...(options.title ? { title: options.title } : {}),
    apiPath: `${basePath}/api`,
    uploads: Boolean(options.onUpload),
    maxUploadBytes,
  });
  const createSession = createSessionHandler(sessions);
  const postMessage = createMessageHandler({
    sessions,
    uploads: uploadTokens,
    onEvent: options.onEvent,
    notify,
    logger,
    now,
  });
  const poll = createPollHandler({
    sessions,
    listMessages: options.listMessages,
    notifier,
    longPollMs: options.longPollMs ?? DEFAULT_LONG_POLL_MS,
    logger,
  });
  const upload =
    options.onUpload && uploadTokens
      ? createUploadHandler({
          sessions,
          uploads: uploadTokens,
          onUpload: options.onUpload,
          maxBytes: maxUploadBytes,
          logger,
        })
      : undefined;

  const routes: WebchatRoute[] = [
    { method: 'GET', path: basePath, handler: page },
    { method: 'POST', path: `${basePath}/api/session`, handler: createSession },
    { method: 'POST', path: `${basePath}/api/messages`, handler: postMessage },
    { method: 'GET', path: `${basePath}/api/messages`, handler: poll, longPoll: true },
  ];
  if (upload) routes.push({ method: 'POST', path: `${basePath}/api/upload`, handler: upload });

  return {
    page,
    createSession,
    postMessage,
    poll,
    upload,
    routes,
    sender: createWebchatSender({
      publish: (session) => {
        notify(session);
        options.publish?.(session);
      },
    }),
    notify,
    close: () => notifier.closeAll(),
  };
}
