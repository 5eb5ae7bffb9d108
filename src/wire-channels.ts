/**
 * Builds the customer channels the configuration turns on (Telegram, WhatsApp Cloud or Web, web
 * chat), each feeding the inbound pipeline and each with its outbox senders and HTTP routes.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import type { Logger } from 'pino';
import { createTelegramChannel } from '../adapters/telegram/index.js';
import { createWhatsAppCloudChannel } from '../adapters/whatsapp-cloud/index.js';
import { createRealClient, createWhatsAppWebChannel } from '../adapters/whatsapp-web/index.js';
import { renderQrPage } from '../adapters/whatsapp-web/qr-page.js';
import { createWebchatChannel } from '../adapters/webchat/index.js';
import { customerChannelSender, mediaDownloadSender } from './app/channel-senders.js';
import { webchatHistory } from './app/webchat-history.js';
import type { AppDeps } from './app/context.js';
import {
  inboundDestination,
  inboundProcessor,
  recordInbound,
} from './app/inbound/inbound-queue.js';
import type { Config, ChannelStatus } from './config.js';
import type { Tenant } from './domain/records.js';
import type { RawRouteSpec } from './http/app.js';
import {
  ChannelApiError,
  type ChannelSender,
  type InboundEvent,
  type MediaFetcher,
} from './ports/channel.js';
import type { Sender } from './ports/outbox.js';
import type { RawResponse } from './ports/raw-http.js';
import type { StaffMessenger } from './ports/staff-messenger.js';
import {
  AGENT_CHAT_DESTINATION,
  agentChatProcessor,
  recordAgentChatEvent,
} from './app/telegram-agents.js';
import { telegramStaffMessenger } from './wire-staff.js';
import { type WebchatLimits, createWebchatLimiter } from './webchat-limits.js';

function adminAuthorized(
  header: string | string[] | undefined,
  adminKey: string | undefined,
): boolean {
  if (!adminKey || typeof header !== 'string') return false;
  const [scheme, value = ''] = header.split(' ', 2);
  const secret =
    scheme?.toLowerCase() === 'basic'
      ? Buffer.from(value, 'base64').toString('utf8').split(':').slice(1).join(':')
      : scheme?.toLowerCase() === 'bearer'
        ? value
        : '';
  const digest = (v: string) => createHash('sha256').update(v).digest();
  return timingSafeEqual(digest(secret), digest(adminKey));
}

export interface WiredChannels {
  senders: Record<string, Sender>;
  rawRoutes: RawRouteSpec[];
  /** Names of the channels that are running in this process. */
  running: Set<string>;
  /** The Telegram agents' chat and agents' DMs, for team notices (src/wire-staff.ts). */
  telegramStaff?: StaffMessenger;
  /** Wakes this process's web chat polls of a session (a reply sent by another process). */
  webchatNotify?: (session: string) => void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface ChannelOverrides {
  /** Tests: a fetch for the platform clients, and a WhatsApp Web client. */
  fetch?: typeof fetch;
  whatsappWebClient?: Parameters<typeof createWhatsAppWebChannel>[0]['client'];
  /** Tests: the Slack per-channel pace (default 1000 ms between messages). */
  slackPaceIntervalMs?: number;
  /** Tests: how long a slash command may take before it is answered through response_url. */
  slackCommandDeadlineMs?: number;
  /** Tests: the web chat's rate limits (defaults in src/webchat-limits.ts). */
  webchatLimits?: WebchatLimits;
  /** The web chat's session-signing secret (parley.ts keeps one in the database). */
  webchatSecret?: string;
  /** Tells other processes of each web chat reply this one sends (their polls wait for it). */
  webchatPublish?: (session: string) => void;
}

/** Web-chat uploads are already in the attachment store: their id is the content hash. */
function storedUploadFetcher(deps: AppDeps): MediaFetcher {
  return {
    async fetch(media) {
      const data = await deps.files.read(media.platformFileId);
      return {
        data,
        mimeType: media.mimeType ?? 'application/octet-stream',
        fileName: media.fileName ?? 'photo',
      };
    },
  };
}

export function wireChannels(
  config: Config,
  deps: AppDeps,
  /** The tenant as it is now (its settings can change while we run). */
  tenant: () => Promise<Tenant>,
  statuses: ChannelStatus[],
  logger: Logger,
  overrides: ChannelOverrides = {},
): WiredChannels {
  // Webhooks and pollers only record the event; `inbound:<channel>` rows run the bot after.
  const agentChat = config.telegram.agentChatId;
  const onEvent = async (event: InboundEvent): Promise<void> =>
    event.channel === 'telegram' && agentChat && event.chatId === agentChat
      ? recordAgentChatEvent(deps, await tenant(), event) // agents, never the customer bot
      : recordInbound(deps, await tenant(), event);
  const readFile = (sha256: string) => deps.files.read(sha256);
  const senders: Record<string, Sender> = {};
  const rawRoutes: RawRouteSpec[] = [];
  let webchatNotify: ((session: string) => void) | undefined;
  const running = new Set<string>();
  const starts: (() => Promise<void>)[] = [];
  const stops: (() => Promise<void>)[] = [];
  const enabled = (name: string) => statuses.find((s) => s.name === name)?.enabled ?? false;
  const register = (name: string, sender: ChannelSender, media: MediaFetcher) => {
    senders[`customer:${name}`] = customerChannelSender(sender);
    senders[`media:${name}`] = mediaDownloadSender(deps, media);
    senders[inboundDestination(name)] = inboundProcessor(deps, tenant);
    running.add(name);
  };
  const fetchOpt = overrides.fetch ? { fetch: overrides.fetch } : {};
  let telegramStaff: StaffMessenger | undefined;

  if (enabled('telegram') && config.telegram.botToken) {
    const telegram = createTelegramChannel({
      token: config.telegram.botToken,
      apiRoot: config.telegram.apiRoot,
      mode: config.telegram.mode,
      ...(config.telegram.webhookSecret ? { webhookSecret: config.telegram.webhookSecret } : {}),
      ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
      staffChatId: agentChat,
      logger: logger.child({ channel: 'telegram' }),
      onEvent,
      readFile,
      timeoutMs: config.platformTimeoutMs,
      ...fetchOpt,
    });
    register('telegram', telegram.sender, telegram.media);
    senders[AGENT_CHAT_DESTINATION] = agentChatProcessor(deps);
    if (config.telegram.mode === 'webhook') {
      rawRoutes.push({
        method: 'post',
        path: '/webhooks/telegram',
        handler: telegram.handleWebhook,
        limit: '2mb',
      });
    }
    starts.push(() => telegram.start());
    stops.push(() => telegram.stop());
    telegramStaff = telegramStaffMessenger(telegram.sender);
  }

  if (enabled('whatsapp') && config.whatsapp.mode === 'cloud') {
    const w = config.whatsapp;
    const cloud = createWhatsAppCloudChannel({
      token: w.token!,
      phoneNumberId: w.phoneNumberId!,
      appSecret: w.appSecret!,
      verifyToken: w.verifyToken!,
      graphUrl: w.graphUrl,
      logger: logger.child({ channel: 'whatsapp' }),
      onEvent,
      readFile,
      timeoutMs: config.platformTimeoutMs,
      ...fetchOpt,
    });
    register('whatsapp', cloud.sender, cloud.media);
    rawRoutes.push(
      { method: 'get', path: '/webhooks/whatsapp', handler: cloud.handleVerify },
      { method: 'post', path: '/webhooks/whatsapp', handler: cloud.handleWebhook, limit: '3mb' },
    );
  }

  if (enabled('whatsapp') && config.whatsapp.mode === 'web') {
    let channel: ReturnType<typeof createWhatsAppWebChannel> | undefined;
    // Registered now, not when the browser is up: queued work waits (retries) instead of failing.
    const notStarted = () =>
      new ChannelApiError('WhatsApp Web is not started yet', {
        channel: 'whatsapp',
        method: 'send',
      });
    register(
      'whatsapp',
      {
        send: (message) => (channel ? channel.sender.send(message) : Promise.reject(notStarted())),
      },
      {
        fetch: (media, maxBytes) =>
          channel ? channel.media.fetch(media, maxBytes) : Promise.reject(notStarted()),
      },
    );
    const startWeb = async () => {
      const client =
        overrides.whatsappWebClient ??
        (await createRealClient({
          sessionDir: config.whatsapp.webSessionDir ?? path.join(config.dataDir, 'whatsapp-web'),
          ...(process.env.PUPPETEER_EXECUTABLE_PATH
            ? { executablePath: process.env.PUPPETEER_EXECUTABLE_PATH }
            : {}),
          headless: true,
        }));
      channel = createWhatsAppWebChannel({
        client,
        logger: logger.child({ channel: 'whatsapp-web' }),
        onEvent,
        readFile,
      });
      register('whatsapp', channel.sender, channel.media);
      await channel.start();
    };
    starts.push(() =>
      startWeb().catch((err: unknown) =>
        logger.error({ err }, 'WhatsApp Web could not start; see /admin/whatsapp-web'),
      ),
    );
    stops.push(async () => channel?.stop());
    rawRoutes.push({
      method: 'get',
      path: '/admin/whatsapp-web',
      // The QR links the shop's WhatsApp account: only the admin may see it (HTTP Basic,
      // any user name, ADMIN_API_KEY as the password).
      handler: async (req): Promise<RawResponse> => {
        if (!adminAuthorized(req.headers.authorization, config.adminApiKey)) {
          return {
            status: 401,
            headers: { 'www-authenticate': 'Basic realm="Parley admin"' },
            body: {
              error: { code: 'unauthorized', message: 'The admin key (ADMIN_API_KEY) is needed' },
            },
          };
        }
        return {
          status: 200,
          headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
          body: renderQrPage(
            channel?.status() ?? { state: 'starting', qr: null, since: new Date(), detail: null },
          ),
        };
      },
    });
  }

  if (enabled('webchat')) {
    const webchat = createWebchatChannel({
      secret: overrides.webchatSecret ?? '',
      onEvent,
      listMessages: async (session, after) => webchatHistory(deps, await tenant(), session, after),
      logger: deps.logger,
      onUpload: async (_session, bytes, mimeType) => (await deps.files.put(bytes, mimeType)).sha256,
      maxUploadBytes: Math.min(deps.files.limits.maxBytes, 10 * 1024 * 1024),
      ...(overrides.webchatPublish ? { publish: overrides.webchatPublish } : {}),
    });
    webchatNotify = webchat.notify;
    register('webchat', webchat.sender, storedUploadFetcher(deps));
    const limited = createWebchatLimiter(overrides.webchatLimits);
    for (const route of webchat.routes) {
      const method = route.method.toLowerCase() as 'get' | 'post';
      const handler = limited(route.method, route.path, route.handler);
      rawRoutes.push({
        method,
        path: route.path,
        handler,
        limit: '11mb',
        ...(route.longPoll ? { longPoll: true } : {}),
      });
      if (method === 'get' && route.path === '/chat')
        rawRoutes.push({ method: 'head', path: route.path, handler: route.handler });
    }
    stops.push(async () => webchat.close());
  }

  return {
    ...(webchatNotify ? { webchatNotify } : {}),
    senders,
    rawRoutes,
    running,
    ...(telegramStaff ? { telegramStaff } : {}),
    async start() {
      for (const start of starts) await start();
    },
    async stop() {
      for (const stop of stops)
        await stop().catch((err: unknown) => logger.warn({ err }, 'channel stop failed'));
    },
  };
}
