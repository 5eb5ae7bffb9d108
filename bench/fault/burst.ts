/**
 * An inbound burst far beyond capacity: `customers` new customers write at the same moment, each
 * `messagesEach` messages in order (a platform delivers one chat's updates one at a time), pushed
 * through `connections` concurrent connections the way the platforms deliver a backlog (Telegram
 * opens up to `max_connections`, 40 by default and at most 100, per bot). Every
 * webhook is retried like the platforms retry: after a 503/429 it waits the `Retry-After` (plus
 * up to as much again of jitter, so the retries spread out), after a network failure or a timeout
 * about a second. Every answer is recorded with its latency.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { customerMessage, type Secrets, webhookFor } from '../crash/payloads.js';
import type { SentMessage } from '../crash/traffic.js';

export interface BurstAnswer {
  status: number | 'network' | 'timeout';
  ms: number;
}

export interface BurstResult {
  messages: SentMessage[];
  answers: BurstAnswer[];
  /** From the first request to the last acknowledgement (ms). */
  elapsedMs: number;
  settled: boolean;
  /** The load generator's own event-loop delay (ms) during the burst: its latencies include it. */
  clientLoopDelayMs: { p50: number; p99: number; max: number };
  /** Parley's `parley_http_in_flight`, polled every 200 ms from /metrics: the highest seen. */
  maxInFlightSeen: number | null;
}

export interface BurstOptions {
  url: string;
  secrets: Secrets;
  /** Customer numbers `firstCustomer` … `firstCustomer + customers - 1` (kept apart from the steady load's). */
  firstCustomer: number;
  customers: number;
  messagesEach: number;
  /** Requests in flight at once (default: one per customer). */
  connections?: number;
  /** What a platform waits for an answer before it counts the delivery as failed (default 10 s). */
  clientTimeoutMs?: number;
  /** Give up retrying after this long (default 120 s). */
  deadlineMs?: number;
  random: () => number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runBurst(opts: BurstOptions): Promise<BurstResult> {
  const timeoutMs = opts.clientTimeoutMs ?? 10_000;
  const deadline = Date.now() + (opts.deadlineMs ?? 120_000);
  const answers: BurstAnswer[] = [];
  const messages: SentMessage[] = [];
  const started = performance.now();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let maxInFlightSeen: number | null = null;
  let polling = true;
  const poller = (async () => {
    while (polling) {
      try {
        const text = await (
          await fetch(`${opts.url}/metrics`, { signal: AbortSignal.timeout(2_000) })
        ).text();
        const n = Number(/^parley_http_in_flight (\d+)/m.exec(text)?.[1]);
        if (Number.isFinite(n)) maxInFlightSeen = Math.max(maxInFlightSeen ?? 0, n);
      } catch {
        // a slow scrape: skip it
      }
      await sleep(200);
    }
  })();

  async function deliver(m: SentMessage): Promise<void> {
    const request = webhookFor(m, opts.secrets);
    while (Date.now() < deadline) {
      m.attempts += 1;
      const sentAt = performance.now();
      let wait = 1_000;
      try {
        const res = await fetch(`${opts.url}${request.path}`, {
          method: 'POST',
          headers: request.headers,
          body: request.body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        await res.arrayBuffer();
        answers.push({ status: res.status, ms: performance.now() - sentAt });
        if (res.status >= 200 && res.status < 300) {
          m.acked = true;
          return;
        }
        const retryAfter = Number(res.headers.get('retry-after'));
        if (Number.isFinite(retryAfter) && retryAfter > 0) wait = retryAfter * 1000;
      } catch (err) {
        const timedOut = err instanceof Error && err.name === 'TimeoutError';
        answers.push({ status: timedOut ? 'timeout' : 'network', ms: performance.now() - sentAt });
      }
      await sleep(wait * (1 + opts.random()));
    }
  }

  async function customer(c: number): Promise<void> {
    const own: SentMessage[] = [];
    for (let k = 1; k <= opts.messagesEach; k++) {
      const m: SentMessage = {
        ...customerMessage(c, k),
        acked: false,
        attempts: 0,
        firstSentAt: null,
        sentAt: null,
        ackedAt: null,
      };
      own.push(m);
      messages.push(m);
    }
    for (const m of own) {
      await deliver(m);
      if (!m.acked) return; // the deadline passed
    }
  }

  let next = 0;
  async function worker(): Promise<void> {
    while (next < opts.customers) await customer(opts.firstCustomer + next++);
  }
  const workers: Promise<void>[] = [];
  for (let i = 0; i < Math.min(opts.customers, opts.connections ?? opts.customers); i++)
    workers.push(worker());
  await Promise.all(workers);
  const elapsedMs = Math.round(performance.now() - started);
  polling = false;
  await poller;
  loop.disable();
  const ms = (ns: number) => Math.round(Math.max(0, ns / 1e6 - 10));
  return {
    messages,
    answers,
    elapsedMs,
    settled: messages.every((m) => m.acked),
    clientLoopDelayMs: {
      p50: ms(loop.percentile(50)),
      p99: ms(loop.percentile(99)),
      max: ms(loop.max),
    },
    maxInFlightSeen,
  };
}
