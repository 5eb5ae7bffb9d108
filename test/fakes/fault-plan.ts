/**
 * Fault injection for the fake platforms (Telegram Bot API, Graph API): per request, a fault
 * drawn at the configured rates, or every request while the platform is "down". Faults happen
 * before the platform handles the request, so a faulted send delivers nothing:
 *  - `rate_limited`: 429 with a retry-after (Telegram: `parameters.retry_after`; Graph: the
 *    `Retry-After` header);
 *  - `server_error`: a 5xx;
 *  - `hang`: the request is read and never answered (until the client gives up, or `hangMs`);
 *  - `drop`: the connection is destroyed after the request was read, with no answer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type FaultKind = 'rate_limited' | 'server_error' | 'hang' | 'drop';

export type Fault =
  | { kind: 'rate_limited'; retryAfterSeconds: number }
  | { kind: 'server_error'; status: number }
  | { kind: 'hang' }
  | { kind: 'drop' };

/** Probability per request of each fault (their sum at most 1). */
export type FaultRates = Partial<Record<FaultKind, number>>;

export interface FaultPlan {
  /** The fault for a request to `route` (e.g. `sendMessage`, `messages`), or none. */
  decide(route: string): Fault | undefined;
  setRates(rates: FaultRates): void;
  /** Every matching request fails with `kind` for the next `ms` (a platform outage). */
  down(ms: number, kind?: FaultKind): void;
  /** Back to normal: no rates, not down. */
  heal(): void;
  /** Faults injected so far, by kind. */
  readonly injected: Record<FaultKind, number>;
}

export interface FaultPlanOptions {
  /** Which routes faults apply to (default: every route). */
  routes?: (route: string) => boolean;
  /** Retry-after of a 429, in whole seconds: drawn from this range (default [1, 2]). */
  retryAfterSeconds?: [number, number];
  /** Status of a `server_error` (default 502 and 503 alternately). */
  serverErrorStatuses?: number[];
  random?: () => number;
  now?: () => number;
}

export function createFaultPlan(opts: FaultPlanOptions = {}): FaultPlan {
  const random = opts.random ?? Math.random;
  const now = opts.now ?? Date.now;
  const [minRetry, maxRetry] = opts.retryAfterSeconds ?? [1, 2];
  const statuses = opts.serverErrorStatuses ?? [502, 503];
  let rates: FaultRates = {};
  let downUntil = 0;
  let downKind: FaultKind = 'server_error';
  let serverErrors = 0;
  const injected: Record<FaultKind, number> = {
    rate_limited: 0,
    server_error: 0,
    hang: 0,
    drop: 0,
  };

  function make(kind: FaultKind): Fault {
    injected[kind] += 1;
    switch (kind) {
      case 'rate_limited':
        return {
          kind,
          retryAfterSeconds: minRetry + Math.floor(random() * (maxRetry - minRetry + 1)),
        };
      case 'server_error':
        return { kind, status: statuses[serverErrors++ % statuses.length]! };
      default:
        return { kind };
    }
  }

  return {
    decide(route) {
      if (opts.routes && !opts.routes(route)) return undefined;
      if (now() < downUntil) return make(downKind);
      let r = random();
      for (const kind of ['rate_limited', 'server_error', 'hang', 'drop'] as const) {
        const p = rates[kind] ?? 0;
        if (r < p) return make(kind);
        r -= p;
      }
      return undefined;
    },
    setRates(next) {
      rates = { ...next };
    },
    down(ms, kind = 'server_error') {
      downUntil = now() + ms;
      downKind = kind;
    },
    heal() {
      rates = {};
      downUntil = 0;
    },
    injected,
  };
}

/**
 * Carries out a `hang` or `drop` on a request whose body was read. Returns false for the other
 * kinds, which each fake answers in its own platform's format.
 */
export function applyTransportFault(
  fault: Fault,
  req: IncomingMessage,
  res: ServerResponse,
  hangMs = 120_000,
): boolean {
  if (fault.kind === 'drop') {
    req.socket.destroy();
    return true;
  }
  if (fault.kind === 'hang') {
    // Never answered; the socket closes when the client gives up (or the fake closes).
    const timer = setTimeout(() => req.socket.destroy(), hangMs);
    res.once('close', () => clearTimeout(timer));
    return true;
  }
  return false;
}
