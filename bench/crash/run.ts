/**
 * One crash run: fake platforms, Parley as a child process on a fresh DATA_DIR, steady traffic,
 * SIGKILLs at random moments (each followed by a restart), a drain, a graceful stop, and the
 * checks of ./verify.ts on the embedded database (started again by the bench itself, with
 * Parley's own code, once Parley is down). Used by bench/crash-bench.ts and by the reduced CI test.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { startEmbeddedPostgres } from '../../src/storage/embedded-postgres.js';
import { freePort } from '../support/free-port.js';
import { drainOutbox } from '../support/drain-outbox.js';
import { mulberry32 } from '../support/random.js';
import { embeddedDatabaseUrl, type KillMode, parleyProcess } from './parley-process.js';
import { startFakePlatforms } from './platforms.js';
import { configureEscalations, liftFloodLimit } from './setup.js';
import { startTraffic } from './traffic.js';
import { type Verdict, verify } from './verify.js';

export interface CrashRunOptions {
  seconds: number;
  kills: number;
  /** Customer messages per second. */
  rate: number;
  customers: number;
  replyEveryMs: number;
  urgentEveryMs: number;
  seed: number;
  /** Traffic after the last restart at least (default: a slice of the run, and 3 s). */
  tailMs?: number;
  /** Longest wait for the outbox to drain after the last restart. */
  drainTimeoutMs: number;
  /** Keep DATA_DIR and Parley's log (for a post-mortem): always, or only when the run fails. */
  keep?: 'always' | 'on-failure' | 'never';
  log?: (line: string) => void;
}

export interface KillRecord {
  at_s: number;
  mode: KillMode;
  down_ms: number;
  restart_ms: number;
}

export interface CrashRunResult {
  options: Omit<CrashRunOptions, 'log'>;
  kills: KillRecord[];
  verdict: Verdict;
  /** Non-2xx answers the load generator got, per kind of request. */
  request_errors: Record<string, Record<string, number>>;
  drained: boolean;
  drain_ms: number;
  settled: boolean;
  passed: boolean;
  failures: string[];
  line: string;
  data_dir: string | null;
  run_seconds: number;
}

const ADMIN_KEY = 'crash-bench-admin-key-0123456789';
const TELEGRAM_TOKEN = '123456:CRASH-telegram-token';
const TELEGRAM_SECRET = 'crash-secret_0123456789';
const WHATSAPP_TOKEN = 'crash-whatsapp-token';
const WHATSAPP_PHONE_ID = '100000000000077';
const WHATSAPP_APP_SECRET = 'crash-app-secret';
/** The Telegram agents' chat (manager escalations) and the team lead's Telegram id. */
const AGENT_CHAT_ID = '-1009000000001';
const LEAD_TELEGRAM_ID = '7390000001';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface CrashRun {
  result: Promise<CrashRunResult>;
  /**
   * Stops the run wherever it is: the load, Parley and its PostgreSQL, the fakes; removes
   * DATA_DIR. For a test's afterAll, so a failed or timed-out run leaves nothing behind.
   */
  cancel(): Promise<void>;
}

export function runCrashBench(options: CrashRunOptions): Promise<CrashRunResult> {
  return startCrashRun(options).result;
}

export function startCrashRun(options: CrashRunOptions): CrashRun {
  const abort = new AbortController();
  const cleanups: Array<() => Promise<void>> = [];
  const removeDir: Array<() => Promise<void>> = [];
  const result = crashRun(options, abort.signal, cleanups, removeDir);
  return {
    result,
    async cancel() {
      abort.abort();
      for (const step of cleanups) await step().catch(() => undefined);
      await Promise.race([result.catch(() => undefined), sleep(20_000)]);
      for (const step of removeDir) await step().catch(() => undefined);
    },
  };
}

async function crashRun(
  options: CrashRunOptions,
  signal: AbortSignal,
  cleanups: Array<() => Promise<void>>,
  removeDir: Array<() => Promise<void>>,
): Promise<CrashRunResult> {
  const log = options.log ?? (() => undefined);
  const wait = (ms: number) => delay(ms, undefined, { signal });
  const t0 = Date.now();
  const random = mulberry32(options.seed);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'parley-crash-'));
  const port = await freePort();
  const platforms = await startFakePlatforms({
    telegram: TELEGRAM_TOKEN,
    whatsapp: WHATSAPP_TOKEN,
  });
  const parley = parleyProcess({
    dataDir,
    port,
    logFile: path.join(dataDir, 'parley.log'),
    env: {
      ADMIN_API_KEY: ADMIN_KEY,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
      TELEGRAM_API_ROOT: platforms.telegram.apiRoot,
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_AGENT_CHAT_ID: AGENT_CHAT_ID,
      WHATSAPP_MODE: 'cloud',
      WHATSAPP_TOKEN,
      WHATSAPP_PHONE_NUMBER_ID: WHATSAPP_PHONE_ID,
      WHATSAPP_APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: 'crash-verify',
      WHATSAPP_GRAPH_URL: platforms.graph.baseUrl,
      RATE_LIMIT_PER_SECOND: '100000',
      RATE_LIMIT_BURST: '100000',
      SHUTDOWN_TIMEOUT_MS: '10000',
    },
  });
  let traffic: ReturnType<typeof startTraffic> | undefined;
  let keepDir = options.keep === 'always';
  const keepOnFailure = (options.keep ?? 'on-failure') !== 'never';
  cleanups.push(
    async () => traffic?.abort(),
    () => parley.killAll(),
    () => platforms.close(),
  );
  removeDir.push(() => rm(dataDir, { recursive: true, force: true }));
  try {
    const firstStart = await parley.start(120_000);
    log(`parley ready in ${firstStart} ms (port ${port}, data ${dataDir})`);
    await configureEscalations(parley.url, ADMIN_KEY, LEAD_TELEGRAM_ID);
    await liftFloodLimit(parley.url, ADMIN_KEY);

    traffic = startTraffic({
      url: parley.url,
      adminKey: ADMIN_KEY,
      secrets: {
        telegramSecret: TELEGRAM_SECRET,
        whatsappAppSecret: WHATSAPP_APP_SECRET,
        whatsappPhoneNumberId: WHATSAPP_PHONE_ID,
      },
      customers: options.customers,
      rate: options.rate,
      replyEveryMs: options.replyEveryMs,
      urgentEveryMs: options.urgentEveryMs,
      random,
    });
    const loadStart = Date.now();
    const kills: KillRecord[] = [];
    // One kill at a random moment in each of `kills` equal slices of the run (not in the first
    // 30 % of a slice, so Parley has been up a while), alternating app and host kills.
    const slice = (options.seconds * 1000) / (options.kills + 1);
    for (let i = 0; i < options.kills; i++) {
      const at = loadStart + slice * (i + 0.3 + 0.7 * random());
      await wait(Math.max(0, at - Date.now()));
      const mode: KillMode = i % 2 === 0 ? 'app' : 'host';
      const killedAt = Date.now();
      await parley.kill(mode);
      platforms.markKill();
      const down = 300 + Math.floor(random() * 1200);
      await wait(down);
      const restart = await parley.start(120_000);
      const record = {
        at_s: Math.round((killedAt - loadStart) / 100) / 10,
        mode,
        down_ms: Date.now() - killedAt - restart,
        restart_ms: restart,
      };
      kills.push(record);
      log(
        `kill ${i + 1}/${options.kills} (${mode}) at ${record.at_s}s, up again after ${record.down_ms + restart} ms`,
      );
    }
    // Traffic goes on for a while after the last restart too, so the run ends on a healthy
    // stretch.
    const tail = options.tailMs ?? Math.max(3_000, slice);
    await wait(Math.max(0, loadStart + options.seconds * 1000 - Date.now(), tail));
    traffic.stopGenerating();
    const settled = await traffic.settle(30_000);
    traffic.abort();
    log(`load stopped: ${traffic.messages.length} messages, settled=${settled}; draining`);

    const drainStart = Date.now();
    const pool = new pg.Pool({ connectionString: await embeddedDatabaseUrl(dataDir), max: 1 });
    pool.on('error', () => undefined);
    let drained = false;
    try {
      drained = await drainOutbox(pool, {
        timeoutMs: options.drainTimeoutMs,
        startedAt: drainStart,
        signal,
      });
    } finally {
      await pool.end();
    }
    const drainMs = Date.now() - drainStart;
    log(`drained=${drained} in ${drainMs} ms; stopping Parley`);
    await parley.stop();

    // Parley stopped its PostgreSQL; start it again here (the same code adopts or starts it).
    signal.throwIfAborted();
    const pgServer = await startEmbeddedPostgres({ dataDir, logger: pino({ level: 'silent' }) });
    cleanups.push(() => pgServer.stop());
    let verdict: Verdict;
    try {
      const client = new pg.Client({ connectionString: pgServer.url });
      await client.connect();
      try {
        verdict = await verify(client, {
          deliveries: platforms.deliveries(),
          messages: traffic.messages,
          replies: traffic.replies,
          urgent: traffic.urgent,
          agentChatId: AGENT_CHAT_ID,
        });
      } finally {
        await client.end();
      }
    } finally {
      await pgServer.stop();
    }

    const o = verdict.outbound;
    const failures: string[] = [];
    if (verdict.inbound.lost > 0)
      failures.push(`${verdict.inbound.lost} acknowledged webhooks lost`);
    if (verdict.inbound.unprocessed > 0)
      failures.push(`${verdict.inbound.unprocessed} acknowledged webhooks never processed`);
    if (verdict.inbound.recorded_twice > 0)
      failures.push(`${verdict.inbound.recorded_twice} customer messages recorded twice`);
    if (o.phantom > 0) failures.push(`${o.phantom} outbox rows marked sent but never delivered`);
    if (o.reordered > 0) failures.push(`${o.reordered} deliveries out of order`);
    if (o.duplicated > 0) failures.push(`${o.duplicated} duplicates without a kill between`);
    if (o.unexplained > 0) failures.push(`${o.unexplained} deliveries matching no outbox row`);
    if (verdict.replies.lost_replies > 0)
      failures.push(`${verdict.replies.lost_replies} acknowledged agent replies never delivered`);
    if (verdict.escalations.pings_missing > 0)
      failures.push(`${verdict.escalations.pings_missing} escalation pings never delivered`);
    if (verdict.escalations.pings_duplicated > 0)
      failures.push(
        `${verdict.escalations.pings_duplicated} escalation pings twice without a kill`,
      );
    if (!drained) failures.push('the outbox did not drain in time');
    if (!settled) failures.push('some webhooks were never acknowledged after the last restart');
    const passed = failures.length === 0;
    const duplicatedTotal = o.duplicated + o.unexplained + verdict.escalations.pings_duplicated;
    const resent = o.resent_after_kill + verdict.escalations.pings_resent_after_kill;
    const line =
      `crash-bench: kills=${kills.length} sent=${verdict.inbound.created} acked=${verdict.inbound.acked} ` +
      `lost=${verdict.inbound.lost + verdict.inbound.unprocessed} ` +
      `lost_replies=${verdict.replies.lost_replies} duplicated=${duplicatedTotal} ` +
      `resent_after_kill=${resent} reordered=${o.reordered} ` +
      `escalations=${verdict.escalations.rungs_fired} escalations_duplicated=${verdict.escalations.pings_duplicated} ` +
      `delivery=${resent > 0 ? 'at-least-once' : 'exactly-once'} verdict=${passed ? 'PASS' : 'FAIL'}`;
    if (!passed && keepOnFailure) keepDir = true;
    return {
      options: { ...options, log: undefined } as Omit<CrashRunOptions, 'log'>,
      kills,
      verdict,
      request_errors: traffic.errors,
      drained,
      drain_ms: drainMs,
      settled,
      passed,
      failures,
      line,
      data_dir: keepDir ? dataDir : null,
      run_seconds: Math.round((Date.now() - t0) / 100) / 10,
    };
  } catch (err) {
    if (keepOnFailure) keepDir = true;
    throw Object.assign(err as Error, { dataDir: keepDir ? dataDir : null });
  } finally {
    traffic?.stopGenerating();
    traffic?.abort();
    await parley.killAll();
    await platforms.close();
    if (!keepDir) await rm(dataDir, { recursive: true, force: true });
  }
}
