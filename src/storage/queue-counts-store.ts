/**
 * The queue counts' deltas (`ticket_queue_counts`): folding them, and recounting from `tickets`.
 * The deltas themselves are written by the trigger on `tickets` (migration 0012).
 */
import { sql } from 'drizzle-orm';
import { OPEN_STATUSES } from '../domain/vocabulary.js';
import type { QueueCountsStore } from '../ports/queue-counts.js';
import type { Executor } from './executor.js';

const openStatuses = sql.raw(OPEN_STATUSES.map((s) => `'${s}'`).join(', '));

export function createQueueCountsStore(db: Executor): QueueCountsStore {
  return {
    async fold(minRows, maxTenants) {
      // A concurrent fold blocks on the rows this one deletes and then skips them (READ
      // COMMITTED re-checks a deleted row and drops it): each delta is summed exactly once.
      const result = await db.execute<{ tenants: number; rows: number }>(sql`
        WITH busy AS (
          SELECT tenant_id FROM ticket_queue_counts
          GROUP BY tenant_id HAVING count(*) > ${minRows}
          LIMIT ${maxTenants}
        ), gone AS (
          DELETE FROM ticket_queue_counts c USING busy
          WHERE c.tenant_id = busy.tenant_id
          RETURNING c.tenant_id, c.status, c.unassigned, c.n
        ), kept AS (
          INSERT INTO ticket_queue_counts (tenant_id, status, unassigned, n)
          SELECT tenant_id, status, unassigned, sum(n)::int FROM gone
          GROUP BY tenant_id, status, unassigned HAVING sum(n) <> 0
          RETURNING tenant_id
        )
        SELECT (SELECT count(*)::int FROM busy) AS tenants,
               (SELECT count(*)::int FROM gone) AS rows`);
      const row = result.rows[0];
      return { tenants: Number(row?.tenants ?? 0), rows: Number(row?.rows ?? 0) };
    },

    async rebuild(tenantId) {
      await db.transaction(async (tx) => {
        // SHARE mode: ticket writes (which append deltas), every tenant's, wait until the
        // recount commits, so none is counted twice or lost between the count and the replace.
        await tx.execute(sql`LOCK TABLE tickets IN SHARE MODE`);
        await tx.execute(sql`DELETE FROM ticket_queue_counts WHERE tenant_id = ${tenantId}`);
        await tx.execute(sql`
          INSERT INTO ticket_queue_counts (tenant_id, status, unassigned, n)
          SELECT tenant_id, status, assignee_id IS NULL, count(*)::int FROM tickets
          WHERE tenant_id = ${tenantId} AND status IN (${openStatuses})
          GROUP BY tenant_id, status, assignee_id IS NULL`);
      });
    },
  };
}
