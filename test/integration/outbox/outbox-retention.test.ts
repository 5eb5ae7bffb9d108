/**
 * Outbox retention (`outbox:retention`): finished rows older than OUTBOX_RETENTION_DAYS are
 * deleted, across several id windows; pending rows stay whatever their age, young rows stay.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOutboxRetention } from '../../../src/app/outbox-retention.js';
import { type TestParley, startTestParley } from '../../support/test-parley.js';

let parley: TestParley;
let tenantId: string;

beforeAll(async () => {
  parley = await startTestParley({ env: { OUTBOX_RETENTION_DAYS: '14' } });
  const { rows } = await parley.database.pool.query<{ id: string }>(
    `SELECT id FROM tenants LIMIT 1`,
  );
  tenantId = rows[0]!.id;
});
afterAll(() => parley?.close());

/** `n` rows of `status`, created `daysAgo` days ago, keyed `label`. */
async function insertRows(n: number, status: string, daysAgo: number, label: string) {
  await parley.database.pool.query(
    // Pending rows are due tomorrow: the running dispatcher must not send them meanwhile.
    `INSERT INTO outbox (tenant_id, destination, ordering_key, payload, status, created_at,
                         next_attempt_at)
     SELECT $1, 'log', $2 || ':' || g, '{}'::jsonb, $3, now() - make_interval(days => $4),
            now() + interval '1 day'
     FROM generate_series(1, $5) g`,
    [tenantId, label, status, daysAgo, n],
  );
}

async function countByLabel(): Promise<Record<string, number>> {
  const { rows } = await parley.database.pool.query<{ label: string; n: number }>(
    `SELECT split_part(ordering_key, ':', 1) AS label, count(*)::int AS n FROM outbox
     WHERE destination = 'log' GROUP BY 1`,
  );
  return Object.fromEntries(rows.map((r) => [r.label, r.n]));
}

describe('outbox retention', () => {
  it('deletes old sent and failed rows, keeps pending and young ones', async () => {
    await insertRows(7_000, 'sent', 30, 'old-sent');
    await insertRows(4_000, 'failed', 20, 'old-failed');
    await insertRows(50, 'pending', 40, 'old-pending');
    await insertRows(3_000, 'sent', 2, 'young-sent');
    expect(await countByLabel()).toEqual({
      'old-sent': 7_000,
      'old-failed': 4_000,
      'old-pending': 50,
      'young-sent': 3_000,
    });

    await parley.jobs.runNow('outbox:retention');

    expect(await countByLabel()).toEqual({ 'old-pending': 50, 'young-sent': 3_000 });
  });

  it('keeps everything when the retention is 0 (for ever)', async () => {
    await insertRows(10, 'sent', 400, 'ancient');
    expect(await runOutboxRetention(parley.deps, 0)).toEqual({ deleted: 0, done: true });
    expect((await countByLabel()).ancient).toBe(10);
    expect((await runOutboxRetention(parley.deps, 14)).deleted).toBe(10);
  });
});
