/** The inbound flood limit's queries: recent customer messages, and holds whose summary is due. */
import { sql } from 'drizzle-orm';
import type { DueFloodSummary, InboundFloodStore } from '../ports/inbound-flood-store.js';
import type { Executor } from './executor.js';

export function createInboundFloodStore(db: Executor): InboundFloodStore {
  return {
    async countRecentCustomerMessages(tenantId, conversationId, since, cap) {
      // messages_conversation_idx (conversation_id, created_at), newest first, stops at `cap`.
      const result = await db.execute<{ n: number }>(sql`
        SELECT count(*)::int AS n FROM (
          SELECT 1 FROM messages
          WHERE conversation_id = ${conversationId}::uuid
            AND tenant_id = ${tenantId}::uuid
            AND created_at > ${since}::timestamptz
            AND author_type = 'customer'
          ORDER BY created_at DESC
          LIMIT ${cap}::int
        ) recent`);
      return Number(result.rows[0]?.n ?? 0);
    },

    async latestCustomerTicketId(tenantId, conversationId) {
      const result = await db.execute<{ ticket_id: string }>(sql`
        SELECT ticket_id FROM messages
        WHERE conversation_id = ${conversationId}::uuid
          AND tenant_id = ${tenantId}::uuid
          AND author_type = 'customer' AND ticket_id IS NOT NULL
        ORDER BY created_at DESC
        LIMIT 1`);
      return result.rows[0]?.ticket_id ?? null;
    },

    async claimDueSummaries(at, limit): Promise<DueFloodSummary[]> {
      // conversations_flood_summary_idx (flood_hold_until WHERE flood_held_count > 0).
      const result = await db.execute<{
        tenant_id: string;
        id: string;
        flood_held_count: number;
        flood_hold_until: Date | string;
      }>(sql`
        SELECT tenant_id, id, flood_held_count, flood_hold_until FROM conversations
        WHERE flood_held_count > 0 AND flood_hold_until <= ${at}::timestamptz
        ORDER BY flood_hold_until
        LIMIT ${limit}::int
        FOR UPDATE SKIP LOCKED`);
      return result.rows.map((r) => ({
        tenantId: r.tenant_id,
        conversationId: r.id,
        heldCount: Number(r.flood_held_count),
        holdUntil: new Date(r.flood_hold_until),
      }));
    },
  };
}
