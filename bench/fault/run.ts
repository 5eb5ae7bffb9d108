/**
 * One fault run: fake Telegram and Graph APIs with fault injection, a Parley (started by the
 * caller: a child process for the bench, in-process for the CI test), the crash bench's steady
 * load (customers' webhooks and agents' replies) through phases in which the platforms answer
 * 429, 5xx, hang, drop connections or are fully down, and an inbound burst far beyond capacity.
 * Then a drain, and the checks: the crash bench's (nothing acknowledged lost, no duplicate, no
 * reordering) and the fault-specific ones of ./verify-faults.ts.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { loadConfig, staffPlatformsOf } from '../../src/config.js';
import { createFaultPlan, type FaultKind, type FaultPlan } from '../../test/fakes/fault-plan.js';
import { startFakePlatforms } from '../crash/platforms.js';
import { startTraffic } from '../crash/traffic.js';
import { drainOutbox } from '../support/drain-outbox.js';
import { mulberry32 } from '../support/random.js';
import { type Verdict, verify } from '../crash/verify.js';
import { type BurstResult, runBurst } from './burst.js';
import type { Phase, Platform } from './phases.js';
import { type FaultVerdict, requestsBetween, sendRequests, verifyFaults } from './verify-faults.js';

export interface FaultTarget {
  url: string;
  databaseUrl: string;
  /** The Parley process (for its CPU time), when it is a process of its own. */
  pid?: number;
  /** Stops sending (before the checks, when the outbox did not drain: no sends mid-check). */
  pause?(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts Parley with this environment (the caller adds storage, PORT and PUBLIC_URL). */
export type StartTarget = (env: Record<string, string>) => Promise<FaultTarget>;

export interface FaultRunOptions {
  phases: Phase[];
  /** Customer messages per second of the steady load. */
  rate: number;
  customers: number;
  replyEveryMs: number;
  burstCustomers: number;
  burstMessagesEach: number;
  /** Concurrent connections the burst is delivered through. */
  burstConnections: number;
  maxAttempts: number;
  platformTimeoutMs: number;
  overloadMaxInFlight: number;
  overloadMaxEventLoopDelayMs: number;
  drainTimeoutMs: number;
  seed: number;
  log?: (line: string) => void;
}

export interface PhaseRecord {
  name: string;
  start_s: number;
  seconds: number;
  requests: Record<Platform, number>;
  faulted: Record<Platform, number>;
  delivered: Record<Platform, number>;
  webhook_p50_ms: number | null;
  webhook_p99_ms: number | null;
  webhooks: number;
  /** Parley's CPU (percent of one core) during the phase, when it runs as its own process. */
  parley_cpu_pct: number | null;
}

export interface FaultRunResult {
  options: Omit<FaultRunOptions, 'log' | 'phases'>;
  phases: PhaseRecord[];
  verdict: Verdict;
  faults: FaultVerdict;
  injected: Record<Platform, Record<FaultKind, number>>;
  burst: {
    messages: number;
    acked: number;
    answers: number;
    shed: number;
    shed_p50_ms: number | null;
    shed_p99_ms: number | null;
    accepted_p99_ms: number | null;
    timeouts: number;
    network_errors: number;
    elapsed_ms: number;
    max_attempts_per_message: number;
    max_in_flight_seen: number | null;
    client_loop_delay_ms: { p50: number; p99: number; max: number } | null;
  };
  steady: {
    webhooks: number;
    p50_ms: number | null;
    p99_ms: number | null;
    errors: Record<string, number>;
  };
  /** Acknowledged agent replies whose delivery failed (surfaced) and those simply missing. */
  replies: { failed: number; lost: number };
  drained: boolean;
  drain_ms: number;
  settled: boolean;
  passed: boolean;
  failures: string[];
  line: string;
  run_seconds: number;
}

const ADMIN_KEY = 'fault-bench-admin-key-0123456789';
const TELEGRAM_TOKEN = '123456:FAULT-telegram-token';
const TELEGRAM_SECRET = 'fault-secret_0123456789';
const WHATSAPP_TOKEN = 'fault-whatsapp-token';
const WHATSAPP_PHONE_ID = '100000000000077';
const WHATSAPP_APP_SECRET = 'fault-app-secret';
const SECRETS = {
  telegramSecret: TELEGRAM_SECRET,
  whatsappAppSecret: WHATSAPP_APP_SECRET,
  whatsappPhoneNumberId: WHATSAPP_PHONE_ID,
};
/** Burst customers are numbered from here, apart from the steady load's. */
const BURST_FIRST_CUSTOMER = 100_000;

export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const v = sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  return Math.round(v * 10) / 10;
}

/** CPU seconds (user + system) of a process so far, from /proc. */
async function cpuSeconds(pid: number | undefined): Promise<number | null> {
  if (!pid) return null;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks
  } catch {
    return null;
  }
}

/** Environment for Parley in a fault run (the starter adds storage, PORT and PUBLIC_URL). */
function parleyEnv(
  options: FaultRunOptions,
  apis: { telegram: string; graph: string },
): Record<string, string> {
  return {
    ADMIN_API_KEY: ADMIN_KEY,
    TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
    TELEGRAM_API_ROOT: apis.telegram,
    TELEGRAM_MODE: 'webhook',
    WHATSAPP_MODE: 'cloud',
    WHATSAPP_TOKEN,
    WHATSAPP_PHONE_NUMBER_ID: WHATSAPP_PHONE_ID,
    WHATSAPP_APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: 'fault-verify',
    WHATSAPP_GRAPH_URL: apis.graph,
    RATE_LIMIT_PER_SECOND: '100000',
    RATE_LIMIT_BURST: '100000',
    OUTBOX_MAX_ATTEMPTS: String(options.maxAttempts),
    PLATFORM_TIMEOUT_MS: String(options.platformTimeoutMs),
    OVERLOAD_MAX_IN_FLIGHT: String(options.overloadMaxInFlight),
    OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: String(options.overloadMaxEventLoopDelayMs),
  };
}

export async function runFaultBench(
  options: FaultRunOptions,
  start: StartTarget,
): Promise<FaultRunResult> {
  const log = options.log ?? (() => undefined);
  const t0 = Date.now();
  const random = mulberry32(options.seed);
  const plans: Record<Platform, FaultPlan> = {
    telegram: createFaultPlan({ random, routes: (m) => m.startsWith('send') }),
    whatsapp: createFaultPlan({ random, routes: (r) => r === 'messages' }),
  };
  const platforms = await startFakePlatforms(
    { telegram: TELEGRAM_TOKEN, whatsapp: WHATSAPP_TOKEN },
    plans,
  );
  let target: FaultTarget | undefined;
  let traffic: ReturnType<typeof startTraffic> | undefined;
  // No Slack: this bench is about the customer channels (Slack's per-channel pace would hold
  // the drain up), so a give-up's notice to the ticket's Slack thread is not written.
  const env = parleyEnv(options, {
    telegram: platforms.telegram.apiRoot,
    graph: platforms.graph.baseUrl,
  });
  try {
    target = await start(env);
    log(`parley up at ${target.url}`);
    const steadyAnswers: Array<{ at: number; status: number | 'network'; ms: number }> = [];
    traffic = startTraffic({
      url: target.url,
      adminKey: ADMIN_KEY,
      secrets: SECRETS,
      customers: options.customers,
      rate: options.rate,
      replyEveryMs: options.replyEveryMs,
      urgentEveryMs: 0,
      random,
      onWebhookAnswer: (status, ms) => steadyAnswers.push({ at: Date.now(), status, ms }),
    });

    const phases: PhaseRecord[] = [];
    const windows: Array<{ phase: Phase; from: number; to: number; cpu: number | null }> = [];
    let burst: BurstResult | undefined;
    const loadStart = Date.now();
    for (const phase of options.phases) {
      const from = Date.now();
      const cpuBefore = await cpuSeconds(target.pid);
      for (const platform of ['telegram', 'whatsapp'] as const) {
        plans[platform].heal();
        plans[platform].setRates(phase.rates?.[platform] ?? {});
        if (phase.down?.platforms.includes(platform)) {
          plans[platform].down(phase.seconds * 1000, phase.down.kind);
        }
      }
      log(`phase ${phase.name} (${phase.seconds} s)`);
      const running = phase.burst
        ? runBurst({
            url: target.url,
            secrets: SECRETS,
            firstCustomer: BURST_FIRST_CUSTOMER,
            customers: options.burstCustomers,
            messagesEach: options.burstMessagesEach,
            connections: options.burstConnections,
            random,
          }).then((b) => void (burst = b))
        : Promise.resolve();
      await Promise.all([delay(phase.seconds * 1000), running]);
      const to = Date.now();
      const cpuAfter = await cpuSeconds(target.pid);
      windows.push({
        phase,
        from,
        to,
        cpu:
          cpuBefore !== null && cpuAfter !== null
            ? Math.round(((cpuAfter - cpuBefore) / ((to - from) / 1000)) * 1000) / 10
            : null,
      });
    }
    for (const plan of Object.values(plans)) plan.heal();
    traffic.stopGenerating();
    const settled = await traffic.settle(30_000);
    traffic.abort();
    log(`load stopped: ${traffic.messages.length} steady messages, settled=${settled}; draining`);

    const pool = new pg.Pool({ connectionString: target.databaseUrl, max: 2 });
    pool.on('error', () => undefined);
    let drained = false;
    const drainStart = Date.now();
    let verdict: Verdict;
    let faults: FaultVerdict;
    let repliesFailed = 0;
    const requests = () => sendRequests(platforms.telegram.requests, platforms.graph.requests);
    try {
      drained = await drainOutbox(pool, {
        timeoutMs: options.drainTimeoutMs,
        startedAt: drainStart,
      });
      log(`drained=${drained} in ${Date.now() - drainStart} ms`);
      // No sends while the checks compare the database with what the fakes received.
      await target.pause?.();
      const all = requests();
      verdict = await verify(pool, {
        deliveries: platforms.deliveries(),
        messages: [...traffic.messages, ...(burst?.messages ?? [])],
        replies: traffic.replies,
        urgent: [],
        agentChatId: '-1',
      });
      faults = await verifyFaults(pool, {
        requests: all,
        maxAttempts: options.maxAttempts,
        slackWired: staffPlatformsOf(loadConfig(env)).includes('slack'),
      });
      // An acknowledged reply that never arrived is lost unless its delivery failed visibly.
      const replyIds = traffic.replies
        .filter((r) => r.acked && r.messageId)
        .map((r) => r.messageId);
      const failedReplies = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM messages WHERE id = ANY($1::uuid[]) AND delivery_status = 'failed'`,
        [replyIds],
      );
      repliesFailed = failedReplies.rows[0]!.n;
      for (const w of windows) {
        const inWindow = steadyAnswers.filter((a) => a.at >= w.from && a.at < w.to);
        const ok = inWindow.filter((a) => typeof a.status === 'number' && a.status < 300);
        const count = (platform: Platform, what: 'all' | 'faulted' | 'delivered') =>
          all.filter(
            (r) =>
              r.platform === platform &&
              r.at >= w.from &&
              r.at < w.to &&
              (what === 'all' || (what === 'faulted') === !!r.fault),
          ).length;
        phases.push({
          name: w.phase.name,
          start_s: Math.round((w.from - loadStart) / 100) / 10,
          seconds: Math.round((w.to - w.from) / 100) / 10,
          requests: {
            telegram: requestsBetween(all, 'telegram', w.from, w.to),
            whatsapp: requestsBetween(all, 'whatsapp', w.from, w.to),
          },
          faulted: {
            telegram: count('telegram', 'faulted'),
            whatsapp: count('whatsapp', 'faulted'),
          },
          delivered: {
            telegram: count('telegram', 'delivered'),
            whatsapp: count('whatsapp', 'delivered'),
          },
          webhooks: inWindow.length,
          webhook_p50_ms: percentile(
            ok.map((a) => a.ms),
            50,
          ),
          webhook_p99_ms: percentile(
            ok.map((a) => a.ms),
            99,
          ),
          parley_cpu_pct: w.cpu,
        });
      }
    } finally {
      await pool.end();
    }
    const drainMs = Date.now() - drainStart;

    const burstAnswers = burst?.answers ?? [];
    const shedAnswers = burstAnswers.filter((a) => a.status === 503 || a.status === 429);
    const acceptedAnswers = burstAnswers.filter(
      (a) => typeof a.status === 'number' && a.status < 300,
    );
    const steadyOk = steadyAnswers.filter((a) => typeof a.status === 'number' && a.status < 300);
    const burstSummary = {
      messages: burst?.messages.length ?? 0,
      acked: burst?.messages.filter((m) => m.acked).length ?? 0,
      answers: burstAnswers.length,
      shed: shedAnswers.length,
      shed_p50_ms: percentile(
        shedAnswers.map((a) => a.ms),
        50,
      ),
      shed_p99_ms: percentile(
        shedAnswers.map((a) => a.ms),
        99,
      ),
      accepted_p99_ms: percentile(
        acceptedAnswers.map((a) => a.ms),
        99,
      ),
      timeouts: burstAnswers.filter((a) => a.status === 'timeout').length,
      network_errors: burstAnswers.filter((a) => a.status === 'network').length,
      elapsed_ms: burst?.elapsedMs ?? 0,
      max_attempts_per_message: Math.max(0, ...(burst?.messages.map((m) => m.attempts) ?? [])),
      max_in_flight_seen: burst?.maxInFlightSeen ?? null,
      client_loop_delay_ms: burst?.clientLoopDelayMs ?? null,
    };
    const steady = {
      webhooks: steadyAnswers.length,
      p50_ms: percentile(
        steadyOk.map((a) => a.ms),
        50,
      ),
      p99_ms: percentile(
        steadyOk.map((a) => a.ms),
        99,
      ),
      errors: traffic.errors.webhook ?? {},
    };

    const o = verdict.outbound;
    const failures: string[] = [];
    const lost = verdict.inbound.lost;
    if (lost > 0) failures.push(`${lost} acknowledged webhooks lost`);
    if (drained && verdict.inbound.unprocessed > 0)
      failures.push(`${verdict.inbound.unprocessed} acknowledged webhooks never processed`);
    if (verdict.inbound.recorded_twice > 0)
      failures.push(`${verdict.inbound.recorded_twice} customer messages recorded twice`);
    if (o.phantom > 0) failures.push(`${o.phantom} rows marked sent but never delivered`);
    if (o.reordered > 0) failures.push(`${o.reordered} deliveries out of order`);
    // Copies after a timeout or a cut connection are at-least-once by nature (no idempotency key
    // on these platforms): counted apart; any other copy is a bug.
    const resentAfterTimeout = Math.min(faults.resent_after_timeout, o.duplicated + o.unexplained);
    const duplicated = o.duplicated + o.unexplained + o.resent_after_kill - resentAfterTimeout;
    if (duplicated > 0) failures.push(`${duplicated} duplicated or unexplained deliveries`);
    const lostReplies = verdict.replies.lost_replies - repliesFailed;
    if (lostReplies > 0)
      failures.push(`${lostReplies} acknowledged agent replies neither delivered nor failed`);
    if (faults.early_retries > 0)
      failures.push(`${faults.early_retries} retries before Retry-After`);
    if (faults.rows_over_attempt_budget > 0)
      failures.push(`${faults.rows_over_attempt_budget} rows sent more than maxAttempts times`);
    if (faults.failed_surfaced < faults.failed_rows)
      failures.push(`${faults.failed_rows - faults.failed_surfaced} failed rows not surfaced`);
    if (!drained) failures.push('the outbox did not drain in time');
    if (!settled) failures.push('some steady webhooks were never acknowledged');
    if (burst && burstSummary.acked < burstSummary.messages)
      failures.push(
        `${burstSummary.messages - burstSummary.acked} burst webhooks never acknowledged`,
      );
    if (burstSummary.timeouts > 0)
      failures.push(`${burstSummary.timeouts} burst webhooks timed out instead of being shed`);
    if (options.phases.some((p) => p.name === 'outage_long') && faults.failed_rows === 0)
      failures.push('the long outage made no row fail: the retry budget was not exceeded');
    const passed = failures.length === 0;
    const line =
      `fault-bench: sent=${verdict.inbound.created} delivered=${o.rows_sent} ` +
      `failed_surfaced=${faults.failed_surfaced}/${faults.failed_rows} lost=${lost} ` +
      `unprocessed=${verdict.inbound.unprocessed} lost_replies=${lostReplies} ` +
      `duplicated=${duplicated} resent_after_timeout=${resentAfterTimeout} ` +
      `reordered=${o.reordered} early_retries=${faults.early_retries} ` +
      `max_requests_per_row=${faults.max_requests_per_row} shed=${burstSummary.shed} ` +
      `shed_p99_ms=${burstSummary.shed_p99_ms ?? '-'} burst_timeouts=${burstSummary.timeouts} ` +
      `inbound_p99_ms=${steady.p99_ms ?? '-'} verdict=${passed ? 'PASS' : 'FAIL'}`;
    const { log: _log, phases: _phases, ...rest } = options;
    return {
      options: rest,
      phases,
      verdict,
      faults,
      injected: {
        telegram: { ...plans.telegram.injected },
        whatsapp: { ...plans.whatsapp.injected },
      },
      burst: burstSummary,
      steady,
      replies: { failed: repliesFailed, lost: lostReplies },
      drained,
      drain_ms: drainMs,
      settled,
      passed,
      failures,
      line,
      run_seconds: Math.round((Date.now() - t0) / 100) / 10,
    };
  } finally {
    traffic?.stopGenerating();
    traffic?.abort();
    await target?.stop().catch(() => undefined);
    await platforms.close();
  }
}
