/**
 * Spaces calls per key (a Slack channel): Slack allows about one message per second per channel,
 * so we wait our turn instead of collecting 429s. A turn further away than `maxWaitMs` is not
 * waited for: the caller gets the delay back (to reschedule its outbox row instead of holding a
 * dispatcher slot).
 */
export interface Pacer {
  /** Resolves when it is this call's turn; returns a delay in ms instead when it is too far. */
  turn(key: string): Promise<number | null>;
}

export function createPacer(opts: {
  intervalMs: number;
  maxWaitMs: number;
  now?: () => number;
}): Pacer {
  const now = opts.now ?? Date.now;
  const next = new Map<string, number>();
  return {
    async turn(key) {
      const t = now();
      const slot = Math.max(t, next.get(key) ?? 0);
      const wait = slot - t;
      if (wait > opts.maxWaitMs) return wait;
      next.set(key, slot + opts.intervalMs);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      return null;
    },
  };
}
