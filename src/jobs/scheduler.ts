/**
 * Recurring work on agenda@6 with its PostgreSQL backend, on Parley's own database.
 *
 * Each job here is a *sweep*: one agenda job per kind of work (SLA checks, auto-close, reminders,
 * reports, scheduled tickets) that claims whatever is due with SQL (`FOR UPDATE SKIP LOCKED`) and
 * processes it in batches. agenda gives the cadence and runs each sweep in one process at a time;
 * correctness across processes comes from the claims, so a sweep that runs twice, or dies midway,
 * neither repeats nor loses work. One agenda job per ticket event would not scale (agenda runs
 * ~350 trivial jobs/s in one process; a brand can have a million open tickets).
 */
import { PostgresBackend } from '@agendajs/postgres-backend';
import { Agenda } from 'agenda';
import type pg from 'pg';
import type { Logger } from '../ports/logger.js';

export interface SweepJob {
  /** agenda job name, e.g. `sla:sweep`. */
  name: string;
  /** How often it runs, in milliseconds. */
  everyMs: number;
  /** One sweep; the result is logged at debug level when it did something. */
  run(): Promise<unknown>;
  /** How long a run may hold agenda's lock before another process may take over (default 60 s). */
  lockLifetimeMs?: number;
}

export interface Scheduler {
  /** Runs a job's sweep once now, in this process (admin tools and tests). */
  runNow(name: string): Promise<unknown>;
  stop(): Promise<void>;
}

/** Runs one job's sweep now, in this process (admin tools and tests). */
export function runJobNow(jobs: readonly SweepJob[], name: string): Promise<unknown> {
  const job = jobs.find((j) => j.name === name);
  if (!job) return Promise.reject(new Error(`no scheduled job named ${name}`));
  return job.run();
}

export interface SchedulerOptions {
  pool: pg.Pool;
  jobs: SweepJob[];
  logger: Logger;
  /** Identifies this process in agenda's rows (`last_modified_by`). */
  workerName: string;
  /** How often agenda looks for due jobs (default: the shortest job interval, at most 1 s). */
  processEveryMs?: number;
}

/** Starts agenda and registers every job as a single recurring job (one row per name). */
export async function startScheduler(options: SchedulerOptions): Promise<Scheduler> {
  const { pool, jobs, logger, workerName } = options;
  const shortest = Math.min(1_000, ...jobs.map((j) => j.everyMs));
  // No LISTEN/NOTIFY: every job here is a recurring sweep found by polling (`processEvery`), so
  // agenda's notifications would only wake what the poll finds anyway. Its LISTEN client came
  // from our pool, and a reconnect in flight when agenda stopped (after a failover) kept that
  // client checked out for good, so the pool, and Parley's shutdown, never ended.
  const backend = new PostgresBackend({ pool, ensureSchema: false, disableNotifications: true });
  const agenda = new Agenda({
    backend,
    name: workerName,
    processEvery: options.processEveryMs ?? shortest,
    // A short lock keeps a stopped process from holding a job (and the event loop) for minutes.
    defaultLockLifetime: 60_000,
  });
  agenda.on('error', (err) => logger.warn({ err }, 'scheduler error'));
  agenda.on('fail', (err: unknown, job: { attrs?: { name?: string } }) =>
    logger.warn({ err, job: job.attrs?.name }, 'scheduled job failed'),
  );

  for (const job of jobs) {
    agenda.define(
      job.name,
      async () => {
        const result = await job.run();
        if (result) logger.debug({ job: job.name, result }, 'sweep done');
      },
      { concurrency: 1, lockLimit: 1, lockLifetime: job.lockLifetimeMs ?? 60_000 },
    );
  }
  await agenda.start();
  for (const job of jobs) await agenda.every(job.everyMs, job.name, undefined, {});

  let stopping: Promise<void> | undefined;
  return {
    runNow: (name) => runJobNow(jobs, name),
    stop: () => (stopping ??= agenda.stop()),
  };
}
