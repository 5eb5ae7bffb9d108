/**
 * Load shedding: when more requests are in flight than Parley can finish quickly, or its event
 * loop is running late, a new request is answered at once with 503 `overloaded` and
 * `Retry-After`, before its body is read and without recording anything. The platforms retry a
 * webhook that got a 5xx (and a redelivered message is deduplicated on its id), so a burst is
 * spread out instead of every request waiting until the platform's own timeout.
 *
 * Two signals, either one sheds:
 *  - requests in flight (counted from arrival to the response closing): the queue in front of the
 *    database, which is what a burst fills up;
 *  - event-loop delay (p90 over the last sampling window, perf_hooks): CPU saturation, which in-flight
 *    counting alone misses when requests are cheap but the process is starved.
 * Probes (`/healthz`, `/readyz`, `/metrics`) are mounted before the guard and never shed.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Request, RequestHandler } from 'express';
import { sendError } from './errors.js';

export interface OverloadOptions {
  /** Requests in flight beyond which new ones are shed; 0 = no limit. */
  maxInFlight: number;
  /** Event-loop delay (ms, p90 over the last window) beyond which requests are shed; 0 = off. */
  maxEventLoopDelayMs: number;
  /** Seconds in the `Retry-After` of a shed request (default 1). */
  retryAfterSeconds?: number;
  /** Length of an event-loop sampling window (default 500 ms). */
  windowMs?: number;
  now?: () => number;
  /** Whether a request counts as in flight (default: all); a long poll does not. */
  counted?: (req: Request) => boolean;
}

export interface OverloadStats {
  inFlight: number;
  shed: number;
  /** p90 event-loop delay (ms) of the last complete window. */
  eventLoopDelayMs: number;
}

export interface OverloadGuard {
  middleware: RequestHandler;
  stats(): OverloadStats;
}

export function createOverloadGuard(opts: OverloadOptions): OverloadGuard {
  const now = opts.now ?? Date.now;
  const windowMs = opts.windowMs ?? 500;
  const retryAfter = String(opts.retryAfterSeconds ?? 1);
  let inFlight = 0;
  let shed = 0;
  let delayMs = 0;
  let windowStart = now();
  // A native histogram (no JS timer); read and reset lazily, on requests.
  const histogram = opts.maxEventLoopDelayMs > 0 ? monitorEventLoopDelay({ resolution: 10 }) : null;
  histogram?.enable();

  function eventLoopDelay(): number {
    if (!histogram) return 0;
    const t = now();
    if (t - windowStart >= windowMs) {
      // The 90th percentile, so one long pause (a GC, a big JSON) does not shed a whole window;
      // a saturated loop delays nearly every sample. In ns, including the 10-ms interval itself.
      delayMs = histogram.count > 0 ? Math.max(0, histogram.percentile(90) / 1e6 - 10) : 0;
      histogram.reset();
      windowStart = t;
    }
    return delayMs;
  }

  function overloaded(): boolean {
    if (opts.maxInFlight > 0 && inFlight >= opts.maxInFlight) return true;
    return opts.maxEventLoopDelayMs > 0 && eventLoopDelay() > opts.maxEventLoopDelayMs;
  }

  const middleware: RequestHandler = (req, res, next) => {
    if (overloaded()) {
      shed += 1;
      res.setHeader('Retry-After', retryAfter);
      // The body is not read: close the connection rather than drain it.
      res.setHeader('Connection', 'close');
      sendError(res, 503, 'overloaded', 'Parley is busy; retry later', {
        retry_after_seconds: Number(retryAfter),
      });
      return;
    }
    if (opts.counted && !opts.counted(req)) {
      next();
      return;
    }
    inFlight += 1;
    let done = false;
    res.once('close', () => {
      if (done) return;
      done = true;
      inFlight -= 1;
    });
    next();
  };

  return {
    middleware,
    stats: () => ({ inFlight, shed, eventLoopDelayMs: delayMs }),
  };
}
