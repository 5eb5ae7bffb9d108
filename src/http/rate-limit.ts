/**
 * A small in-memory token bucket per API key (per client address for requests without one).
 * Each bucket holds up to `burst` tokens and refills at `ratePerSecond`; a request takes one.
 * An empty bucket answers 429 `rate_limited` with `Retry-After`. One process only: behind
 * several replicas each replica counts on its own.
 */
import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { bearerToken } from './auth.js';
import { sendError } from './errors.js';

export interface RateLimitOptions {
  /** Sustained requests per second per key. Default 20. */
  ratePerSecond?: number;
  /** Bucket size: requests allowed at once after a quiet spell. Default 100. */
  burst?: number;
  /** Buckets kept before full (idle) ones are dropped. Default 10 000. */
  maxKeys?: number;
  /** Milliseconds; injectable for tests. */
  now?: () => number;
}

export interface TakeResult {
  allowed: boolean;
  remaining: number;
  /** Seconds until the next token, when refused. */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class TokenBucketLimiter {
  readonly ratePerSecond: number;
  readonly burst: number;
  private readonly maxKeys: number;
  private readonly now: () => number;
  private readonly buckets = new Map<string, Bucket>();

  constructor(options: RateLimitOptions = {}) {
    this.ratePerSecond = options.ratePerSecond ?? 20;
    this.burst = options.burst ?? 100;
    this.maxKeys = options.maxKeys ?? 10_000;
    this.now = options.now ?? Date.now;
    if (!(this.ratePerSecond > 0) || !(this.burst >= 1)) {
      throw new RangeError('rate limit: ratePerSecond must be > 0 and burst >= 1');
    }
  }

  take(key: string): TakeResult {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (bucket) {
      const elapsed = Math.max(0, now - bucket.updatedAt) / 1000;
      bucket.tokens = Math.min(this.burst, bucket.tokens + elapsed * this.ratePerSecond);
      bucket.updatedAt = now;
      // Re-insert so the map stays in least-recently-used order for pruning.
      this.buckets.delete(key);
      this.buckets.set(key, bucket);
    } else {
      if (this.buckets.size >= this.maxKeys) this.prune(now);
      bucket = { tokens: this.burst, updatedAt: now };
      this.buckets.set(key, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, remaining: Math.floor(bucket.tokens), retryAfterSeconds: 0 };
    }
    const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / this.ratePerSecond));
    return { allowed: false, remaining: 0, retryAfterSeconds };
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Drops buckets that have refilled (nothing to remember), then the least recently used if still full. */
  private prune(now: number): void {
    for (const [key, bucket] of this.buckets) {
      const refilled = bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.ratePerSecond;
      if (refilled >= this.burst) this.buckets.delete(key);
    }
    while (this.buckets.size >= this.maxKeys) {
      const oldest = this.buckets.keys().next();
      if (oldest.done) break;
      this.buckets.delete(oldest.value);
    }
  }
}

/** The bucket key: a hash of the API key (never the key itself), else the client address. */
export function rateLimitKey(req: Request): string {
  const token = bearerToken(req.get('authorization'));
  if (token !== null) {
    return `key:${createHash('sha256').update(token).digest('base64url').slice(0, 32)}`;
  }
  return `ip:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`;
}

export function rateLimit(limiter: TokenBucketLimiter): RequestHandler {
  return (req, res, next) => {
    const result = limiter.take(rateLimitKey(req));
    res.setHeader('RateLimit-Limit', String(limiter.burst));
    res.setHeader('RateLimit-Remaining', String(result.remaining));
    if (!result.allowed) {
      res.setHeader('Retry-After', String(result.retryAfterSeconds));
      sendError(res, 429, 'rate_limited', 'Too many requests; retry later', {
        retry_after_seconds: result.retryAfterSeconds,
      });
      return;
    }
    next();
  };
}
