/**
 * A thin typed client over `@slack/web-api`'s `WebClient` for the calls Parley makes. The
 * WebClient never retries and never waits out a rate limit (`retries: 0`,
 * `rejectRateLimitedCalls: true`): the outbox dispatcher owns retries and honours
 * `SlackApiError.retryAfterMs`. Every failure is a `SlackApiError`.
 */
import type { KnownBlock, ModalView } from '@slack/types';
import {
  LogLevel,
  WebClient,
  type FetchFunction,
  type Logger as SlackLogger,
} from '@slack/web-api';
import type { Logger } from '../../src/ports/logger.js';
import { SlackApiError, slackErrorFromResponse, toSlackApiError } from './errors.js';

export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';
const SLACK_RESPONSE_ORIGINS = ['https://hooks.slack.com', 'https://hooks.slack-gov.com'];

export interface SlackWebClientOptions {
  token: string;
  /** Ends with `/`: `https://slack.com/api/` (default) or a fake's `http://127.0.0.1:<port>/api/`. */
  apiUrl?: string;
  fetch?: typeof globalThis.fetch;
  /** Per request; default 10 s. */
  timeoutMs?: number;
  /** Origins `respond` may POST to, besides Slack's hooks hosts and `apiUrl`'s origin. */
  responseUrlOrigins?: string[];
  logger?: Logger;
}

export interface SlackPostArgs {
  channel: string;
  text: string;
  blocks?: KnownBlock[];
  thread_ts?: string;
  /** Also show a thread reply in the channel. */
  reply_broadcast?: boolean;
  unfurl_links?: boolean;
}

export interface SlackUserInfo {
  id: string;
  name: string;
  real_name?: string;
  display_name?: string;
  /** Needs the `users:read.email` scope; absent for bots. */
  email?: string;
  is_bot: boolean;
  deleted: boolean;
  tz?: string;
}

export interface SlackAuthInfo {
  user_id: string;
  bot_id?: string;
  team_id: string;
  team?: string;
  url?: string;
}

/** What a `response_url` accepts (https://docs.slack.dev/interactivity/handling-user-interaction). */
export interface SlackRespondBody {
  text: string;
  blocks?: KnownBlock[];
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
  delete_original?: boolean;
  thread_ts?: string;
}

export interface SlackWebClient {
  postMessage(args: SlackPostArgs): Promise<{ ts: string; channel: string }>;
  update(args: {
    channel: string;
    ts: string;
    text: string;
    blocks?: KnownBlock[];
  }): Promise<{ ts: string; channel: string }>;
  postEphemeral(args: {
    channel: string;
    user: string;
    text: string;
    blocks?: KnownBlock[];
    thread_ts?: string;
  }): Promise<{ message_ts: string }>;
  openView(triggerId: string, view: ModalView): Promise<{ view_id: string }>;
  usersInfo(user: string): Promise<SlackUserInfo>;
  addReaction(args: { channel: string; timestamp: string; name: string }): Promise<void>;
  /** `users.getPresence` (scope `users:read`): `active` or `away`. */
  getPresence(user: string): Promise<'active' | 'away'>;
  respond(responseUrl: string, body: SlackRespondBody): Promise<void>;
  authTest(): Promise<SlackAuthInfo>;
  /** The underlying client, for calls not wrapped here. */
  readonly web: WebClient;
}

type Result = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const obj = (v: unknown): Result => (typeof v === 'object' && v !== null ? (v as Result) : {});

/** Routes a Slack SDK's own logging into our logger (silent without one). */
export function slackLogger(logger?: Logger, component = 'slack-web-api'): SlackLogger {
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...msgs: unknown[]): void =>
      logger?.[level]({ component }, msgs.map(String).join(' '));
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    setLevel: () => {},
    getLevel: () => LogLevel.DEBUG,
    setName: () => {},
  };
}

/** Drops undefined arguments (the form serializer would send them as empty strings). */
function args(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

export function createSlackWebClient(opts: SlackWebClientOptions): SlackWebClient {
  const apiUrl = opts.apiUrl ?? DEFAULT_SLACK_API_URL;
  const fetchFn = opts.fetch ?? globalThis.fetch;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const web = new WebClient(opts.token, {
    slackApiUrl: apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    allowAbsoluteUrls: false,
    timeout: timeoutMs,
    fetch: fetchFn as unknown as FetchFunction,
    logger: slackLogger(opts.logger),
  });
  const allowedOrigins = new Set([
    ...SLACK_RESPONSE_ORIGINS,
    new URL(apiUrl).origin,
    ...(opts.responseUrlOrigins ?? []),
  ]);

  async function call(method: string, params: Record<string, unknown>): Promise<Result> {
    try {
      return (await web.apiCall(method, args(params))) as unknown as Result;
    } catch (err) {
      throw toSlackApiError(method, err);
    }
  }

  function stamp(method: string, result: Result, fallbackChannel: string) {
    const ts = str(result.ts);
    if (!ts) {
      throw new SlackApiError(`Slack ${method} answered without ts`, {
        method,
        code: 'invalid_response',
        permanent: false,
        payload: result,
      });
    }
    return { ts, channel: str(result.channel) ?? fallbackChannel };
  }

  return {
    web,
    async postMessage(a) {
      return stamp('chat.postMessage', await call('chat.postMessage', { ...a }), a.channel);
    },
    async update(a) {
      return stamp('chat.update', await call('chat.update', { ...a }), a.channel);
    },
    async postEphemeral(a) {
      const result = await call('chat.postEphemeral', { ...a });
      return { message_ts: str(result.message_ts) ?? '' };
    },
    async openView(triggerId, view) {
      const result = await call('views.open', { trigger_id: triggerId, view });
      return { view_id: str(obj(result.view).id) ?? '' };
    },
    async usersInfo(user) {
      const u = obj((await call('users.info', { user })).user);
      const profile = obj(u.profile);
      return args({
        id: str(u.id) ?? user,
        name: str(u.name) ?? '',
        real_name: str(u.real_name) ?? str(profile.real_name),
        display_name: str(profile.display_name) || undefined,
        email: str(profile.email),
        is_bot: u.is_bot === true,
        deleted: u.deleted === true,
        tz: str(u.tz),
      }) as unknown as SlackUserInfo;
    },
    async addReaction(a) {
      await call('reactions.add', { ...a });
    },
    async getPresence(user) {
      const presence = str((await call('users.getPresence', { user })).presence);
      if (presence !== 'active' && presence !== 'away') {
        throw new SlackApiError(`Slack users.getPresence answered presence ${presence ?? 'none'}`, {
          method: 'users.getPresence',
          code: 'invalid_response',
          permanent: true,
        });
      }
      return presence;
    },
    async authTest() {
      const r = await call('auth.test', {});
      return args({
        user_id: str(r.user_id) ?? '',
        bot_id: str(r.bot_id),
        team_id: str(r.team_id) ?? '',
        team: str(r.team),
        url: str(r.url),
      }) as unknown as SlackAuthInfo;
    },
    async respond(responseUrl, body) {
      const method = 'response_url';
      let origin: string;
      try {
        origin = new URL(responseUrl).origin;
      } catch {
        origin = '';
      }
      if (!allowedOrigins.has(origin)) {
        throw new SlackApiError(`Refusing to POST to a response_url on ${origin || 'no origin'}`, {
          method,
          code: 'response_url_not_allowed',
          permanent: true,
        });
      }
      let res: Response;
      try {
        res = await fetchFn(responseUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        throw toSlackApiError(method, err);
      }
      const text = await res.text().catch(() => '');
      let code: string | undefined;
      try {
        const parsed = obj(JSON.parse(text));
        if (parsed.ok === false) code = str(parsed.error) ?? 'unknown_error';
      } catch {
        // "ok" as plain text, or an HTML error page
      }
      if (res.ok && !code) return;
      throw slackErrorFromResponse({
        method,
        status: res.status,
        retryAfter: res.headers.get('retry-after'),
        payload: text.slice(0, 500),
        ...(code ? { code } : {}),
      });
    },
  };
}
