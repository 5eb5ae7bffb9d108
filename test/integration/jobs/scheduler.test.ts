import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { pino } from 'pino';
import { type Scheduler, startScheduler } from '../../../src/jobs/scheduler.js';
import {
  createTestDatabase,
  terminateOtherConnections,
  type TestDatabase,
} from '../../support/test-database.js';
import { waitFor } from '../../support/chat-driver.js';

const logger = pino({ level: 'silent' });

describe('scheduler (agenda on PostgreSQL)', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  it('runs a recurring sweep in one process at a time, with two processes, and stops promptly', async () => {
    let running = 0;
    let overlap = 0;
    const runs: string[] = [];
    const sweep = (who: string) => async () => {
      running += 1;
      if (running > 1) overlap += 1;
      runs.push(who);
      await new Promise((r) => setTimeout(r, 30));
      running -= 1;
      return null;
    };
    const schedulers: Scheduler[] = [];
    for (const who of ['a', 'b']) {
      schedulers.push(
        await startScheduler({
          pool: database.pool,
          logger,
          workerName: who,
          processEveryMs: 100,
          jobs: [{ name: 'test:sweep', everyMs: 200, run: sweep(who) }],
        }),
      );
    }
    await waitFor(() => (runs.length >= 5 ? true : undefined), 10_000);
    const started = Date.now();
    await Promise.all(schedulers.map((s) => s.stop()));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(overlap).toBe(0);
    const { rows } = await database.pool.query(
      `select count(*)::int as n from agenda_jobs where name = 'test:sweep'`,
    );
    expect(rows[0].n).toBe(1); // one recurring row, however many processes registered it
    expect(await schedulers[0]!.runNow('test:sweep')).toBeNull();
  });

  it('survives the database dropping its connections (a failover), and keeps sweeping', async () => {
    const runs: number[] = [];
    const scheduler = await startScheduler({
      pool: database.pool,
      logger,
      workerName: 'survivor',
      processEveryMs: 100,
      jobs: [{ name: 'test:survive', everyMs: 200, run: async () => void runs.push(Date.now()) }],
    });
    await waitFor(() => (runs.length >= 1 ? true : undefined), 10_000);
    // What a managed PostgreSQL's failover or an admin's pg_terminate_backend does: every
    // connection gets FATAL 57P01. An unhandled 'error' event (agenda's LISTEN client's, when it
    // had one) would kill the process.
    await terminateOtherConnections(database);
    const before = runs.length;
    await waitFor(() => (runs.length >= before + 2 ? true : undefined), 10_000);
    await scheduler.stop();
  });

  it('keeps no pool connection checked out between sweeps, so the pool can always end', async () => {
    // agenda's LISTEN client used to be taken from this pool for good; when a failover's
    // reconnect was in flight as agenda stopped, it was never given back and pool.end() hung.
    const pool = new pg.Pool({ connectionString: database.url, max: 4 });
    let runs = 0;
    const scheduler = await startScheduler({
      pool,
      logger,
      workerName: 'idle',
      processEveryMs: 100,
      jobs: [{ name: 'test:idle', everyMs: 60_000, run: async () => void (runs += 1) }],
    });
    await waitFor(() => (runs >= 1 ? true : undefined), 10_000);
    // agenda's polls check a client out for a moment; a held one (the LISTEN client) never
    // comes back, so the fewest checked out over a few polls must be zero.
    let fewest = Infinity;
    for (let k = 0; k < 30; k++) {
      fewest = Math.min(fewest, pool.totalCount - pool.idleCount);
      await new Promise((r) => setTimeout(r, 17));
    }
    expect(fewest).toBe(0);
    await scheduler.stop();
    await pool.end();
  });
});
