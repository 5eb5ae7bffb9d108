/** WhatsApp's 24-hour window as a timer: `conversations.window_warn_at` and its claims. */
import { and, eq, sql } from 'drizzle-orm';
import type { WhatsappWindowStore } from '../ports/timer-stores.js';
import type { Executor } from './executor.js';
import { conversations } from './schema.js';

export function createWhatsappWindowStore(db: Executor): WhatsappWindowStore {
  return {
    async setWarnAt(tenantId, conversationId, at) {
      await db
        .update(conversations)
        .set({ windowWarnAt: at })
        .where(and(eq(conversations.tenantId, tenantId), eq(conversations.id, conversationId)));
    },

    async claimDue(at, limit) {
      const rows = await db
        .select({
          tenantId: conversations.tenantId,
          conversationId: conversations.id,
          customerId: conversations.customerId,
          lastInboundAt: conversations.lastInboundAt,
        })
        .from(conversations)
        .where(sql`${conversations.windowWarnAt} <= ${at}::timestamptz`)
        .orderBy(conversations.windowWarnAt)
        .limit(limit)
        .for('update', { skipLocked: true });
      return rows;
    },

    async agentRepliedSince(tenantId, refs, since) {
      const result = await db.execute(sql`
        SELECT 1 FROM messages
        WHERE tenant_id = ${tenantId}::uuid
          AND (ticket_id = ${refs.ticketId}::uuid OR conversation_id = ${refs.conversationId}::uuid)
          AND author_type = 'agent' AND NOT internal
          AND created_at >= ${since}::timestamptz
        LIMIT 1`);
      return result.rows.length > 0;
    },
  };
}
