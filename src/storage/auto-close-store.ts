/** Auto-close claims: resolved tickets past their tenant's delay, across tenants. */
import { sql } from 'drizzle-orm';
import { DEFAULT_AUTO_CLOSE_AFTER_HOURS } from '../domain/timer-settings.js';
import type { AutoCloseStore } from '../ports/timer-stores.js';
import type { Executor } from './executor.js';

/** The shortest delay a tenant may set (settings: 1..8760 h): bounds the index range scanned. */
const MIN_DELAY = sql`interval '1 hour'`;

export function createAutoCloseStore(db: Executor): AutoCloseStore {
  return {
    async claimDue(at, limit) {
      // Walks `tickets_resolved_at_idx` (status = 'resolved') oldest first; LIMIT stops early.
      const result = await db.execute<{ id: string; tenant_id: string }>(sql`
        SELECT t.id, t.tenant_id
        FROM tickets t
        JOIN tenants tn ON tn.id = t.tenant_id
        WHERE t.status = 'resolved'
          AND t.resolved_at <= ${at}::timestamptz - ${MIN_DELAY}
          AND (tn.settings -> 'auto_close_after_hours') IS DISTINCT FROM 'null'::jsonb
          AND t.resolved_at <= ${at}::timestamptz - make_interval(hours =>
                coalesce((tn.settings ->> 'auto_close_after_hours')::int,
                         ${DEFAULT_AUTO_CLOSE_AFTER_HOURS}::int))
        ORDER BY t.resolved_at, t.id
        LIMIT ${limit}::int
        FOR UPDATE OF t SKIP LOCKED`);
      return result.rows.map((r) => ({ tenantId: r.tenant_id, ticketId: r.id }));
    },

    async clearCsatQuestion(tenantId, conversationId, ticketId, at) {
      const locked = await db.execute<{ csat_ticket_id: string | null }>(sql`
        SELECT csat_ticket_id FROM conversations
        WHERE tenant_id = ${tenantId}::uuid AND id = ${conversationId}::uuid
        FOR UPDATE SKIP LOCKED`);
      const row = locked.rows[0];
      if (!row) {
        const exists = await db.execute(sql`
          SELECT 1 FROM conversations
          WHERE tenant_id = ${tenantId}::uuid AND id = ${conversationId}::uuid`);
        return exists.rows.length > 0 ? 'busy' : 'none';
      }
      if (row.csat_ticket_id !== ticketId) return 'none';
      await db.execute(sql`
        UPDATE conversations SET csat_ticket_id = NULL, updated_at = ${at}::timestamptz
        WHERE tenant_id = ${tenantId}::uuid AND id = ${conversationId}::uuid`);
      return 'cleared';
    },
  };
}
