/**
 * Crash-safety benchmark (issue 6): steady Telegram and WhatsApp webhooks, agents' replies and
 * urgent tickets against Parley running as a child process exactly as in production (embedded
 * PostgreSQL under a temp DATA_DIR), SIGKILLed at random moments and restarted; then checks that
 * every acknowledged webhook is in the database, every outbox row reached the fake platform in
 * order per conversation (at least once: a kill between the platform's answer and markSent sends
 * the row again, counted as `resent_after_kill`), every acknowledged agent reply went out, and no
 * escalation ping fired twice.
 *
 *   npx tsx bench/crash-bench.ts [--seconds 60] [--kills 5] [--rate 30] [--customers 50]
 *                                [--seed 1] [--out bench/results/crash-bench.json] [--keep]
 *
 * Prints one line (`crash-bench: kills=5 sent=… lost=0 … verdict=PASS`); exit code 1 on FAIL.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runCrashBench } from './crash/run.js';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    kills: { type: 'string', default: '5' },
    rate: { type: 'string', default: '30' },
    customers: { type: 'string', default: '50' },
    'reply-every-ms': { type: 'string', default: '500' },
    'urgent-every-ms': { type: 'string', default: '5000' },
    'drain-timeout': { type: 'string', default: '90' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
    out: { type: 'string', default: 'bench/results/crash-bench.json' },
    keep: { type: 'boolean', default: false },
  },
});

const log = (msg: string) => console.error(`[crash-bench] ${msg}`);
const seed = Number(args.seed);
log(`seed ${seed}`);
const result = await runCrashBench({
  seconds: Number(args.seconds),
  kills: Number(args.kills),
  rate: Number(args.rate),
  customers: Number(args.customers),
  replyEveryMs: Number(args['reply-every-ms']),
  urgentEveryMs: Number(args['urgent-every-ms']),
  drainTimeoutMs: Number(args['drain-timeout']) * 1000,
  seed,
  keep: args.keep ? 'always' : 'on-failure',
  log,
});

const out = {
  ...result,
  machine: {
    cpus: os.cpus().length,
    cpu_model: os.cpus()[0]?.model ?? 'unknown',
    memory_gb: Math.round(os.totalmem() / 1e8) / 10,
    node: process.version,
  },
  finished_at: new Date().toISOString(),
};
await mkdir(path.dirname(args.out), { recursive: true });
await writeFile(args.out, `${JSON.stringify(out, null, 2)}\n`);
for (const f of result.failures) log(`FAIL: ${f}`);
for (const e of result.verdict.outbound.examples) log(`  ${e}`);
for (const e of result.verdict.inbound.lost_examples) log(`  lost: ${e}`);
if (result.data_dir) log(`kept ${result.data_dir} (parley.log inside)`);
console.log(result.line);
process.exit(result.passed ? 0 : 1);
