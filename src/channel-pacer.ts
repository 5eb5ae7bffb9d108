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
import type { ChannelPaceStore } from './ports/channel-pace.js';

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
  const spaced = lastCallSpacing(opts.intervalMs, now, sleep);
  return {
    async turn(key) {
      const t = now();
      const slot = Math.max(t, next.get(key) ?? 0);
      const wait = slot - t;
      if (wait > opts.maxWaitMs) return wait;
      next.set(key, slot + opts.intervalMs);
      if (wait > 0) await sleep(wait);
      const late = await spaced(key);
      if (late) next.set(key, Math.max(next.get(key) ?? 0, now() + opts.intervalMs));
      return null;
    },
  };
}

/**
 * The same turns, reserved in the database (`ChannelPaceStore`): several Parley processes posting
 * to one Slack channel share its one message a second instead of each taking it.
 */
export function createSharedPacer(opts: {
  store: ChannelPaceStore;
  intervalMs: number;
  maxWaitMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}): Pacer {
  const sleep = opts.sleep ?? realSleep;
  const spaced = lastCallSpacing(opts.intervalMs, opts.now ?? Date.now, sleep);
  return {
    async turn(key) {
      const turn = await opts.store.reserve(key, opts.intervalMs, opts.maxWaitMs);
      if (!turn.reserved) return turn.delayMs;
      if (turn.waitMs > 0) await sleep(turn.waitMs);
      await spaced(key);
      return null;
    },
  };
}

/**
 * Waits until `intervalMs` have passed since this process's previous call of the key went out (a
 * timer that fired late must not leave two calls closer than that), then records this one.
 * Resolves true when it had to wait.
 */
function lastCallSpacing(
  intervalMs: number,
  now: () => number,
  sleep: (ms: number) => Promise<void>,
): (key: string) => Promise<boolean> {
  const lastSent = new Map<string, number>();
  return async (key) => {
    const previous = lastSent.get(key);
    const tooSoon = previous === undefined ? 0 : previous + intervalMs - now();
    if (tooSoon > 0) await sleep(tooSoon);
    lastSent.set(key, now());
    return tooSoon > 0;
  };
}
