/**
 * The agents' side of the inbound flood limit: one summary per hold ("TK-…: 37 more messages from
 * the customer in the last 1 minute, held from this thread …") in the ticket's Slack thread and
 * to its watchers, written when the hold ends (the `inbound:flood-summaries` sweep) or when the
 * next hold starts first (the inbound pipeline, under the conversation's lock).
 */
import { DEFAULT_INBOUND_FLOOD_LIMIT, inboundFloodLimit } from '../../domain/inbound-flood.js';
import type { Tenant } from '../../domain/records.js';
import type { Stores } from '../../ports/stores.js';
import type { AppDeps, BotDeps } from '../context.js';
import { staffLanguage } from '../../domain/staff-language.js';
import { enqueueStaffNotice } from '../staff-notices.js';
import { notifyWatchers } from '../watcher-notices.js';

/**
 * Tells the agents how many of the conversation's messages were held. Returns false when they
 * are on no ticket (nobody to tell; they join the ticket that adopts them).
 */
export async function writeFloodSummary(
  s: Stores,
  deps: Pick<AppDeps, 'staff' | 'staffPlatforms'>,
  bot: BotDeps,
  input: { tenant: Tenant; conversationId: string; heldCount: number },
): Promise<boolean> {
  const { tenant, conversationId, heldCount } = input;
  if (heldCount <= 0) return false;
  const ticketId = await s.inboundFlood.latestCustomerTicketId(tenant.id, conversationId);
  const ticket = ticketId ? await s.tickets.findById(tenant.id, ticketId) : null;
  if (!ticket) return false;
  const limit = inboundFloodLimit(tenant.settings) ?? DEFAULT_INBOUND_FLOOD_LIMIT;
  // In the team's language (staff_language); the text lives with the bot's, in all languages.
  const language = staffLanguage(tenant.settings);
  const text = bot.translator.t(language, 'flood.held_summary', {
    number: ticket.number,
    held: heldCount,
    window: bot.translator.duration(language, limit.per_seconds),
  });
  await enqueueStaffNotice(deps, s, {
    tenantId: tenant.id,
    ticketId: ticket.id,
    audience: { kind: 'ticket_thread', ticketId: ticket.id },
    text,
  });
  await notifyWatchers(s, deps, { type: 'ticket.messages_held', ticket, summary: text });
  return true;
}

/** The sweep: holds that ended with messages not yet summarized, claimed with SKIP LOCKED. */
export async function runFloodSummaries(
  deps: AppDeps,
  limit = 100,
): Promise<{ summarized: number; skipped: number }> {
  const bot = deps.bot;
  if (!bot) return { summarized: 0, skipped: 0 };
  const result = await deps.uow.transaction(async (s) => {
    const now = deps.clock.now();
    const tenants = new Map<string, Tenant | null>();
    const counts = { summarized: 0, skipped: 0 };
    for (const due of await s.inboundFlood.claimDueSummaries(now, limit)) {
      if (!tenants.has(due.tenantId)) {
        tenants.set(due.tenantId, await s.tenants.findById(due.tenantId));
      }
      const tenant = tenants.get(due.tenantId);
      const told =
        tenant !== null && tenant !== undefined
          ? await writeFloodSummary(s, deps, bot, {
              tenant,
              conversationId: due.conversationId,
              heldCount: due.heldCount,
            })
          : false;
      counts[told ? 'summarized' : 'skipped'] += 1;
      await s.conversations.update(due.tenantId, due.conversationId, { floodHeldCount: 0 }, now);
    }
    return counts;
  });
  if (result.summarized > 0) deps.onOutboxWrite?.();
  return result;
}
