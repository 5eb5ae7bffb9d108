/**
 * Several Parley processes on one PostgreSQL (issue 6): for N = 1, 2, 3 processes, the same
 * offered load (Telegram and WhatsApp customers through the bot, agents' Slack thread replies,
 * urgent tickets whose seconds-long SLA makes escalations fire, scheduled tickets falling due,
 * the daily report due at start) round-robin over the processes; per N the throughput, latency
 * and CPU shares, and the checks: nothing lost, nothing sent twice, nothing out of order, each
 * escalation and job once.
 *
 *   npx tsx bench/multi-process-bench.ts [--processes 1,2,3] [--seconds 30] [--rate 40]
 *        [--customers 20] [--seed 1] [--out bench/results/multi-process-bench.json] [--keep]
 *
 * PostgreSQL: an embedded server in a temp dir, started once (or the server of DATABASE_URL); each
 * N gets a fresh database on it. Prints one line per N and a final verdict line; exit 1 on FAIL.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openBenchDatabase } from './support/bench-database.js';
import { type MultiRunResult, startMultiRun } from './multi/run.js';

const { values: args } = parseArgs({
  options: {
    processes: { type: 'string', default: '1,2,3' },
    seconds: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '5' },
    rate: { type: 'string', default: '40' },
    customers: { type: 'string', default: '20' },
    'urgent-every-ms': { type: 'string', default: '4000' },
    'slack-reply-every-ms': { type: 'string', default: '500' },
    scheduled: { type: 'string', default: '6' },
    'drain-timeout': { type: 'string', default: '300' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
    out: { type: 'string', default: 'bench/results/multi-process-bench.json' },
    keep: { type: 'boolean', default: false },
  },
});

const log = (msg: string) => console.error(`[multi-bench] ${msg}`);
const counts = args.processes.split(',').map(Number);
if (counts.some((c) => !Number.isInteger(c) || c < 1)) throw new Error('--processes 1,2,3');
const seed = Number(args.seed);
log(`seed ${seed}; processes ${counts.join(',')}`);

const database = await openBenchDatabase(process.env.DATABASE_URL);
const results: MultiRunResult[] = [];
let failed = false;
try {
  for (const n of counts) {
    const name = `multi_n${n}_${randomBytes(4).toString('hex')}`;
    const url = new URL(database.url);
    await admin(database.url, (c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`));
    url.pathname = `/${name}`;
    try {
      const result = await startMultiRun({
        processes: n,
        databaseUrl: url.toString(),
        ...(database.postmasterPid ? { postmasterPid: database.postmasterPid } : {}),
        seconds: Number(args.seconds),
        warmupSeconds: Number(args.warmup),
        rate: Number(args.rate),
        customers: Number(args.customers),
        urgentEveryMs: Number(args['urgent-every-ms']),
        slackReplyEveryMs: Number(args['slack-reply-every-ms']),
        scheduledTickets: Number(args.scheduled),
        drainTimeoutMs: Number(args['drain-timeout']) * 1000,
        seed: seed + n,
        keep: args.keep ? 'always' : 'on-failure',
        log: (line) => log(`[N=${n}] ${line}`),
      }).result;
      results.push(result);
      for (const f of result.failures) log(`[N=${n}] FAIL: ${f}`);
      for (const e of [...result.verdict.outbound.examples, ...result.shared.examples])
        log(`[N=${n}]   ${e}`);
      if (result.log_dirs) log(`[N=${n}] kept ${result.log_dirs.join(' ')} (parley.log inside)`);
      console.log(result.line);
    } finally {
      await admin(database.url, (c) =>
        c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`),
      );
    }
  }
} catch (err) {
  failed = true;
  log(`run failed: ${(err as Error).stack ?? String(err)}`);
} finally {
  await database.close();
}

const sum = (pick: (r: MultiRunResult) => number) => results.reduce((a, r) => a + pick(r), 0);
const passed = !failed && results.length === counts.length && results.every((r) => r.passed);
const line =
  `multi-bench: processes=${results.map((r) => r.processes).join(',')} ` +
  `throughput=${results.map((r) => r.throughput.processed_per_s).join('/')} ` +
  `lost=${sum((r) => r.counts.lost)} duplicated=${sum((r) => r.counts.duplicated)} ` +
  `reordered=${sum((r) => r.counts.reordered)} ` +
  `escalations_duplicated=${sum((r) => r.counts.escalations_duplicated)} ` +
  `verdict=${passed ? 'PASS' : 'FAIL'}`;
await mkdir(path.dirname(args.out), { recursive: true });
await writeFile(
  args.out,
  `${JSON.stringify(
    {
      line,
      passed,
      seed,
      database: database.kind,
      runs: results,
      machine: {
        cpus: os.cpus().length,
        cpu_model: os.cpus()[0]?.model ?? 'unknown',
        memory_gb: Math.round(os.totalmem() / 1e8) / 10,
        node: process.version,
        load_avg: os.loadavg().map((l) => Math.round(l * 100) / 100),
      },
      finished_at: new Date().toISOString(),
    },
    null,
    2,
  )}\n`,
);
console.log(line);
process.exit(passed ? 0 : 1);

async function admin<T>(serverUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl, application_name: 'multi-bench' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
