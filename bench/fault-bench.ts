/**
 * Platform faults and overload benchmark (issue 6): Parley as a child process (as in production,
 * embedded PostgreSQL under a temp DATA_DIR) under a steady load of Telegram and WhatsApp
 * webhooks and agents' replies, while the fake platforms answer 429 with retry-after, 5xx, hang,
 * drop connections or go fully down (shorter and longer than the retry budget), then an inbound
 * burst far beyond capacity. Checks that nothing acknowledged is lost, nothing is delivered twice
 * or out of order, no retry comes before Retry-After, no row is tried more than maxAttempts
 * times, every failure is surfaced on its ticket, and the burst is shed quickly (503 +
 * Retry-After), not left to time out, with every shed webhook landing once when retried.
 *
 *   npx tsx bench/fault-bench.ts [--rate 8] [--customers 30] [--burst-customers 600]
 *                                [--phases full|ci] [--max-attempts 4] [--max-in-flight 128]
 *                                [--seed 1] [--out bench/results/fault-bench.json] [--keep]
 *
 * Prints one line (`fault-bench: sent=… lost=0 duplicated=0 … verdict=PASS`); exit 1 on FAIL.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { embeddedDatabaseUrl, parleyProcess } from './crash/parley-process.js';
import { ciPhases, fullPhases } from './fault/phases.js';
import { runFaultBench, type StartTarget } from './fault/run.js';
import { freePort } from './support/free-port.js';

const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '8' },
    customers: { type: 'string', default: '30' },
    'reply-every-ms': { type: 'string', default: '500' },
    'burst-customers': { type: 'string', default: '600' },
    'burst-messages': { type: 'string', default: '2' },
    'burst-connections': { type: 'string', default: '200' },
    'max-attempts': { type: 'string', default: '4' },
    'platform-timeout-ms': { type: 'string', default: '4000' },
    'max-in-flight': { type: 'string', default: '64' },
    'max-loop-delay-ms': { type: 'string', default: '500' },
    'drain-timeout': { type: 'string', default: '240' },
    phases: { type: 'string', default: 'full' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
    out: { type: 'string', default: 'bench/results/fault-bench.json' },
    keep: { type: 'boolean', default: false },
  },
});

const log = (msg: string) => console.error(`[fault-bench] ${msg}`);

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-fault-'));
const startChild: StartTarget = async (env) => {
  const port = await freePort();
  const parley = parleyProcess({
    dataDir,
    port,
    logFile: path.join(dataDir, 'parley.log'),
    env: { ...env, PUBLIC_URL: `http://127.0.0.1:${port}`, SHUTDOWN_TIMEOUT_MS: '10000' },
  });
  const ms = await parley.start(120_000);
  log(`parley ready in ${ms} ms (data ${dataDir})`);
  return {
    url: parley.url,
    databaseUrl: await embeddedDatabaseUrl(dataDir),
    pid: parley.pid,
    // Frozen, not killed: its PostgreSQL keeps answering the checks.
    pause: async () => void (parley.pid && process.kill(parley.pid, 'SIGSTOP')),
    stop: () => parley.killAll(),
  };
};

const seed = Number(args.seed);
log(`seed ${seed}`);
let result;
try {
  result = await runFaultBench(
    {
      phases: args.phases === 'ci' ? ciPhases() : fullPhases(),
      rate: Number(args.rate),
      customers: Number(args.customers),
      replyEveryMs: Number(args['reply-every-ms']),
      burstCustomers: Number(args['burst-customers']),
      burstMessagesEach: Number(args['burst-messages']),
      burstConnections: Number(args['burst-connections']),
      maxAttempts: Number(args['max-attempts']),
      platformTimeoutMs: Number(args['platform-timeout-ms']),
      overloadMaxInFlight: Number(args['max-in-flight']),
      overloadMaxEventLoopDelayMs: Number(args['max-loop-delay-ms']),
      drainTimeoutMs: Number(args['drain-timeout']) * 1000,
      seed,
      log,
    },
    startChild,
  );
} finally {
  if (!args.keep && !process.exitCode) await rm(dataDir, { recursive: true, force: true });
}

const out = {
  ...result,
  machine: {
    cpus: os.cpus().length,
    cpu_model: os.cpus()[0]?.model ?? 'unknown',
    memory_gb: Math.round(os.totalmem() / 1e8) / 10,
    node: process.version,
    load_average_at_end: os.loadavg().map((l) => Math.round(l * 100) / 100),
  },
  finished_at: new Date().toISOString(),
};
await mkdir(path.dirname(args.out), { recursive: true });
await writeFile(args.out, `${JSON.stringify(out, null, 2)}\n`);
for (const f of result.failures) log(`FAIL: ${f}`);
for (const e of [...result.verdict.outbound.examples, ...result.faults.early_retry_examples])
  log(`  ${e}`);
for (const e of result.faults.failed_unsurfaced_examples) log(`  unsurfaced: ${e}`);
if (args.keep) log(`kept ${dataDir} (parley.log inside)`);
console.log(result.line);
process.exit(result.passed ? 0 : 1);
