/**
 * Rate limits for the public web chat (`/chat/api/*`): anyone on the internet can call it, so a
 * script must not create sessions by the thousand or flood agents with messages. Sessions are
 * limited per client address; messages and uploads per session and per address; long polls per
 * session. Over the limit: 429 with `Retry-After` and the API's error shape; nothing is recorded,
 * so a refused message was never acknowledged.
 */
import { TokenBucketLimiter } from './http/rate-limit.js';
import type { RawHandler, RawRequest } from './ports/raw-http.js';

export interface WebchatLimits {
  /** New sessions per address: per second, and burst. */
  sessionsPerIp: { ratePerSecond: number; burst: number };
  /** Messages and uploads per session. */
  messagesPerSession: { ratePerSecond: number; burst: number };
  /** Messages and uploads per address (many sessions from one place). */
  messagesPerIp: { ratePerSecond: number; burst: number };
  /** Long polls per session (a page polls once at a time; reloads and tabs add a few). */
  pollsPerSession: { ratePerSecond: number; burst: number };
}

export const DEFAULT_WEBCHAT_LIMITS: WebchatLimits = {
  sessionsPerIp: { ratePerSecond: 0.2, burst: 20 },
  messagesPerSession: { ratePerSecond: 1, burst: 10 },
  messagesPerIp: { ratePerSecond: 5, burst: 60 },
  pollsPerSession: { ratePerSecond: 2, burst: 10 },
};

function bearer(req: RawRequest): string {
  const header = req.headers.authorization;
  const value = Array.isArray(header) ? header[0] : header;
  return value?.replace(/^Bearer\s+/i, '').slice(0, 512) ?? '';
}

const refused = (retryAfterSeconds: number) => ({
  status: 429,
  headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
  body: {
    error: {
      code: 'rate_limited',
      message: 'Too many requests: please wait a moment and try again',
    },
  },
});

/** Wraps the web chat's routes (by method and path suffix) in their limits. */
export function createWebchatLimiter(limits: WebchatLimits = DEFAULT_WEBCHAT_LIMITS) {
  const sessions = new TokenBucketLimiter(limits.sessionsPerIp);
  const perSession = new TokenBucketLimiter(limits.messagesPerSession);
  const perIp = new TokenBucketLimiter(limits.messagesPerIp);
  const polls = new TokenBucketLimiter(limits.pollsPerSession);

  return (method: string, path: string, handler: RawHandler): RawHandler => {
    const m = method.toUpperCase();
    const checks: Array<(req: RawRequest) => number | null> = [];
    const take = (limiter: TokenBucketLimiter, key: string) => {
      const r = limiter.take(key);
      return r.allowed ? null : r.retryAfterSeconds;
    };
    if (m === 'POST' && path.endsWith('/api/session')) {
      checks.push((req) => take(sessions, `ip:${req.ip ?? '?'}`));
    } else if (m === 'POST' && (path.endsWith('/api/messages') || path.endsWith('/api/upload'))) {
      checks.push((req) => take(perSession, `s:${bearer(req)}`));
      checks.push((req) => take(perIp, `ip:${req.ip ?? '?'}`));
    } else if (m === 'GET' && path.endsWith('/api/messages')) {
      checks.push((req) => take(polls, `s:${bearer(req)}`));
    }
    if (checks.length === 0) return handler;
    return async (req) => {
      for (const check of checks) {
        const wait = check(req);
        if (wait !== null) return refused(wait);
      }
      return handler(req);
    };
  };
}
