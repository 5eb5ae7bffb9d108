/**
 * In-memory wake-ups for long polls: `notify(session)` wakes the polls waiting on that session.
 * Nothing is stored (messages live in the database); a poll that misses a wake-up (another
 * process sent it) still returns at its timeout. Bounded: a poll over the limits does not wait.
 */

export interface Subscription {
  /** True once a notification arrived after `subscribe`. */
  readonly notified: boolean;
  /** Resolves on a notification, after `ms`, on `signal` abort or on `close()` of the hub. */
  wait(ms: number, signal?: AbortSignal): Promise<void>;
  /** Always call it (in `finally`). */
  close(): void;
}

export interface SessionNotifier {
  notify(session: string): void;
  /** `undefined` when too many polls are already waiting (globally or on this session). */
  subscribe(session: string): Subscription | undefined;
  /** Wakes every waiting poll and stops new ones from waiting (server shutdown). */
  closeAll(): void;
  waiting(): number;
}

export interface NotifierLimits {
  /** Default 10 000. */
  maxWaiters?: number;
  /** Default 4 (a few tabs of the same chat). */
  maxWaitersPerSession?: number;
}

interface Waiter {
  notified: boolean;
  wake: () => void;
}

export function createSessionNotifier(limits: NotifierLimits = {}): SessionNotifier {
  const maxWaiters = limits.maxWaiters ?? 10_000;
  const maxPerSession = limits.maxWaitersPerSession ?? 4;
  const bySession = new Map<string, Set<Waiter>>();
  let total = 0;
  let closed = false;

  function remove(session: string, waiter: Waiter): void {
    const set = bySession.get(session);
    if (!set?.delete(waiter)) return;
    total -= 1;
    if (set.size === 0) bySession.delete(session);
  }

  return {
    notify(session) {
      for (const waiter of bySession.get(session) ?? []) {
        waiter.notified = true;
        waiter.wake();
      }
    },
    subscribe(session) {
      const set = bySession.get(session) ?? new Set<Waiter>();
      if (closed || total >= maxWaiters || set.size >= maxPerSession) return undefined;
      let resolveWait: (() => void) | undefined;
      const waiter: Waiter = { notified: false, wake: () => resolveWait?.() };
      set.add(waiter);
      bySession.set(session, set);
      total += 1;
      return {
        get notified() {
          return waiter.notified;
        },
        wait(ms, signal) {
          if (waiter.notified || signal?.aborted) return Promise.resolve();
          return new Promise<void>((resolve) => {
            const done = () => {
              clearTimeout(timer);
              signal?.removeEventListener('abort', done);
              resolveWait = undefined;
              resolve();
            };
            const timer = setTimeout(done, ms);
            signal?.addEventListener('abort', done, { once: true });
            resolveWait = done;
          });
        },
        close: () => remove(session, waiter),
      };
    },
    closeAll() {
      closed = true;
      for (const set of bySession.values()) for (const waiter of set) waiter.wake();
    },
    waiting: () => total,
  };
}
