/**
 * Outbox retention without an index of its own: ids grow with time, so the oldest rows are the
 * lowest ids. It walks the primary key in windows of ids from the smallest one left, deletes the
 * finished rows of each window that are older than the cutoff, and stops at the first window
 * holding a row created after it (every later window is younger). Rows still pending or sending
 * are never touched, whatever their age.
 */
import { sql } from 'drizzle-orm';
import type { OutboxRetentionStore } from '../ports/outbox-retention.js';
import type { Executor } from './executor.js';

const WINDOW = 5_000;

export function createOutboxRetentionStore(db: Executor): OutboxRetentionStore {
  /** The smallest id from `from` on (an index lookup however many ids were deleted below it). */
  const firstIdFrom = async (from: number): Promise<number | null> => {
    const result = await db.execute<{ id: string | null }>(
      sql`SELECT min(id) AS id FROM outbox WHERE id >= ${from}`,
    );
    const id = result.rows[0]?.id;
    return id === null || id === undefined ? null : Number(id);
  };
  return {
    async pruneFinished(before, maxRows) {
      let from = await firstIdFrom(0);
      let deleted = 0;
      while (from !== null && deleted < maxRows) {
        const to = from + WINDOW;
        // The outer SELECT reads the window as it was before the DELETE.
        const result = await db.execute<{ deleted: number; newest: Date | string | null }>(sql`
          WITH gone AS (
            DELETE FROM outbox
            WHERE id >= ${from} AND id < ${to}
              AND status IN ('sent', 'failed')
              AND created_at < ${before.toISOString()}::timestamptz
            RETURNING 1
          )
          SELECT (SELECT count(*)::int FROM gone) AS deleted,
                 (SELECT max(created_at) FROM outbox WHERE id >= ${from} AND id < ${to}) AS newest`);
        const row = result.rows[0];
        deleted += Number(row?.deleted ?? 0);
        if (row?.newest && new Date(row.newest) >= before) return { deleted, done: true };
        from = await firstIdFrom(to);
      }
      return { deleted, done: from === null };
    },
  };
}
