/**
 * One multi-process run: N Parley child processes (started like production, `DATABASE_URL` set,
 * each with its own port and its scheduler on) on one fresh database, sharing fake Telegram,
 * WhatsApp and Slack servers. The load generator is the load balancer: customers' webhooks,
 * agents' API calls and Slack events go round-robin over the processes. After the load: a drain,
 * a graceful stop, and the checks (crash/verify.ts and ./verify-shared-work.ts) on the database.
 * Used by bench/multi-process-bench.ts and by the reduced CI test.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import { type FakeSlack, startFakeSlack } from '../../test/fakes/slack-api.js';
import { type ParleyProcess, parleyProcess } from '../crash/parley-process.js';
import { type FakePlatforms, startFakePlatforms } from '../crash/platforms.js';
import { adminApi, configureEscalations, liftFloodLimit } from '../crash/setup.js';
import { startTraffic, type Traffic } from '../crash/traffic.js';
import { type Verdict, verify } from '../crash/verify.js';
import { freePort } from '../support/free-port.js';
import { drainOutbox } from '../support/drain-outbox.js';
import { mulberry32 } from '../support/random.js';
import { type CpuShares, cpuSampler } from './cpu-shares.js';
import { botAnswers, multiScript, ROUTED_CATEGORIES } from './script.js';
import { type SlackAgents, startSlackAgents } from './slack-agents.js';
import { measureThroughput, type Throughput } from './throughput.js';
import { type SharedWorkVerdict, verifySharedWork } from './verify-shared-work.js';
import { tally } from './tally.js';

export interface MultiRunOptions {
  processes: number;
  /** A fresh database on the shared server; every process uses it. */
  databaseUrl: string;
  /** The server's postmaster, when it runs on this machine (for the CPU shares). */
  postmasterPid?: number;
  seconds: number;
  /** Left out of the figures at the start of the load. */
  warmupSeconds: number;
  /** Customer messages per second, over all customers. */
  rate: number;
  customers: number;
  urgentEveryMs: number;
  slackReplyEveryMs: number;
  scheduledTickets: number;
  drainTimeoutMs: number;
  seed: number;
  /** Keep the processes' logs (DATA_DIRs): always, or only when the run fails. */
  keep?: 'always' | 'on-failure' | 'never';
  log?: (line: string) => void;
}

export interface MultiRunResult {
  processes: number;
  options: Omit<MultiRunOptions, 'log' | 'databaseUrl'>;
  startup_ms: number;
  throughput: Throughput;
  cpu: CpuShares | null;
  verdict: Verdict;
  shared: SharedWorkVerdict;
  counts: ReturnType<typeof tally>;
  slack_replies: { attempted: number; acked: number; errors: Record<string, number> };
  request_errors: Record<string, Record<string, number>>;
  settled: boolean;
  drained: boolean;
  drain_ms: number;
  passed: boolean;
  failures: string[];
  line: string;
  log_dirs: string[] | null;
}

const ADMIN_KEY = 'multi-bench-admin-key-0123456789';
const TELEGRAM_TOKEN = '123456:MULTI-telegram-token';
const TELEGRAM_SECRET = 'multi-secret_0123456789';
const WHATSAPP_TOKEN = 'multi-whatsapp-token';
const WHATSAPP_PHONE_ID = '100000000000078';
const WHATSAPP_APP_SECRET = 'multi-app-secret';
const SLACK_TOKEN = 'xoxb-multi-bench';
const SLACK_SIGNING_SECRET = 'multi-slack-signing-secret';
const TRIAGE_CHANNEL = 'C0MULTITRI';
const MANAGER_CHANNEL = 'C0MULTIMGR';
const AGENT_SLACK_ID = 'U0MULTIAGT';
const AGENT_CHAT_ID = '-1009000000002';
const LEAD_TELEGRAM_ID = '7390000002';

/**
 * A fixed-offset zone where it is about noon now, so the daily report (08:30 local by default) is
 * due the moment the processes start, and all of them race for it.
 */
export function zoneAtNoon(now = new Date()): string {
  const offset = 12 - now.getUTCHours();
  if (offset === 0) return 'Etc/GMT';
  return offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

export interface MultiRun {
  result: Promise<MultiRunResult>;
  /** Stops whatever still runs (load, processes, fakes) and removes the DATA_DIRs. */
  cancel(): Promise<void>;
}

export function startMultiRun(options: MultiRunOptions): MultiRun {
  const abort = new AbortController();
  const cleanups: Array<() => Promise<void>> = [];
  const result = multiRun(options, abort.signal, cleanups);
  return {
    result,
    async cancel() {
      abort.abort();
      for (const step of cleanups.reverse()) await step().catch(() => undefined);
      await result.catch(() => undefined);
    },
  };
}

async function multiRun(
  options: MultiRunOptions,
  signal: AbortSignal,
  cleanups: Array<() => Promise<void>>,
): Promise<MultiRunResult> {
  const log = options.log ?? (() => undefined);
  const wait = (ms: number) => delay(Math.max(0, ms), undefined, { signal });
  const random = mulberry32(options.seed);
  const n = options.processes;
  let platforms: FakePlatforms | undefined;
  let slack: FakeSlack | undefined;
  let traffic: Traffic | undefined;
  let agents: SlackAgents | undefined;
  const dataDirs: string[] = [];
  const parleys: ParleyProcess[] = [];
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 2 });
  pool.on('error', () => undefined);
  let keep = options.keep === 'always';
  const stopAll = async () => {
    traffic?.stopGenerating();
    traffic?.abort();
    await agents?.stop();
    await Promise.all(parleys.map((p) => p.killAll()));
    await Promise.all([platforms?.close(), slack?.close()]);
    await pool.end().catch(() => undefined);
  };
  cleanups.push(stopAll);

  try {
    platforms = await startFakePlatforms({ telegram: TELEGRAM_TOKEN, whatsapp: WHATSAPP_TOKEN });
    slack = await startFakeSlack({ token: SLACK_TOKEN });
    const zone = zoneAtNoon();
    for (let i = 0; i < n; i++) {
      const dataDir = await mkdtemp(path.join(tmpdir(), `parley-multi-${i + 1}-`));
      dataDirs.push(dataDir);
      const port = await freePort();
      parleys.push(
        parleyProcess({
          dataDir,
          port,
          logFile: path.join(dataDir, 'parley.log'),
          env: {
            DATABASE_URL: options.databaseUrl,
            ADMIN_API_KEY: ADMIN_KEY,
            PUBLIC_URL: `http://127.0.0.1:${port}`,
            DEFAULT_TIMEZONE: zone,
            TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
            TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
            TELEGRAM_API_ROOT: platforms.telegram.apiRoot,
            TELEGRAM_MODE: 'webhook',
            TELEGRAM_AGENT_CHAT_ID: AGENT_CHAT_ID,
            WHATSAPP_MODE: 'cloud',
            WHATSAPP_TOKEN,
            WHATSAPP_PHONE_NUMBER_ID: WHATSAPP_PHONE_ID,
            WHATSAPP_APP_SECRET,
            WHATSAPP_VERIFY_TOKEN: 'multi-verify',
            WHATSAPP_GRAPH_URL: platforms.graph.baseUrl,
            SLACK_BOT_TOKEN: SLACK_TOKEN,
            SLACK_SIGNING_SECRET,
            SLACK_API_URL: slack.apiUrl,
            SLACK_TRIAGE_CHANNEL: TRIAGE_CHANNEL,
            SLACK_MANAGER_CHANNEL: MANAGER_CHANNEL,
            SLACK_THREAD_REPLIES: 'customer',
            RATE_LIMIT_PER_SECOND: '100000',
            RATE_LIMIT_BURST: '100000',
            SHUTDOWN_TIMEOUT_MS: '10000',
          },
        }),
      );
    }
    // All at once, on a fresh database: they race for the migrations, the default tenant and
    // agenda's job rows, as containers of one deployment would.
    const startups = await Promise.all(parleys.map((p) => p.start(180_000)));
    const startupMs = Math.max(...startups);
    const urls = parleys.map((p) => p.url);
    log(`${n} process(es) ready in ${startupMs} ms (${urls.join(' ')}; timezone ${zone})`);

    const api = (method: string, route: string, body?: unknown) =>
      adminApi(urls[0]!, ADMIN_KEY, method, route, body);
    await configureEscalations(urls[0]!, ADMIN_KEY, LEAD_TELEGRAM_ID);
    await liftFloodLimit(urls[0]!, ADMIN_KEY);
    await api('POST', '/agents', {
      name: 'Slack Agent',
      role: 'agent',
      slack_user_id: AGENT_SLACK_ID,
    });
    // One group per routed category, each with its own Slack channel (Slack takes about one
    // message per second per channel).
    const routing: Record<string, string> = {};
    for (const [i, category] of ROUTED_CATEGORIES.entries()) {
      const name = `multi-${i + 1}`;
      await api('POST', '/groups', { name, slack_channel_id: `C0MULTI0${i + 1}` });
      routing[category] = name;
    }
    await api('PATCH', '/settings', { routing });

    // Scheduled tickets fall due during the load: the sweep of whichever process holds the job.
    const loadStart = Date.now();
    const loadEnd = loadStart + options.seconds * 1000;
    const scheduledMarkers: string[] = [];
    for (let i = 0; i < options.scheduledTickets; i++) {
      const marker = `SCH-${i + 1}`;
      scheduledMarkers.push(marker);
      const runAt =
        loadStart + 2_000 + ((options.seconds - 4) * 1000 * i) / options.scheduledTickets;
      await api('POST', '/scheduled-tickets', {
        external_key: `multi-${marker}`,
        run_at: new Date(runAt).toISOString(),
        ticket: {
          customer: { name: `Scheduled ${i + 1}`, email: `scheduled-${i + 1}@stores.example` },
          subject: `Service check-in ${marker}`,
          category: 'warranty',
        },
      });
    }

    traffic = startTraffic({
      url: urls,
      adminKey: ADMIN_KEY,
      secrets: {
        telegramSecret: TELEGRAM_SECRET,
        whatsappAppSecret: WHATSAPP_APP_SECRET,
        whatsappPhoneNumberId: WHATSAPP_PHONE_ID,
      },
      customers: options.customers,
      rate: options.rate,
      replyEveryMs: 0,
      urgentEveryMs: options.urgentEveryMs,
      random,
      script: multiScript,
    });
    agents = startSlackAgents({
      urls,
      db: pool,
      signingSecret: SLACK_SIGNING_SECRET,
      agentSlackId: AGENT_SLACK_ID,
      slack,
      everyMs: options.slackReplyEveryMs,
      random,
    });
    const cpu = cpuSampler(
      parleys.map((p) => p.pid!),
      options.postmasterPid,
    );
    const windowStart = loadStart + options.warmupSeconds * 1000;
    await wait(windowStart - Date.now());
    const cpuFrom = await cpu.sample();
    await wait(loadEnd - Date.now());
    const cpuTo = await cpu.sample();
    traffic.stopGenerating();
    await agents.stop();
    const settled = await traffic.settle(30_000);
    traffic.abort();
    log(`load stopped: ${traffic.messages.length} messages, settled=${settled}; draining`);

    const drainStart = Date.now();
    const cutoff = new Date(); // the load's end: what verifySharedWork counts up to
    // Every scheduled ticket due by the cutoff opened, too (its sweep runs every 5 s).
    const drained = await drainOutbox(pool, {
      timeoutMs: options.drainTimeoutMs,
      startedAt: drainStart,
      also: async (by) =>
        (
          await pool.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM scheduled_tickets
              WHERE status = 'scheduled' AND run_at <= $1`,
            [by],
          )
        ).rows[0]!.n,
    });
    const drainMs = Date.now() - drainStart;
    log(`drained=${drained} in ${drainMs} ms; stopping`);
    await Promise.all(parleys.map((p) => p.stop()));

    const deliveries = platforms.deliveries();
    const throughput = await measureThroughput(pool, {
      messages: traffic.messages,
      deliveries,
      windowStart,
      windowEnd: loadEnd,
      answers: (m) => botAnswers(m.k),
    });
    const verdict = await verify(pool, {
      deliveries,
      messages: traffic.messages,
      replies: agents.replies,
      urgent: traffic.urgent,
      agentChatId: AGENT_CHAT_ID,
    });
    const shared = await verifySharedWork(pool, {
      messages: traffic.messages,
      deliveries,
      slack,
      agentChatId: AGENT_CHAT_ID,
      managerSlackChannel: MANAGER_CHANNEL,
      scheduledMarkers,
      cutoff,
    });
    const counts = tally(verdict, shared, { settled, drained });
    const cpuShares = cpu.shares(cpuFrom, cpuTo);
    const t = throughput;
    const line =
      `multi-bench: processes=${n} offered=${t.offered_per_s}/s accepted=${t.accepted_per_s}/s ` +
      `processed=${t.processed_per_s}/s e2e_p50=${t.end_to_end_ms.p50}ms e2e_p99=${t.end_to_end_ms.p99}ms ` +
      `cpu_parley=${cpuShares?.parley_pct ?? '?'}% cpu_postgres=${cpuShares?.postgres_pct ?? '?'}% ` +
      `lost=${counts.lost} duplicated=${counts.duplicated} reordered=${counts.reordered} ` +
      `escalations=${verdict.escalations.rungs_fired} escalations_duplicated=${counts.escalations_duplicated} ` +
      `jobs_once=${counts.jobs_once ? 'yes' : 'no'} verdict=${counts.passed ? 'PASS' : 'FAIL'}`;
    if (!counts.passed && options.keep !== 'never') keep = true;
    return {
      processes: n,
      options: { ...options, log: undefined, databaseUrl: undefined } as MultiRunResult['options'],
      startup_ms: startupMs,
      throughput,
      cpu: cpuShares,
      verdict,
      shared,
      counts,
      slack_replies: {
        attempted: agents.replies.length,
        acked: agents.replies.filter((r) => r.acked).length,
        errors: agents.errors,
      },
      request_errors: traffic.errors,
      settled,
      drained,
      drain_ms: drainMs,
      passed: counts.passed,
      failures: counts.failures,
      line,
      log_dirs: keep ? dataDirs : null,
    };
  } catch (err) {
    if (options.keep !== 'never') keep = true;
    throw Object.assign(err as Error, { logDirs: keep ? dataDirs : null });
  } finally {
    await stopAll();
    if (!keep) await Promise.all(dataDirs.map((d) => rm(d, { recursive: true, force: true })));
  }
}
