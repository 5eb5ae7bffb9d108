/**
 * A local fake of the Slack Web API (https://docs.slack.dev/reference/methods) for adapter tests.
 * `POST /api/<method>` with a JSON body (Bearer token) or a form body (Bearer or `token=`), as
 * `@slack/web-api` sends them; answers `{ok: true, …}` or `{ok: false, error}` like Slack:
 * `auth.test`, `chat.postMessage` (increasing ts `1767261600.000100`…, thread replies keep
 * `thread_ts`), `chat.update`, `chat.postEphemeral`, `views.open`, `users.info`,
 * `users.getPresence` (`setPresence`), `reactions.add` (on posted messages and `userPosts`),
 * `apps.connections.open` (app-level token; the URL of a fake Socket Mode server);
 * plus `POST /response/<id>` standing in for interaction `response_url`s.
 * With `rateLimitPerChannelPerSecond`, the N+1st postMessage/update to a channel within one
 * second gets HTTP 429, `Retry-After: 1`, `{ok: false, error: 'ratelimited'}`.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSlackResponse {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RecordedSlackRequest {
  /** The Slack method (`chat.postMessage`) or `response_url`. */
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** Parameters from the JSON or form body (JSON-valued form fields decoded) and the query. */
  params: Record<string, unknown>;
  /** The HTTP status we answered. */
  status: number;
}

export interface FakeSlackMessage {
  channel: string;
  ts: string;
  text: string;
  blocks?: unknown;
  thread_ts?: string;
  user: string;
  /** How many times chat.update changed it. */
  edits: number;
}

export interface FakeSlackUser {
  name: string;
  real_name?: string;
  email?: string;
  is_bot?: boolean;
  tz?: string;
}

export interface FakeSlackOptions {
  token: string;
  rateLimitPerChannelPerSecond?: number;
  /** Milliseconds clock for the rate limiter (default `Date.now`), so tests can move time. */
  now?: () => number;
  botUserId?: string;
  botId?: string;
  teamId?: string;
  users?: Record<string, FakeSlackUser>;
  /** When given, other channels answer `channel_not_found`. */
  channels?: string[];
  /** The app-level token (`xapp-…`) `apps.connections.open` accepts (Socket Mode). */
  appToken?: string;
  /** What `apps.connections.open` answers as `url` (a fake Socket Mode server's, slack-socket-mode.ts). */
  socketModeUrl?: () => string;
}

export interface FakeSlack {
  /** `http://127.0.0.1:<port>/api/` (with the trailing slash WebClient wants). */
  apiUrl: string;
  origin: string;
  requests: RecordedSlackRequest[];
  /** Messages posted with chat.postMessage (as updated since), oldest first. */
  posted(channel?: string): FakeSlackMessage[];
  /** Bodies POSTed to response URLs, oldest first. */
  responses(id?: string): { id: string; body: unknown }[];
  /** A response URL on this server (what a fixture's `response_url` would be). */
  responseUrl(id?: string): string;
  /** Views opened with views.open. */
  views(): unknown[];
  /** A person's message (what the Events API then reports): its ts, so reactions can find it. */
  userPosts(channel: string, msg: { user: string; text: string; thread_ts?: string }): string;
  /** Emoji names added with reactions.add to one message, in order. */
  reactionsOn(channel: string, ts: string): string[];
  /** What users.getPresence answers for a user (default `active`). */
  setPresence(user: string, presence: 'active' | 'away'): void;
  /** Queue answers for the next calls to a method (or `response_url`), before any other check. */
  script(method: string, responses: FakeSlackResponse[]): void;
  /** How many HTTP 429s were sent. */
  readonly rateLimitedCount: number;
  close(): Promise<void>;
}

/** A Slack error answer: HTTP 200 (unless given) with `{ok: false, error}`. */
export function slackError(
  error: string,
  opts: { status?: number; retryAfter?: string } = {},
): FakeSlackResponse {
  return {
    status: opts.status ?? 200,
    body: { ok: false, error },
    ...(opts.retryAfter !== undefined ? { headers: { 'retry-after': opts.retryAfter } } : {}),
  };
}

const BASE_SEC = 1767261600;
const JSON_FIELDS = ['blocks', 'attachments', 'view', 'metadata'];
const RATE_LIMITED_METHODS = new Set(['chat.postMessage', 'chat.update']);

function tryJson(text: string, fallback: unknown): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return fallback;
  }
}

/** Query, then the JSON body, or the form body with its JSON-valued fields (`blocks`, `view`…) decoded. */
function parseParams(raw: Buffer, contentType: string, query: URLSearchParams) {
  const params: Record<string, unknown> = Object.fromEntries(query);
  const text = raw.toString('utf8');
  if (contentType.startsWith('application/json')) {
    return { ...params, ...(tryJson(text || '{}', {}) as object) };
  }
  for (const [key, value] of new URLSearchParams(text)) {
    params[key] = JSON_FIELDS.includes(key) ? tryJson(value, value) : value;
  }
  return params;
}

export async function startFakeSlack(opts: FakeSlackOptions): Promise<FakeSlack> {
  const now = opts.now ?? Date.now;
  const botUserId = opts.botUserId ?? 'U0TESTBOT1';
  const botId = opts.botId ?? 'B0TESTBOT1';
  const teamId = opts.teamId ?? 'T0TESTHD01';
  const users = new Map(Object.entries(opts.users ?? {}));
  const requests: RecordedSlackRequest[] = [];
  const scripts = new Map<string, FakeSlackResponse[]>();
  const messages = new Map<string, FakeSlackMessage>();
  const responseBodies: { id: string; body: unknown }[] = [];
  const views: unknown[] = [];
  const reactions: { channel: string; ts: string; name: string }[] = [];
  const sentPerChannel = new Map<string, number[]>();
  const presence = new Map<string, 'active' | 'away'>();
  let counter = 0;
  let rateLimitedCount = 0;
  let origin = '';

  const nextTs = () => {
    counter += 1;
    return `${BASE_SEC + Math.floor(counter / 10000)}.${String((counter % 10000) * 100).padStart(6, '0')}`;
  };
  const ok = (body: Record<string, unknown> = {}): FakeSlackResponse => ({
    status: 200,
    body: { ok: true, ...body },
  });
  const messageJson = (m: FakeSlackMessage, parentUser?: string) => ({
    user: m.user,
    type: 'message',
    ts: m.ts,
    bot_id: botId,
    app_id: 'A0TESTHD01',
    text: m.text,
    team: teamId,
    bot_profile: { id: botId, app_id: 'A0TESTHD01', name: 'Helpdesk Test Bot', team_id: teamId },
    ...(m.blocks !== undefined ? { blocks: m.blocks } : {}),
    ...(m.thread_ts ? { thread_ts: m.thread_ts, parent_user_id: parentUser ?? botUserId } : {}),
  });

  /** Null when the call may go on; else the 429 to send. */
  function rateLimit(method: string, channel: string): FakeSlackResponse | null {
    const limit = opts.rateLimitPerChannelPerSecond;
    if (!limit || !RATE_LIMITED_METHODS.has(method)) return null;
    const t = now();
    const recent = (sentPerChannel.get(channel) ?? []).filter((at) => t - at < 1000);
    if (recent.length >= limit) {
      sentPerChannel.set(channel, recent);
      return slackError('ratelimited', { status: 429, retryAfter: '1' });
    }
    sentPerChannel.set(channel, [...recent, t]);
    return null;
  }

  function answer(method: string, p: Record<string, unknown>): FakeSlackResponse {
    const channel = typeof p.channel === 'string' ? p.channel : '';
    const text = typeof p.text === 'string' ? p.text : '';
    const knownChannel = channel !== '' && (!opts.channels || opts.channels.includes(channel));
    switch (method) {
      case 'auth.test':
        return ok({
          url: 'https://example-helpdesk-test.slack.com/',
          team: 'Example Helpdesk Test',
          user: 'helpdesk_test_bot',
          team_id: teamId,
          user_id: botUserId,
          bot_id: botId,
          is_enterprise_install: false,
        });
      case 'chat.postMessage': {
        if (!knownChannel) return slackError('channel_not_found');
        if (!text && p.blocks === undefined) return slackError('no_text');
        if (text.length > 40000) return slackError('msg_too_long');
        const threadTs = typeof p.thread_ts === 'string' && p.thread_ts ? p.thread_ts : undefined;
        const m: FakeSlackMessage = { channel, ts: nextTs(), text, user: botUserId, edits: 0 };
        if (p.blocks !== undefined) m.blocks = p.blocks;
        if (threadTs) m.thread_ts = threadTs;
        messages.set(`${channel}:${m.ts}`, m);
        const parent = threadTs ? messages.get(`${channel}:${threadTs}`) : undefined;
        return ok({ channel, ts: m.ts, message: messageJson(m, parent?.user) });
      }
      case 'chat.update': {
        if (!knownChannel) return slackError('channel_not_found');
        const m = messages.get(`${channel}:${String(p.ts)}`);
        if (!m) return slackError('message_not_found');
        if (text.length > 40000) return slackError('msg_too_long');
        m.text = text;
        if (p.blocks !== undefined) m.blocks = p.blocks;
        m.edits += 1;
        return ok({ channel, ts: m.ts, text, message: messageJson(m) });
      }
      case 'chat.postEphemeral':
        if (!knownChannel) return slackError('channel_not_found');
        if (typeof p.user !== 'string' || !p.user) return slackError('user_not_found');
        return ok({ message_ts: nextTs() });
      case 'views.open': {
        if (typeof p.trigger_id !== 'string' || typeof p.view !== 'object' || !p.view) {
          return slackError('invalid_arguments');
        }
        const view = { ...p.view, id: `V0FAKE${views.length + 1}`, team_id: teamId, hash: 'h' };
        views.push(view);
        return ok({ view: { ...view, state: { values: {} } } });
      }
      case 'users.info': {
        const id = String(p.user ?? '');
        const u = users.get(id);
        if (!u) return slackError('user_not_found');
        const profile = { real_name: u.real_name ?? u.name, display_name: u.name, email: u.email };
        return ok({
          user: {
            id,
            team_id: teamId,
            name: u.name,
            deleted: false,
            real_name: profile.real_name,
            tz: u.tz ?? 'Asia/Kolkata',
            is_bot: u.is_bot ?? false,
            profile,
          },
        });
      }
      case 'users.getPresence': {
        const id = String(p.user ?? '');
        if (!id) return slackError('user_not_found');
        const now = presence.get(id) ?? 'active';
        return ok({
          presence: now,
          ...(now === 'active' ? { online: true, auto_away: false } : {}),
        });
      }
      case 'reactions.add': {
        const ts = String(p.timestamp);
        const name = String(p.name);
        if (!messages.has(`${channel}:${ts}`)) return slackError('message_not_found');
        if (reactions.some((r) => r.channel === channel && r.ts === ts && r.name === name)) {
          return slackError('already_reacted');
        }
        reactions.push({ channel, ts, name });
        return ok();
      }
      default:
        return { status: 404, body: { ok: false, error: 'unknown_method' } };
    }
  }

  /** Socket Mode: only the app-level token may open a connection (`not_allowed_token_type`). */
  function connectionsOpen(token: string): FakeSlackResponse {
    if (!opts.appToken || token !== opts.appToken) return slackError('not_allowed_token_type');
    if (!opts.socketModeUrl) return slackError('socket_mode_not_enabled');
    return ok({ url: opts.socketModeUrl() });
  }

  function send(res: ServerResponse, r: FakeSlackResponse, recorded: RecordedSlackRequest): void {
    const status = r.status ?? 200;
    recorded.status = status;
    if (status === 429) rateLimitedCount += 1;
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...r.headers });
    res.end(JSON.stringify(r.body ?? { ok: true }));
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', origin);
      const rawBody = Buffer.concat(chunks);
      const params = parseParams(rawBody, req.headers['content-type'] ?? '', url.searchParams);
      const responseId = /^\/response\/([^/]+)$/.exec(url.pathname)?.[1];
      const method = responseId ? 'response_url' : url.pathname.replace(/^\/api\//, '');
      const recorded: RecordedSlackRequest = {
        method,
        path: url.pathname,
        headers: req.headers,
        rawBody,
        params,
        status: 0,
      };
      requests.push(recorded);
      const scripted = scripts.get(method)?.shift();
      if (scripted) return send(res, scripted, recorded);
      if (responseId) {
        responseBodies.push({ id: decodeURIComponent(responseId), body: params });
        return send(res, ok(), recorded);
      }
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const token = bearer ?? (typeof params.token === 'string' ? params.token : undefined);
      if (!token) return send(res, slackError('not_authed'), recorded);
      if (token !== opts.token && !(method === 'apps.connections.open' && token === opts.appToken))
        return send(res, slackError('invalid_auth'), recorded);
      if (method === 'apps.connections.open') return send(res, connectionsOpen(token), recorded);
      const limited = rateLimit(method, String(params.channel ?? ''));
      send(res, limited ?? answer(method, params), recorded);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let responseCounter = 0;

  return {
    apiUrl: `${origin}/api/`,
    origin,
    requests,
    posted: (channel) => [...messages.values()].filter((m) => !channel || m.channel === channel),
    responses: (id) => responseBodies.filter((r) => !id || r.id === id),
    responseUrl: (id) => `${origin}/response/${encodeURIComponent(id ?? `r${++responseCounter}`)}`,
    views: () => [...views],
    userPosts(channel, msg) {
      const m: FakeSlackMessage = {
        channel,
        ts: nextTs(),
        text: msg.text,
        user: msg.user,
        edits: 0,
      };
      if (msg.thread_ts) m.thread_ts = msg.thread_ts;
      messages.set(`${channel}:${m.ts}`, m);
      return m.ts;
    },
    setPresence: (user, value) => void presence.set(user, value),
    reactionsOn: (channel, ts) =>
      reactions.filter((r) => r.channel === channel && r.ts === ts).map((r) => r.name),
    script(method, responses) {
      scripts.set(method, [...(scripts.get(method) ?? []), ...responses]);
    },
    get rateLimitedCount() {
      return rateLimitedCount;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
