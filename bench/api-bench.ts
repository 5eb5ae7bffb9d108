/**
 * API benchmark: ticket creation through the REST API and the list/count queries of a queue view,
 * with 1,000,000 tickets in the database.
 *
 *   npx tsx bench/api-bench.ts                      # full run (~5 min on 2 cores)
 *   npx tsx bench/api-bench.ts --tickets 20000      # smoke run
 *   npx tsx bench/api-bench.ts --try-index "CREATE INDEX …"   # re-measure reads with an extra index
 *
 * Starts its own embedded PostgreSQL in a temp dir (or a fresh `parley_bench_<random>` database
 * on the server of DATABASE_URL), seeds it with set-based SQL, starts a whole Parley on
 * 127.0.0.1:0 and drives it over HTTP from a worker thread. Writes the result JSON and the
 * EXPLAIN plans; see bench/README.md.
 */
import { mulberry32 } from './support/random.js';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { pino } from 'pino';
import { hashApiKey } from '../src/app/api-keys.js';
import { loadConfig } from '../src/config.js';
import type { Actor } from '../src/domain/actor.js';
import { type RunningParley, startParley } from '../src/parley.js';
import { runMigrations } from '../src/storage/database.js';
import { openBenchDatabase, type BenchDatabase } from './support/bench-database.js';
import {
  type ExplainResult,
  type ExplainTarget,
  explainApiCalls,
  formatPlans,
} from './support/explain.js';
import type { BenchRequest, PhaseResult, PhaseSpec } from './support/load-protocol.js';
import { CpuMonitor, type CpuUsage } from './support/cpu-monitor.js';
import { type LoadRunner, startLoadRunner } from './support/load.js';
import { SEARCH_WORDS, seed, type SeedReport } from './support/seed.js';
import { round, throughput, type ThroughputSummary } from './support/stats.js';

const LIST_QUEUE_TARGET_P95_MS = 10;
const COUNTS_TARGET_MS = 20;

// ---------------------------------------------------------------------------------------------
// Arguments

const { values: args } = parseArgs({
  options: {
    tickets: { type: 'string', default: '1000000' },
    out: { type: 'string', default: 'bench/results/api-bench.json' },
    plans: { type: 'string' },
    'try-index': { type: 'string', multiple: true, default: [] },
    'quiet-wait': { type: 'string', default: '10' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(
    'usage: npx tsx bench/api-bench.ts [--tickets N] [--out file.json] [--plans file.txt]\n' +
      '         [--quiet-wait SECONDS] [--try-index "CREATE INDEX …"]…',
  );
  process.exit(0);
}
const TICKETS = Number(args.tickets);
if (!Number.isSafeInteger(TICKETS) || TICKETS < 1000)
  throw new Error('--tickets must be a whole number ≥ 1000');
const OUT = path.resolve(args.out);
const PLANS = path.resolve(args.plans ?? OUT.replace(/\.json$/, '') + '-plans.txt');
const TRY_INDEX = args['try-index'];
/** Before each phase wait up to this long for other processes to leave the CPU (0 = never wait). */
const QUIET_WAIT_MS = Number(args['quiet-wait']) * 1000;
/** …and at most this long over the whole run, so the run time stays bounded. */
let quietBudgetMs = Math.max(QUIET_WAIT_MS * 6, 0);

/** Smoke runs (fewer than 100k tickets) send a quarter of the requests. */
const SCALE = TICKETS < 100_000 ? 0.25 : 1;
const n = (count: number) => Math.max(20, Math.round(count * SCALE));

const ADMIN_KEY = `bench-admin-${randomBytes(12).toString('hex')}`;
const AGENT_KEY = `pk_bench_agent_${randomBytes(12).toString('hex')}`;
const AGENTS = 50;

const log = (msg: string) =>
  console.log(`[${((performance.now() - runStarted) / 1000).toFixed(1).padStart(6)}s] ${msg}`);
const runStarted = performance.now();

// ---------------------------------------------------------------------------------------------
// Deterministic choices for request bodies

function createBodies(customers: number, n: number): string[] {
  const rand = mulberry32(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  // quality_issue needs a photo attachment; the others do not.
  const categories = [
    'order_issue',
    'return_refund',
    'general_inquiry',
    'technical',
    'billing',
    'warranty',
  ];
  const priorities = ['low', 'medium', 'medium', 'medium', 'high', 'urgent'];
  const subjects = [
    'Parcel arrived damaged',
    'Refund not received',
    'Wrong item delivered',
    'Charged twice',
    'App crashes on start',
  ];
  const bodies: string[] = [];
  for (let k = 0; k < n; k++) {
    // 80 % of tickets come from known customers (found by email), 20 % from new ones.
    const known = rand() < 0.8;
    const c = 1 + Math.floor(rand() * customers);
    const customer = known
      ? { name: `Customer ${c}`, email: `customer${c}@default.example` }
      : { name: 'Bench Customer {{i}}', email: 'bench-{{i}}@new.example', phone: '+1666000{{i}}' };
    bodies.push(
      JSON.stringify({
        customer,
        subject: `${pick(subjects)} - order ${100000 + k}`,
        description: `Hello, I have a problem with order ${100000 + k}. ${pick(subjects)}. Please help.`,
        category: pick(categories),
        priority: pick(priorities),
        links: { order_ref: `ORD-B${100000 + k}` },
      }),
    );
  }
  return bodies;
}

// ---------------------------------------------------------------------------------------------
// Phases

interface Phase {
  key: string;
  title: string;
  /** Instead of `…/api/v1`. */
  baseUrl?: string;
  spec: Omit<PhaseSpec, 'name' | 'baseUrl'>;
}

interface PhaseOutcome extends ThroughputSummary {
  title: string;
  /** Items in the first measured answer of a list (sanity check). */
  sample_rows?: number;
  sample_has_next_cursor?: boolean;
  first_error?: string;
  /** CPU use during the measured part (of all cores); `other_pct` is not us: it skews results. */
  cpu?: CpuUsage | null;
  waited_for_quiet_ms?: number;
}

function get(pathAndQuery: string, key: string): BenchRequest {
  return {
    method: 'GET',
    path: pathAndQuery,
    headers: { authorization: `Bearer ${key}`, accept: 'application/json' },
  };
}

async function runPhase(
  runner: LoadRunner,
  monitor: CpuMonitor,
  baseUrl: string,
  phase: Phase,
): Promise<PhaseOutcome> {
  let waited = 0;
  if (QUIET_WAIT_MS > 0 && quietBudgetMs > 0) {
    const q = await monitor.waitForQuiet(15, 1000, Math.min(QUIET_WAIT_MS, quietBudgetMs));
    waited = q.waitedMs;
    quietBudgetMs -= q.waitedMs;
    if (!q.quiet) log(`${phase.key}: other processes keep the CPU busy; measuring anyway`);
  }
  // The warm-up is part of the worker's run; measure CPU over the whole call (close enough).
  const before = await monitor.sample();
  const res: PhaseResult = await runner.run({
    ...phase.spec,
    name: phase.key,
    baseUrl: phase.baseUrl ?? baseUrl,
  });
  const cpu = monitor.usage(before, await monitor.sample());
  const out: PhaseOutcome = {
    title: phase.title,
    ...throughput(res.latenciesMs, res.elapsedMs, phase.spec.concurrency, res.errors),
    cpu,
    waited_for_quiet_ms: waited,
  };
  const sample = res.sampleBodies[0];
  if (sample && phase.spec.requests[0]?.method === 'GET') {
    try {
      const body = JSON.parse(sample) as { data?: unknown[]; next_cursor?: string | null };
      if (Array.isArray(body.data)) {
        out.sample_rows = body.data.length;
        out.sample_has_next_cursor = Boolean(body.next_cursor);
      }
    } catch {
      // not JSON
    }
  }
  if (res.firstError) out.first_error = res.firstError;
  log(
    `${phase.key.padEnd(26)} c=${String(out.concurrency).padStart(2)} n=${String(out.n).padStart(5)} ` +
      `${String(out.rps).padStart(8)} req/s  p50 ${out.p50} ms  p95 ${out.p95} ms  p99 ${out.p99} ms` +
      (cpu ? `  cpu: bench ${cpu.bench_pct}% other ${cpu.other_pct}%` : '') +
      (out.errors ? `  ERRORS ${out.errors}: ${out.first_error ?? ''}` : ''),
  );
  return out;
}

// ---------------------------------------------------------------------------------------------
// Main

interface Context {
  db?: BenchDatabase;
  pool?: pg.Pool;
  parley?: RunningParley;
  runner?: LoadRunner;
}

async function cleanup(ctx: Context): Promise<void> {
  const { runner, parley, pool, db } = ctx;
  const steps: [string, (() => Promise<unknown>) | undefined][] = [
    ['load worker', runner && (() => runner.close())],
    ['parley', parley && (() => parley.stop())],
    ['pool', pool && (() => pool.end())],
    ['database', db && (() => db.close())],
  ];
  ctx.runner = undefined;
  ctx.parley = undefined;
  ctx.pool = undefined;
  ctx.db = undefined;
  for (const [name, step] of steps) {
    if (!step) continue;
    try {
      await step();
    } catch (err) {
      console.error(`cleanup: stopping ${name} failed:`, err);
    }
  }
}

async function main(ctx: Context): Promise<void> {
  const external = process.env.DATABASE_URL?.trim() || undefined;
  log(
    `api-bench: ${TICKETS.toLocaleString('en')} tickets; database: ${external ? 'fresh database on DATABASE_URL' : 'embedded PostgreSQL in a temp dir'}`,
  );
  ctx.db = await openBenchDatabase(external);
  ctx.pool = new pg.Pool({
    connectionString: ctx.db.url,
    max: 4,
    application_name: 'parley-bench',
  });
  const pool = ctx.pool;
  // An idle connection that the server closes (e.g. while stopping) must not crash the run.
  pool.on('error', (err) => console.error(`bench pool: ${err.message}`));
  await runMigrations(drizzle({ client: pool }));
  const pgVersion = (
    await pool.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)
  ).rows[0]!.v;
  log(`PostgreSQL ${pgVersion} ready, migrations applied`);

  // ---- seed
  const seedNow = new Date();
  const customers = Math.max(200, Math.round(TICKETS / 50));
  const secondTickets = Math.max(1000, Math.round(TICKETS * 0.05));
  log(
    `seeding ${TICKETS.toLocaleString('en')} tickets (+${secondTickets.toLocaleString('en')} for a second tenant) …`,
  );
  const monitor = new CpuMonitor(ctx.db.postmasterPid);
  const seedCpuFrom = await monitor.sample();
  const client = await pool.connect();
  let seeded: SeedReport;
  try {
    seeded = await seed(
      client,
      [
        {
          slug: 'default',
          name: 'Default',
          tickets: TICKETS,
          customers,
          agents: AGENTS,
          messageEvery: 5,
          seed: 0.42,
        },
        {
          slug: 'second',
          name: 'Second brand',
          tickets: secondTickets,
          customers: Math.max(100, Math.round(customers / 20)),
          agents: 10,
          messageEvery: 5,
          seed: -0.17,
        },
      ],
      seedNow,
    );
  } finally {
    client.release();
  }
  const seedCpu = monitor.usage(seedCpuFrom, await monitor.sample());
  const tenant = seeded.tenants[0]!;
  log(
    `seeded in ${seeded.seconds} s ${JSON.stringify(seeded.steps)}${seedCpu ? ` (other processes: ${seedCpu.other_pct}% CPU)` : ''}`,
  );

  const { rows: dist } = await pool.query<{ status: string; n: string }>(
    'SELECT status, count(*) AS n FROM tickets WHERE tenant_id = $1 GROUP BY status ORDER BY status',
    [tenant.id],
  );
  const { rows: openStats } = await pool.query<{
    open: string;
    overdue: string;
    assigned_per_agent: string;
  }>(
    `SELECT count(*) AS open, count(*) FILTER (WHERE sla_due_at < now()) AS overdue,
            round(count(*) FILTER (WHERE status = 'assigned')::numeric / $2, 1) AS assigned_per_agent
       FROM tickets WHERE tenant_id = $1 AND status IN ('new','assigned','in_progress','awaiting_customer')`,
    [tenant.id, AGENTS],
  );
  const { rows: sizes } = await pool.query<{ name: string; mb: string }>(
    `SELECT c.relname AS name, round(pg_relation_size(c.oid) / 1048576.0, 1) AS mb
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND (c.relname IN ('tickets', 'messages') OR c.relname LIKE 'tickets\\_%' OR c.relname LIKE 'messages\\_%')
        AND c.relkind IN ('r', 'i')
      ORDER BY c.relname`,
  );

  // An API key bound to an agent (a non-supervisor), for `assignee_id=me` and `mine` counts.
  const myAgent = tenant.agentIds[5]!;
  await pool.query(
    `INSERT INTO api_keys (tenant_id, name, key_hash, prefix, agent_id) VALUES ($1, 'bench agent', $2, $3, $4)`,
    [tenant.id, hashApiKey(AGENT_KEY), AGENT_KEY.slice(0, 10), myAgent],
  );

  // ---- Parley
  ctx.parley = await startParley(
    loadConfig({
      DATABASE_URL: ctx.db.url,
      DATA_DIR: path.join(ctx.db.scratchDir, 'parley'),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      ADMIN_API_KEY: ADMIN_KEY,
      RATE_LIMIT_PER_SECOND: '1000000',
      RATE_LIMIT_BURST: '1000000',
      NODE_ENV: 'production',
    }),
    { logger: pino({ level: 'silent' }) },
  );
  const baseUrl = `${ctx.parley.url}/api/v1`;
  log(`Parley listening on ${ctx.parley.url}`);
  ctx.runner = startLoadRunner();
  const runner = ctx.runner;

  // ---- 1. creation
  const createRequests: BenchRequest[] = createBodies(customers, 500).map((body) => ({
    method: 'POST',
    path: '/tickets',
    headers: {
      authorization: `Bearer ${ADMIN_KEY}`,
      'content-type': 'application/json',
      accept: 'application/json',
    },
    body,
  }));
  const create = {
    c1: await runPhase(runner, monitor, baseUrl, {
      key: 'create_c1',
      title: 'POST /tickets, 1 at a time',
      spec: {
        concurrency: 1,
        warmup: n(100),
        count: n(1000),
        maxMs: 30_000,
        requests: createRequests,
        expectStatus: 201,
      },
    }),
    c16: await runPhase(runner, monitor, baseUrl, {
      key: 'create_c16',
      title: 'POST /tickets, 16 in flight',
      spec: {
        concurrency: 16,
        warmup: n(200),
        count: n(4000),
        maxMs: 30_000,
        requests: createRequests,
        expectStatus: 201,
      },
    }),
  };
  const year = seedNow.getUTCFullYear();
  const { rows: numbering } = await pool.query<{
    n: string;
    min_seq: number | null;
    max_seq: number | null;
    counter: number | null;
    distinct_numbers: string;
  }>(
    `SELECT count(*) AS n, min(substring(number from 9)::int) AS min_seq, max(substring(number from 9)::int) AS max_seq,
            count(DISTINCT number) AS distinct_numbers,
            (SELECT last_seq FROM ticket_counters WHERE tenant_id = $1 AND year = $3) AS counter
       FROM tickets WHERE tenant_id = $1 AND created_at > $2`,
    [tenant.id, seedNow, year],
  );
  const seededSeq = tenant.counters[String(year)] ?? 0;
  const nb = numbering[0]!;
  const numbersContinue =
    nb.min_seq === seededSeq + 1 &&
    nb.max_seq === nb.counter &&
    Number(nb.distinct_numbers) === Number(nb.n);
  log(
    `API-created tickets: ${nb.n}, numbers TK-${year}-${nb.min_seq} … ${nb.max_seq} (seeded up to ${seededSeq}); continue the sequence: ${numbersContinue}`,
  );
  await pool.query('VACUUM (ANALYZE) tickets');

  // The counts the bench times must be the right ones: the API's against a count of the tickets.
  const countsNow = (await (
    await fetch(`${baseUrl}/tickets/counts`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })
  ).json()) as { by_status: Record<string, number>; unassigned: number };
  const { rows: truth } = await pool.query<{ status: string; n: number; unassigned: number }>(
    `SELECT status, count(*)::int AS n, count(*) FILTER (WHERE assignee_id IS NULL)::int AS unassigned
       FROM tickets WHERE tenant_id = $1 AND status IN ('new','assigned','in_progress','awaiting_customer')
      GROUP BY status`,
    [tenant.id],
  );
  const countsCorrect =
    truth.every((r) => countsNow.by_status[r.status] === r.n) &&
    Object.values(countsNow.by_status).reduce((a, n) => a + n, 0) ===
      truth.reduce((a, r) => a + r.n, 0) &&
    countsNow.unassigned === truth.reduce((a, r) => a + r.unassigned, 0);
  log(`GET /tickets/counts agrees with a count of the tickets: ${countsCorrect}`);

  // ---- 2-4. reads
  const agentIds = tenant.agentIds;
  const queueUrl = (agent: string) =>
    `/tickets?status=assigned&assignee_id=${agent}&sort=sla_due_at&limit=50`;
  const page2: BenchRequest[] = [];
  for (const agent of agentIds) {
    const res = await fetch(`${baseUrl}${queueUrl(agent)}`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    const body = (await res.json()) as { next_cursor: string | null };
    if (body.next_cursor)
      page2.push(
        get(`${queueUrl(agent)}&cursor=${encodeURIComponent(body.next_cursor)}`, ADMIN_KEY),
      );
  }
  const readPhases: Phase[] = [
    {
      key: 'http_floor',
      title: 'GET /healthz (no auth, no database): the HTTP + client floor',
      baseUrl: ctx.parley.url,
      spec: {
        concurrency: 1,
        warmup: n(200),
        count: n(1000),
        maxMs: 20_000,
        requests: [{ method: 'GET', path: '/healthz', headers: {} }],
        expectStatus: 200,
      },
    },
    {
      key: 'get_ticket',
      title: 'GET /tickets/TK-YYYY-000NN (auth + one ticket by number)',
      spec: {
        concurrency: 1,
        warmup: n(100),
        count: n(1000),
        maxMs: 20_000,
        requests: Array.from({ length: 50 }, (_, k) =>
          get(`/tickets/TK-${year}-${String(k + 1).padStart(5, '0')}`, ADMIN_KEY),
        ),
        expectStatus: 200,
      },
    },
    {
      key: 'list_queue',
      title: `GET /tickets?status=assigned&assignee_id=<one of ${agentIds.length} agents>&sort=sla_due_at&limit=50`,
      spec: {
        concurrency: 1,
        warmup: n(200),
        count: n(3000),
        maxMs: 30_000,
        requests: agentIds.map((a) => get(queueUrl(a), ADMIN_KEY)),
        expectStatus: 200,
      },
    },
    {
      key: 'list_queue_c16',
      title: 'the same, 16 in flight',
      spec: {
        concurrency: 16,
        warmup: n(200),
        count: n(4000),
        maxMs: 30_000,
        requests: agentIds.map((a) => get(queueUrl(a), ADMIN_KEY)),
        expectStatus: 200,
      },
    },
    {
      key: 'list_queue_page2',
      title: 'the same, page 2 (cursor from page 1)',
      spec: {
        concurrency: 1,
        warmup: n(100),
        count: n(1000),
        maxMs: 30_000,
        requests: page2.length ? page2 : [get(queueUrl(agentIds[0]!), ADMIN_KEY)],
        expectStatus: 200,
      },
    },
    {
      key: 'counts',
      title: 'GET /tickets/counts (admin key: by_status, unassigned, overdue)',
      spec: {
        concurrency: 1,
        warmup: n(100),
        count: n(1000),
        maxMs: 30_000,
        requests: [get('/tickets/counts', ADMIN_KEY)],
        expectStatus: 200,
      },
    },
    {
      key: 'counts_agent',
      title: 'GET /tickets/counts (agent key: also mine)',
      spec: {
        concurrency: 1,
        warmup: n(100),
        count: n(1000),
        maxMs: 30_000,
        requests: [get('/tickets/counts', AGENT_KEY)],
        expectStatus: 200,
      },
    },
    {
      key: 'counts_c16',
      title: 'GET /tickets/counts, 16 in flight',
      spec: {
        concurrency: 16,
        warmup: n(100),
        count: n(2000),
        maxMs: 30_000,
        requests: [get('/tickets/counts', ADMIN_KEY)],
        expectStatus: 200,
      },
    },
    {
      key: 'list_my_queue',
      title:
        'GET /tickets?assignee_id=me&status=assigned,in_progress,awaiting_customer&sort=sla_due_at (agent key)',
      spec: {
        concurrency: 1,
        warmup: n(50),
        count: n(500),
        maxMs: 30_000,
        requests: [
          get(
            '/tickets?assignee_id=me&status=assigned,in_progress,awaiting_customer&sort=sla_due_at',
            AGENT_KEY,
          ),
        ],
        expectStatus: 200,
      },
    },
    {
      key: 'list_unassigned',
      title: 'GET /tickets?status=new&assignee_id=none&sort=sla_due_at',
      spec: {
        concurrency: 1,
        warmup: n(50),
        count: n(500),
        maxMs: 30_000,
        requests: [get('/tickets?status=new&assignee_id=none&sort=sla_due_at', ADMIN_KEY)],
        expectStatus: 200,
      },
    },
    {
      key: 'list_new_assigned_priority',
      title: 'GET /tickets?status=new,assigned&sort=-priority',
      spec: {
        concurrency: 1,
        warmup: n(50),
        count: n(500),
        maxMs: 30_000,
        requests: [get('/tickets?status=new,assigned&sort=-priority', ADMIN_KEY)],
        expectStatus: 200,
      },
    },
    {
      key: 'list_overdue',
      title: 'GET /tickets?overdue=true (sort -created_at)',
      spec: {
        concurrency: 1,
        warmup: n(50),
        count: n(500),
        maxMs: 30_000,
        requests: [get('/tickets?overdue=true', ADMIN_KEY)],
        expectStatus: 200,
      },
    },
    {
      key: 'list_recent',
      title: 'GET /tickets (no filter, sort -created_at)',
      spec: {
        concurrency: 1,
        warmup: n(50),
        count: n(500),
        maxMs: 30_000,
        requests: [get('/tickets', ADMIN_KEY)],
        expectStatus: 200,
      },
    },
    {
      key: 'list_q_common',
      title: `GET /tickets?q=${SEARCH_WORDS.common} (~2.5 % of tickets)`,
      spec: {
        concurrency: 1,
        warmup: n(5),
        count: n(100),
        maxMs: 20_000,
        requests: [get(`/tickets?q=${SEARCH_WORDS.common}`, ADMIN_KEY)],
        expectStatus: 200,
      },
    },
    {
      key: 'list_q_rare',
      title: `GET /tickets?q=${SEARCH_WORDS.rare} (~0.1 % of tickets)`,
      spec: {
        concurrency: 1,
        warmup: n(2),
        count: n(50),
        maxMs: 20_000,
        requests: [get(`/tickets?q=${SEARCH_WORDS.rare}`, ADMIN_KEY)],
        expectStatus: 200,
      },
    },
    {
      key: 'list_q_messages_only',
      title: `GET /tickets?q=${SEARCH_WORDS.messagesOnly} (only in ~0.05 % of messages)`,
      spec: {
        concurrency: 1,
        warmup: n(1),
        count: n(20),
        maxMs: 20_000,
        requests: [get(`/tickets?q=${SEARCH_WORDS.messagesOnly}`, ADMIN_KEY)],
        expectStatus: 200,
      },
    },
  ];
  const runReads = async (): Promise<Record<string, PhaseOutcome>> => {
    const out: Record<string, PhaseOutcome> = {};
    for (const phase of readPhases)
      out[phase.key] = await runPhase(runner, monitor, baseUrl, phase);
    return out;
  };
  const reads = await runReads();

  // ---- EXPLAIN
  const admin: Actor = { type: 'api', keyId: 'bench', role: 'admin' };
  const asAgent: Actor = { type: 'agent', id: myAgent, role: 'agent' };
  const someAgent = agentIds[7]!;
  const explainTargets: ExplainTarget[] = [
    {
      name: 'list_queue',
      http: `GET /api/v1${queueUrl(someAgent)}`,
      actor: admin,
      call: { kind: 'list', query: queueUrl(someAgent).split('?')[1]! },
    },
    ...(page2[7]
      ? [
          {
            name: 'list_queue_page2',
            http: `GET /api/v1${page2[7].path}`,
            actor: admin,
            call: { kind: 'list' as const, query: page2[7].path.split('?')[1]! },
          },
        ]
      : []),
    {
      name: 'counts',
      http: 'GET /api/v1/tickets/counts (admin key)',
      actor: admin,
      call: { kind: 'counts' },
    },
    {
      name: 'counts_agent',
      http: 'GET /api/v1/tickets/counts (agent key)',
      actor: asAgent,
      call: { kind: 'counts' },
    },
    {
      name: 'list_my_queue',
      http: 'GET /api/v1/tickets?assignee_id=me&status=assigned,in_progress,awaiting_customer&sort=sla_due_at',
      actor: asAgent,
      call: {
        kind: 'list',
        query: 'assignee_id=me&status=assigned,in_progress,awaiting_customer&sort=sla_due_at',
      },
    },
    {
      name: 'list_unassigned',
      http: 'GET /api/v1/tickets?status=new&assignee_id=none&sort=sla_due_at',
      actor: admin,
      call: { kind: 'list', query: 'status=new&assignee_id=none&sort=sla_due_at' },
    },
    {
      name: 'list_new_assigned_priority',
      http: 'GET /api/v1/tickets?status=new,assigned&sort=-priority',
      actor: admin,
      call: { kind: 'list', query: 'status=new,assigned&sort=-priority' },
    },
    {
      name: 'list_overdue',
      http: 'GET /api/v1/tickets?overdue=true',
      actor: admin,
      call: { kind: 'list', query: 'overdue=true' },
    },
    {
      name: 'list_recent',
      http: 'GET /api/v1/tickets',
      actor: admin,
      call: { kind: 'list', query: '' },
    },
    {
      name: 'list_q_common',
      http: `GET /api/v1/tickets?q=${SEARCH_WORDS.common}`,
      actor: admin,
      call: { kind: 'list', query: `q=${SEARCH_WORDS.common}` },
    },
    {
      name: 'list_q_rare',
      http: `GET /api/v1/tickets?q=${SEARCH_WORDS.rare}`,
      actor: admin,
      call: { kind: 'list', query: `q=${SEARCH_WORDS.rare}` },
    },
    {
      name: 'list_q_messages_only',
      http: `GET /api/v1/tickets?q=${SEARCH_WORDS.messagesOnly}`,
      actor: admin,
      call: { kind: 'list', query: `q=${SEARCH_WORDS.messagesOnly}` },
    },
  ];
  const explainAll = () => explainApiCalls(pool, 'default', explainTargets, ctx.db!.scratchDir);
  const plans = await explainAll();
  log('EXPLAIN (ANALYZE, BUFFERS) done');
  const planSummary = (results: ExplainResult[]) =>
    Object.fromEntries(
      results.map((r) => [
        r.name,
        r.statements.map((s) => ({
          execution_ms: s.executionMs,
          planning_ms: s.planningMs,
          indexes: s.indexes,
          seq_scans: s.seqScans,
        })),
      ]),
    );

  // ---- optional: the same reads with extra indexes
  const experiments: {
    statements: string[];
    reads: Record<string, PhaseOutcome>;
    sql: ReturnType<typeof planSummary>;
  }[] = [];
  let experimentPlans = '';
  if (TRY_INDEX.length > 0) {
    for (const statement of TRY_INDEX) {
      log(`experiment: ${statement}`);
      const started = performance.now();
      await pool.query(statement);
      log(`  took ${round((performance.now() - started) / 1000, 1)} s`);
    }
    await pool.query('VACUUM (ANALYZE) tickets');
    const expReads = await runReads();
    const expPlans = await explainAll();
    experiments.push({ statements: TRY_INDEX, reads: expReads, sql: planSummary(expPlans) });
    experimentPlans = formatPlans(
      expPlans,
      `\n\n${'#'.repeat(100)}\n# WITH: ${TRY_INDEX.join('; ')}\n${'#'.repeat(100)}`,
    );
  }

  // ---- results
  const verdict = (s: ThroughputSummary, limit: number) =>
    s.errors === 0 && s.n > 0 && s.p95 <= limit;
  const listQueuePass = verdict(reads.list_queue!, LIST_QUEUE_TARGET_P95_MS);
  const countsPass =
    countsCorrect &&
    verdict(reads.counts!, COUNTS_TARGET_MS) &&
    verdict(reads.counts_agent!, COUNTS_TARGET_MS);
  const { list_queue, counts, counts_agent, ...otherReads } = reads;
  const cpus = os.cpus();
  const result = {
    benchmark: 'api-bench',
    date: new Date().toISOString(),
    machine: {
      cpus: cpus.length,
      cpu_model: cpus[0]?.model ?? 'unknown',
      memory_gb: round(os.totalmem() / 2 ** 30, 1),
      node: process.version,
      /** Scheduling priority of the benchmark (and the PostgreSQL it started); negative = favoured. */
      nice: os.getPriority(),
      platform: `${process.platform} ${os.release()}`,
      postgres: pgVersion,
      database:
        ctx.db.kind === 'embedded'
          ? 'embedded PostgreSQL, same flags as npm start (fsync on, shared_buffers 256MB)'
          : 'DATABASE_URL server',
    },
    method:
      'Client: fetch (undici, keep-alive) in a worker thread of the same process; latency = send to last body byte, ms. ' +
      'Percentiles nearest-rank over the measured requests after a warm-up. Verdicts use p95.',
    tickets: TICKETS,
    second_tenant_tickets: secondTickets,
    customers,
    agents: AGENTS,
    messages: seeded.tenants.reduce((a, t) => a + t.messages, 0),
    seed_seconds: seeded.seconds,
    seed_steps_seconds: seeded.steps,
    seed_fk_checks_skipped: seeded.fkChecksSkipped,
    seed_cpu: seedCpu,
    distribution: {
      by_status: Object.fromEntries(dist.map((r) => [r.status, Number(r.n)])),
      open: Number(openStats[0]?.open),
      open_overdue: Number(openStats[0]?.overdue),
      assigned_per_agent: Number(openStats[0]?.assigned_per_agent),
    },
    relation_sizes_mb: Object.fromEntries(sizes.map((r) => [r.name, Number(r.mb)])),
    create: { ...create, numbers_continue_sequence: numbersContinue },
    list_queue: {
      ...list_queue!,
      target_p95_ms: LIST_QUEUE_TARGET_P95_MS,
      pass: listQueuePass,
    },
    counts: {
      ...counts!,
      target_ms: COUNTS_TARGET_MS,
      verdict_on: 'p95',
      pass: countsPass,
      correct: countsCorrect,
      agent: counts_agent!,
    },
    lists: otherReads,
    sql: planSummary(plans),
    experiments,
    interference: interference([...Object.values(create), ...Object.values(reads)]),
    targets_met: listQueuePass && countsPass,
    run_seconds: round((performance.now() - runStarted) / 1000, 1),
  };

  await mkdir(path.dirname(OUT), { recursive: true });
  await writeFile(OUT, `${JSON.stringify(result, null, 2)}\n`);
  const header =
    `# EXPLAIN (ANALYZE, BUFFERS) of the SQL behind each API call, captured from the use case itself.\n` +
    `# ${TICKETS.toLocaleString('en')} tickets (+${secondTickets.toLocaleString('en')} in a second tenant), ${result.date}, PostgreSQL ${pgVersion}.\n` +
    `# Written by bench/api-bench.ts after the HTTP measurements (warm cache).`;
  await writeFile(PLANS, formatPlans(plans, header) + experimentPlans);

  printSummary(result.create, reads, result.list_queue.pass, result.counts.pass, experiments);
  log(`wrote ${path.relative(process.cwd(), OUT)} and ${path.relative(process.cwd(), PLANS)}`);
}

/** How much CPU other processes took while we measured (a shared machine skews latencies). */
function interference(phases: PhaseOutcome[]) {
  const other = phases
    .map((p) => p.cpu?.other_pct)
    .filter((x): x is number => typeof x === 'number');
  if (other.length === 0) return null;
  const max = Math.max(...other);
  return {
    max_other_cpu_pct: max,
    mean_other_cpu_pct: round(other.reduce((a, b) => a + b, 0) / other.length, 1),
    quiet: max < 15,
    note: 'CPU used by processes other than this benchmark and its PostgreSQL during the measured phases, in % of all cores',
  };
}

function printSummary(
  create: Record<string, unknown>,
  reads: Record<string, PhaseOutcome>,
  listPass: boolean,
  countsPass: boolean,
  experiments: { statements: string[]; reads: Record<string, PhaseOutcome> }[],
): void {
  const rows: [string, PhaseOutcome][] = [
    ['create_c1', create.c1 as PhaseOutcome],
    ['create_c16', create.c16 as PhaseOutcome],
    ...Object.entries(reads),
  ];
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(28) : c.padStart(9))).join(' ');
  const row = (key: string, s: PhaseOutcome) =>
    line([
      key,
      String(s.concurrency),
      String(s.n),
      String(s.rps),
      String(s.p50),
      String(s.p95),
      String(s.p99),
      String(s.max),
      String(s.errors),
      s.cpu ? String(s.cpu.other_pct) : '-',
    ]);
  console.log(
    `\n${line(['phase', 'conc', 'n', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'errors', 'other%'])}`,
  );
  for (const [key, s] of rows) console.log(row(key, s));
  for (const e of experiments) {
    console.log(`\nwith ${e.statements.join('; ')}:`);
    for (const [key, s] of Object.entries(e.reads)) console.log(row(key, s));
  }
  console.log(
    'other% = CPU used by other processes during the phase (% of all cores); above ~15 the latencies are skewed.',
  );
  console.log(
    `\ntargets: list_queue p95 ${reads.list_queue?.p95} ms ≤ ${LIST_QUEUE_TARGET_P95_MS} ms: ${listPass ? 'PASS' : 'FAIL'}; ` +
      `counts p95 ${reads.counts?.p95} ms / agent ${reads.counts_agent?.p95} ms ≤ ${COUNTS_TARGET_MS} ms: ${countsPass ? 'PASS' : 'FAIL'}\n`,
  );
}

const ctx: Context = {};
// One cleanup for every way out (success, failure, signal), awaited by all of them.
let cleaning: Promise<void> | undefined;
const cleanupOnce = () => (cleaning ??= cleanup(ctx));
let interrupted = false;
const onSignal = (signal: NodeJS.Signals) => {
  if (interrupted) process.exit(130);
  interrupted = true;
  console.error(`\n${signal}: stopping Parley and the database …`);
  void cleanupOnce().finally(() => process.exit(130));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

main(ctx).then(
  async () => {
    await cleanupOnce();
    process.exit(interrupted ? 130 : 0);
  },
  async (err: unknown) => {
    if (!interrupted) console.error('api-bench failed:', err);
    await cleanupOnce();
    process.exit(interrupted ? 130 : 1);
  },
);
