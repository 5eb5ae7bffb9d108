/**
 * sla-bench's burst kinds (bench/sla/make-due.ts) are the SLA events they are named after: the
 * production sweep fires the warning rung for `warning`, the breach rung (with the breach marked
 * and the priority bumped) for `breach`, and the manager rung for `climb`, once per ticket; and
 * only the breach rewrites the ticket's row.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DueKind, makeDue } from '../../../bench/sla/make-due.js';
import { seedOpenTickets } from '../../../bench/sla/seed-open-tickets.js';
import { createAppDeps } from '../../../src/app-deps.js';
import { runSlaSweep } from '../../../src/app/sla-sweep.js';
import { loadConfig } from '../../../src/config.js';
import { systemClock } from '../../../src/domain/clock.js';
import { RUNG_BREACH, RUNG_MANAGER, RUNG_WARNING } from '../../../src/domain/escalation-ladder.js';
import { type TestDatabase, createTestDatabase } from '../../support/test-database.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedOpenTickets(database.pool, { tickets: 300, now: new Date() });
});
afterAll(() => database?.close());

const sweep = () => {
  const config = loadConfig({ DATABASE_URL: database.url, DATA_DIR: '/tmp' });
  const deps = createAppDeps({
    config,
    db: database.db,
    clock: systemClock,
    logger: pino({ level: 'silent' }),
  });
  return runSlaSweep(deps);
};

/** The rungs fired for these tickets since `since`, by rung. */
async function firedFor(ids: string[], since: Date) {
  const { rows } = await database.pool.query<{ rung: number; n: number }>(
    `SELECT rung, count(*)::int AS n FROM sla_escalations
      WHERE ticket_id = ANY($1) AND fired_at >= $2
      GROUP BY rung ORDER BY rung`,
    [ids, since],
  );
  return rows;
}

async function ticketsOf(ids: string[]) {
  const { rows } = await database.pool.query<{ breached: number; urgent: number }>(
    `SELECT count(*) FILTER (WHERE resolution_breached_at IS NOT NULL)::int AS breached,
            count(*) FILTER (WHERE priority = 'urgent')::int AS urgent
       FROM tickets WHERE id = ANY($1)`,
    [ids],
  );
  return rows[0]!;
}

/** Each ticket row's version (xmin: the transaction that last wrote it). */
async function rowVersions(ids: string[]) {
  const { rows } = await database.pool.query<{ id: string; xmin: string }>(
    'SELECT id, xmin::text AS xmin FROM tickets WHERE id = ANY($1)',
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r.xmin]));
}

describe('sla-bench due kinds', () => {
  const cases: [DueKind, number][] = [
    ['warning', RUNG_WARNING],
    ['breach', RUNG_BREACH],
    ['climb', RUNG_MANAGER],
  ];
  it.each(cases)('%s: the sweep fires rung %i once per ticket', async (kind, rung) => {
    const ids = await makeDue(database.pool, kind, 20);
    expect(ids).toHaveLength(20);
    const urgent = (await ticketsOf(ids)).urgent;
    const versionsBefore = await rowVersions(ids);
    const since = new Date(Date.now() - 1);
    const result = await sweep();
    expect(result.claimed).toBe(20);
    expect(await firedFor(ids, since)).toEqual([{ rung, n: 20 }]);
    // Only a breach marks the ticket now (a climb's breach was marked when it fell due) and
    // bumps the priority (urgent tickets stay urgent).
    expect((await ticketsOf(ids)).breached).toBe(kind === 'warning' ? 0 : 20);
    expect(result.breached).toBe(kind === 'breach' ? 20 : 0);
    expect(result.bumped).toBe(kind === 'breach' ? 20 - urgent : 0);
    // Only a breach rewrites the ticket's row; a warning or a climb moves its check alone
    // (sla_checks), so the wide row and its indexes are left as they were.
    const rewritten = [...(await rowVersions(ids))].filter(
      ([id, xmin]) => versionsBefore.get(id) !== xmin,
    );
    expect(rewritten).toHaveLength(kind === 'breach' ? 20 : 0);
    // Nothing is due any more: a second sweep claims nothing.
    expect((await sweep()).claimed).toBe(0);
  });
});
