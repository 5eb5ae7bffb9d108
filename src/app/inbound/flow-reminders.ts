/**
 * Abandoned flows: a customer who stops answering the bot is reminded once, and if still silent
 * the flow expires (back to idle, with a note). Several processes may sweep: rows are claimed
 * with SKIP LOCKED inside the transaction that answers them.
 */
import type { AppDeps } from '../context.js';
import { renderSay, sendToConversation } from './conversation-outbound.js';
import { loadFlowContext } from './flow-context.js';
import { FLOW_REMINDER_MS } from './handle-inbound.js';

export async function runFlowReminders(
  deps: AppDeps,
  limit = 100,
): Promise<{ reminded: number; expired: number }> {
  const bot = deps.bot;
  if (!bot) return { reminded: 0, expired: 0 };
  const counts = await deps.uow.transaction(async (s) => {
    const now = deps.clock.now();
    let reminded = 0;
    let expired = 0;
    for (const conversation of await s.conversations.claimDueReminders(now, limit)) {
      const tenant = await s.tenants.findById(conversation.tenantId);
      if (!tenant) continue;
      const state = {
        flow: conversation.flow,
        step: conversation.step,
        data: conversation.data,
        language: conversation.language,
      };
      const first = conversation.remindedAt === null;
      const result = first
        ? bot.remind(state, await loadFlowContext(s, deps, tenant, conversation, now))
        : bot.expire(state);
      for (const effect of result.effects) {
        if (effect.type !== 'say' || conversation.blocked) continue;
        await sendToConversation(s, conversation, renderSay(bot, conversation.language, effect), {
          ticketId: null,
          authorType: 'bot',
          authorId: null,
          now,
        });
      }
      await s.conversations.update(
        conversation.tenantId,
        conversation.id,
        first
          ? { remindedAt: now, remindAt: new Date(now.getTime() + FLOW_REMINDER_MS) }
          : {
              flow: result.state.flow,
              step: result.state.step,
              data: result.state.data,
              remindAt: null,
            },
        now,
      );
      if (first) reminded += 1;
      else expired += 1;
    }
    return { reminded, expired };
  });
  if (counts.reminded + counts.expired > 0) deps.onOutboxWrite?.();
  return counts;
}
