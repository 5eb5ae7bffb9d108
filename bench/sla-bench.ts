/**
 * SLA sweep benchmark (issue 5): with 1,000,000 open tickets in PostgreSQL,
 *   - a sweep when nothing is due ≤ 5 ms,
 *   - 10,000 due events claimed and processed ≤ 1 s,
 *   - lateness between a due time and its ping p99 ≤ 2 s (the real agenda scheduler running the sweep).
 *
 *   npx tsx bench/sla-bench.ts [--tickets 1000000] [--out bench/results/sla-bench.json] [--profile]
 *                              [--kind breach|warning|climb]
 *
 * The burst's due events are breaches unless `--kind` says otherwise (bench/sla/make-due.ts).
 *
 * The burst records what it cost beside its wall time (WAL bytes, rows, CPU of Parley, PostgreSQL
 * and other processes); `--profile` adds pg_stat_statements totals (the embedded server is
 * restarted once to preload it).
 *
 * The sweep is the production one (`sla:sweep` from src/jobs/index.ts) on the production wiring
 * (createAppDeps), against a fresh embedded PostgreSQL (or DATABASE_URL, in a new database).
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { createAppDeps } from '../src/app-deps.js';
import { loadConfig } from '../src/config.js';
import { systemClock } from '../src/domain/clock.js';
import { sweepJobs } from '../src/jobs/index.js';
import { startScheduler } from '../src/jobs/scheduler.js';
import { createDatabase, runMigrations } from '../src/storage/database.js';
import { startProfile } from './ingest/profile.js';
import { describeProfile, profilePhase, statementsAvailable } from './sla/burst-profile.js';
import { DUE_KINDS, isDueKind, makeDue } from './sla/make-due.js';
import { seedOpenTickets } from './sla/seed-open-tickets.js';
import { openBenchDatabase } from './support/bench-database.js';
import { round, summarize } from './support/stats.js';

const { values: args } = parseArgs({
  options: {
    tickets: { type: 'string', default: '1000000' },
    due: { type: 'string', default: '10000' },
    /** The kind of SLA event of the burst: breach (default, the heaviest), warning or climb. */
    kind: { type: 'string', default: 'breach' },
    late: { type: 'string', default: '3000' },
    out: { type: 'string', default: 'bench/results/sla-bench.json' },
    profile: { type: 'boolean', default: false },
    /** Write a CPU profile of this process during the burst to this file (.cpuprofile). */
    'cpu-profile': { type: 'string' },
    /** Embedded server only: `--pg name=value`, repeatable (e.g. `--pg shared_buffers=2GB`). */
    pg: { type: 'string', multiple: true, default: [] },
  },
});
const TICKETS = Number(args.tickets);
const DUE = Number(args.due);
const LATE = Number(args.late);
const KIND = args.kind;
if (!isDueKind(KIND)) throw new Error(`--kind must be one of ${DUE_KINDS.join(', ')}`);
const logger = pino({ level: 'silent' });
const log = (msg: string) => console.log(`[sla-bench] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const benchDb = await openBenchDatabase(process.env.DATABASE_URL, {
  statements: args.profile,
  settings: args.pg,
});
const database = createDatabase(benchDb.url, { max: 10, logger });
try {
  await runMigrations(database.db);
  const seeded = await seedOpenTickets(database.pool, { tickets: TICKETS, now: new Date() });
  log(`seeded ${TICKETS} open tickets in ${seeded.seconds} s`);

  // Slack is wired (as in most deployments), the Telegram agents' chat is not: a notice is one
  // `staff:slack` row. Nothing is sent; the rows wait in the outbox.
  const config = loadConfig({
    DATABASE_URL: benchDb.url,
    DATA_DIR: benchDb.scratchDir,
    SLACK_BOT_TOKEN: 'xoxb-sla-bench',
    SLACK_SIGNING_SECRET: 'sla-bench-signing',
    SLACK_TRIAGE_CHANNEL: 'C0SLABENCH',
  });
  const deps = createAppDeps({ config, db: database.db, clock: systemClock, logger });
  const slaJob = sweepJobs(deps).find((j) => j.name === 'sla:sweep');
  if (!slaJob) throw new Error('no sla:sweep job in src/jobs/index.ts');
  const sweep = () => slaJob.run() as Promise<{ claimed: number }>;

  // 1. Nothing due.
  for (let i = 0; i < 20; i++) await sweep();
  const idle: number[] = [];
  for (let i = 0; i < 500; i++) {
    const t = performance.now();
    const r = await sweep();
    idle.push(performance.now() - t);
    if (r.claimed !== 0) throw new Error(`idle sweep claimed ${r.claimed}`);
  }
  const idleSummary = summarize(idle);
  log(
    `idle sweep: p50 ${idleSummary.p50} ms, p99 ${idleSummary.p99} ms, max ${idleSummary.max} ms`,
  );

  // 2. DUE tickets fall due at once (one kind of SLA event, bench/sla/make-due.ts): claim and
  //    process them all.
  const pickedIds = await makeDue(database.pool, KIND, DUE);
  await database.pool.query('VACUUM (ANALYZE) tickets');
  const before = await counts(pickedIds);
  const statements = args.profile && (await statementsAvailable(database.pool));
  if (args.profile && !statements) log('pg_stat_statements is not available: no statement totals');
  await database.pool.query('CHECKPOINT');
  const stopProfile = await profilePhase(database.pool, {
    postmasterPid: benchDb.postmasterPid,
    statements,
  });
  const cpuProfile = args['cpu-profile'] ? await startProfile() : undefined;
  const burstStarted = performance.now();
  let claimed = 0;
  let sweeps = 0;
  for (;;) {
    const r = await sweep();
    sweeps += 1;
    claimed += r.claimed;
    if (r.claimed === 0) break;
  }
  const burstMs = performance.now() - burstStarted;
  const cpuSummary = cpuProfile ? await cpuProfile.stop(args['cpu-profile']!) : undefined;
  const burstProfile = await stopProfile();
  const after = await counts(pickedIds);
  log(
    `burst (${KIND}): ${claimed} claimed in ${round(burstMs)} ms over ${sweeps} sweeps; ` +
      `${after.escalations - before.escalations} escalations, ${after.outbox - before.outbox} outbox rows`,
  );
  for (const line of describeProfile(burstProfile)) log(`  ${line}`);
  const rowBytes = await rowSizes(pickedIds);
  log(`  average row bytes: ${JSON.stringify(rowBytes)}`);
  if (cpuSummary) {
    log(`  cpu profile (${cpuSummary.totalMs} ms sampled) → ${cpuSummary.file}`);
    for (const a of cpuSummary.byArea.slice(0, 12)) log(`    ${a.area}: ${a.ms} ms`);
    for (const f of cpuSummary.topFunctions.slice(0, 20)) log(`    ${f.fn}: ${f.ms} ms`);
  }

  // 3. Lateness with the real scheduler: LATE tickets fall due over the next 30 s.
  const lateIds = await database.pool.query<{ id: string; due: Date }>(
    `WITH p AS (SELECT t.id FROM tickets t JOIN sla_checks k ON k.ticket_id = t.id
                 WHERE t.status <> 'new' AND k.next_check_at > now() AND NOT t.sla_breached
                 ORDER BY random() LIMIT $1),
          d AS (SELECT id, now() + interval '3 seconds' + random() * interval '30 seconds' AS due FROM p),
          k AS (UPDATE sla_checks k SET next_check_at = d.due FROM d WHERE k.ticket_id = d.id)
     UPDATE tickets t SET resolution_due_at = d.due, first_response_at = coalesce(first_response_at, now()),
            sla_due_at = d.due
       FROM d WHERE t.id = d.id RETURNING t.id, d.due`,
    [LATE],
  );
  const scheduler = await startScheduler({
    pool: database.pool,
    jobs: [slaJob],
    logger,
    workerName: 'sla-bench',
  });
  await sleep(40_000);
  await scheduler.stop();
  // Only the rung of the deadline set here (a ticket may also carry rungs of earlier phases).
  const fired = await database.pool.query<{ lateness_ms: number }>(
    `SELECT extract(epoch FROM e.fired_at - e.due_at) * 1000 AS lateness_ms
       FROM sla_escalations e
       JOIN unnest($1::uuid[], $2::timestamptz[]) AS d(id, due) ON d.id = e.ticket_id AND d.due = e.due_at
      WHERE e.target = 'resolution' AND e.rung = 1`,
    [lateIds.rows.map((r) => r.id), lateIds.rows.map((r) => r.due)],
  );
  const lateness = summarize(fired.rows.map((r) => Number(r.lateness_ms)));
  log(
    `lateness: ${fired.rows.length}/${LATE} breaches pinged; p50 ${lateness.p50} ms, p99 ${lateness.p99} ms, max ${lateness.max} ms`,
  );

  const result = {
    benchmark: 'sla-bench',
    measured_at: new Date().toISOString(),
    database: benchDb.kind,
    open_tickets: TICKETS,
    server_settings: args.pg,
    seed: { seconds: seeded.seconds, steps: seeded.steps },
    idle_sweep_ms: idleSummary,
    burst: {
      kind: KIND,
      due: DUE,
      claimed,
      sweeps,
      total_ms: round(burstMs),
      escalations: after.escalations - before.escalations,
      outbox_rows: after.outbox - before.outbox,
      profile: burstProfile,
      average_row_bytes: rowBytes,
    },
    lateness_ms: { ...lateness, expected: LATE, pinged: fired.rows.length },
    targets: {
      idle_sweep_p99_le_5ms: idleSummary.p99 <= 5,
      burst_10k_le_1s: burstMs <= 1000,
      lateness_p99_le_2s: lateness.p99 <= 2000 && fired.rows.length === LATE,
    },
  };
  await writeFile(args.out, `${JSON.stringify(result, null, 2)}\n`);
  log(`targets: ${JSON.stringify(result.targets)} → ${args.out}`);

  /** Average stored size of the rows the burst wrote for these tickets (pg_column_size). */
  async function rowSizes(ids: string[]) {
    const { rows } = await database.pool.query<Record<string, number>>(
      `SELECT (SELECT avg(pg_column_size(o.*)) FROM outbox o WHERE ticket_id = ANY($1))::int AS outbox,
              (SELECT avg(pg_column_size(a.*)) FROM audit_events a WHERE ticket_id = ANY($1))::int AS audit_events,
              (SELECT avg(pg_column_size(e.*)) FROM sla_escalations e WHERE ticket_id = ANY($1))::int AS sla_escalations,
              (SELECT avg(pg_column_size(t.*)) FROM tickets t WHERE id = ANY($1))::int AS tickets`,
      [ids],
    );
    return rows[0]!;
  }

  async function counts(ids: string[]) {
    const { rows } = await database.pool.query<{ escalations: number; outbox: number }>(
      `SELECT (SELECT count(*) FROM sla_escalations WHERE ticket_id = ANY($1))::int AS escalations,
              (SELECT count(*) FROM outbox WHERE ticket_id = ANY($1))::int AS outbox`,
      [ids],
    );
    return rows[0]!;
  }
} finally {
  await database.close();
  await benchDb.close();
}
