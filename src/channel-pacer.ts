/**
 * Spaces calls per key (a Slack channel): Slack allows about one message per second per channel,
 * so we wait our turn instead of collecting 429s. A turn further away than `maxWaitMs` is not
 * waited for: the caller gets the delay back (to reschedule its outbox row instead of holding a
 * dispatcher slot).
 *
 * Turns are reserved `intervalMs` apart, and before a call goes out the pacer checks again how
 * long ago the previous call of that key actually went: a timer that fired late must not leave
 * the next call closer than the interval to it (two calls 998 ms apart are a 429 on Slack).
 */
export interface Pacer {
  /** Resolves when it is this call's turn; returns a delay in ms instead when it is too far. */
  turn(key: string): Promise<number | null>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createPacer(opts: {
  intervalMs: number;
  maxWaitMs: number;
  now?: () => number;
  /** Tests: a clock-driven sleep. */
  sleep?: (ms: number) => Promise<void>;
}): Pacer {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? realSleep;
  const next = new Map<string, number>();
  const lastSent = new Map<string, number>();
  return {
    async turn(key) {
      const t = now();
      const slot = Math.max(t, next.get(key) ?? 0);
      const wait = slot - t;
      if (wait > opts.maxWaitMs) return wait;
      next.set(key, slot + opts.intervalMs);
      if (wait > 0) await sleep(wait);
      const previous = lastSent.get(key);
      if (previous !== undefined) {
        const tooSoon = previous + opts.intervalMs - now();
        if (tooSoon > 0) {
          await sleep(tooSoon);
          next.set(key, Math.max(next.get(key) ?? 0, now() + opts.intervalMs));
        }
      }
      lastSent.set(key, now());
      return null;
    },
  };
}
