/** Slack cards: one per ticket, found again by its thread. */
import { and, eq } from 'drizzle-orm';
import type { SlackCardStore } from '../ports/stores.js';
import type { Executor } from './executor.js';
import { slackCards } from './schema.js';

export function createSlackCardStore(db: Executor): SlackCardStore {
  const pick = (r: typeof slackCards.$inferSelect) => ({
    ticketId: r.ticketId,
    channel: r.channel,
    ts: r.ts,
  });
  return {
    async save(tenantId, card) {
      await db
        .insert(slackCards)
        .values({ tenantId, ...card })
        .onConflictDoUpdate({
          target: slackCards.ticketId,
          set: { channel: card.channel, ts: card.ts },
        });
    },
    async findByTicket(tenantId, ticketId) {
      const [row] = await db
        .select()
        .from(slackCards)
        .where(and(eq(slackCards.tenantId, tenantId), eq(slackCards.ticketId, ticketId)));
      return row ? pick(row) : null;
    },
    async findByThread(tenantId, channel, ts) {
      const [row] = await db
        .select()
        .from(slackCards)
        .where(
          and(
            eq(slackCards.tenantId, tenantId),
            eq(slackCards.channel, channel),
            eq(slackCards.ts, ts),
          ),
        );
      return row ? pick(row) : null;
    },
  };
}
