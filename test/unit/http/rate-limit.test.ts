import { describe, expect, it } from 'vitest';
import { TokenBucketLimiter } from '../../../src/http/rate-limit.js';
import { auth, serve, testApp } from './fixtures.js';

describe('TokenBucketLimiter', () => {
  it('allows a burst, then refills at the rate', () => {
    let now = 0;
    const limiter = new TokenBucketLimiter({ ratePerSecond: 2, burst: 3, now: () => now });
    expect([1, 2, 3].map(() => limiter.take('k').allowed)).toEqual([true, true, true]);
    const refused = limiter.take('k');
    expect(refused).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 1 });
    now += 500; // one token back
    expect(limiter.take('k').allowed).toBe(true);
    expect(limiter.take('k').allowed).toBe(false);
    now += 10_000; // never more than the burst
    expect([1, 2, 3, 4].map(() => limiter.take('k').allowed)).toEqual([true, true, true, false]);
  });

  it('keeps one bucket per key', () => {
    const limiter = new TokenBucketLimiter({ ratePerSecond: 1, burst: 1, now: () => 0 });
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('says how long to wait at slow rates', () => {
    const limiter = new TokenBucketLimiter({ ratePerSecond: 0.1, burst: 1, now: () => 0 });
    limiter.take('k');
    expect(limiter.take('k').retryAfterSeconds).toBe(10);
  });

  it('forgets idle buckets when it holds too many', () => {
    let now = 0;
    const limiter = new TokenBucketLimiter({
      ratePerSecond: 1,
      burst: 1,
      maxKeys: 2,
      now: () => now,
    });
    limiter.take('a');
    limiter.take('b');
    now += 5_000;
    limiter.take('c');
    expect(limiter.size).toBe(1);
  });

  it('refuses nonsense settings', () => {
    expect(() => new TokenBucketLimiter({ ratePerSecond: 0 })).toThrow(RangeError);
  });
});

describe('rate limit middleware', () => {
  it('answers 429 rate_limited with Retry-After once the bucket is empty', async () => {
    const server = await serve(testApp({ rateLimit: { ratePerSecond: 0.5, burst: 2 } }));
    try {
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 3; i++) {
        last = await fetch(`${server.url}/api/v1/agents`, { headers: auth('bad-key') });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([401, 401, 429]);
      expect(last?.headers.get('retry-after')).toBe('2');
      const body = (await last?.json()) as { error: { code: string } };
      expect(body.error.code).toBe('rate_limited');
      // Another key has its own bucket.
      const other = await fetch(`${server.url}/api/v1/agents`, { headers: auth('other') });
      expect(other.status).toBe(401);
    } finally {
      await server.close();
    }
  });
});
