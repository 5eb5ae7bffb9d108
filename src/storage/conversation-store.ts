/** Conversations: one per (tenant, channel, chat); the row lock serializes a chat's messages. */
import { and, eq, sql } from 'drizzle-orm';
import type { CustomerChannel } from '../ports/channel.js';
import type { Conversation, ConversationStore } from '../ports/stores.js';
import type { Executor } from './executor.js';
import { conversations } from './schema.js';

type Row = typeof conversations.$inferSelect;

const toConversation = (r: Row): Conversation => ({
  id: r.id,
  tenantId: r.tenantId,
  channel: r.channel as CustomerChannel,
  chatId: r.chatId,
  customerId: r.customerId,
  language: r.language,
  flow: r.flow,
  step: r.step,
  data: (r.data ?? {}) as Record<string, unknown>,
  csatTicketId: r.csatTicketId,
  blocked: r.blocked,
  lastInboundAt: r.lastInboundAt,
  lastOutboundAt: r.lastOutboundAt,
  remindAt: r.remindAt,
  remindedAt: r.remindedAt,
  floodHoldUntil: r.floodHoldUntil,
  floodHeldCount: r.floodHeldCount,
});

export function createConversationStore(db: Executor): ConversationStore {
  const byChat = (tenantId: string, channel: string, chatId: string) =>
    and(
      eq(conversations.tenantId, tenantId),
      eq(conversations.channel, channel),
      eq(conversations.chatId, chatId),
    );
  return {
    async lockOrCreate(tenantId, channel, chatId, init) {
      // Usually the chat is known: one statement. Otherwise create it (or lose the race), then lock.
      const lock = () =>
        db
          .select()
          .from(conversations)
          .where(byChat(tenantId, channel, chatId))
          .for('update');
      const [known] = await lock();
      if (known) return toConversation(known);
      await db
        .insert(conversations)
        .values({ tenantId, channel, chatId, customerId: init.customerId, language: init.language })
        .onConflictDoNothing();
      const [row] = await lock();
      if (!row) throw new Error('conversation vanished');
      return toConversation(row);
    },
    async findById(tenantId, id, opts) {
      let q = db
        .select()
        .from(conversations)
        .where(and(eq(conversations.tenantId, tenantId), eq(conversations.id, id)))
        .$dynamic();
      if (opts?.forUpdate) q = q.for('update');
      const [row] = await q;
      return row ? toConversation(row) : null;
    },
    async lockForTicket(tenantId, ticket) {
      const match =
        'id' in ticket ? sql`t.id = ${ticket.id}::uuid` : sql`t.number = ${ticket.number}`;
      await db.execute(sql`
        SELECT c.id FROM ${conversations} c
        JOIN tickets t ON t.conversation_id = c.id AND t.tenant_id = c.tenant_id
        WHERE t.tenant_id = ${tenantId}::uuid AND ${match}
        FOR UPDATE OF c`);
    },
    async findByChat(tenantId, channel, chatId) {
      const [row] = await db
        .select()
        .from(conversations)
        .where(byChat(tenantId, channel, chatId));
      return row ? toConversation(row) : null;
    },
    async findLatestForCustomer(tenantId, customerId, channel) {
      const [row] = await db
        .select()
        .from(conversations)
        .where(
          and(
            eq(conversations.tenantId, tenantId),
            eq(conversations.customerId, customerId),
            eq(conversations.channel, channel),
          ),
        )
        .orderBy(sql`${conversations.lastInboundAt} desc nulls last`)
        .limit(1);
      return row ? toConversation(row) : null;
    },
    async claimDueReminders(at, limit) {
      const rows = await db
        .select()
        .from(conversations)
        .where(sql`${conversations.remindAt} <= ${at}`)
        .orderBy(conversations.remindAt)
        .limit(limit)
        .for('update', { skipLocked: true });
      return rows.map(toConversation);
    },
    async update(tenantId, id, patch, at) {
      await db
        .update(conversations)
        .set({ ...patch, updatedAt: at })
        .where(and(eq(conversations.tenantId, tenantId), eq(conversations.id, id)));
    },
  };
}
