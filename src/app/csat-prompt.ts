/** When a chat ticket is resolved, the customer is asked "Was this solved?" in their language. */
import type { Ticket } from '../domain/records.js';
import type { Stores } from '../ports/stores.js';
import type { AppDeps } from './context.js';
import { renderSay, sendToConversation } from './inbound/conversation-outbound.js';

export async function promptCsat(
  s: Stores,
  deps: AppDeps,
  ticket: Ticket,
  now: Date,
): Promise<boolean> {
  const bot = deps.bot;
  if (!bot || !ticket.conversationId) return false;
  const conversation = await s.conversations.findById(ticket.tenantId, ticket.conversationId);
  if (!conversation || conversation.blocked) return false;
  const question = bot.csatQuestion({
    number: ticket.number,
    subject: ticket.subject,
    status: ticket.status,
  });
  await sendToConversation(s, conversation, renderSay(bot, conversation.language, question), {
    ticketId: ticket.id,
    authorType: 'bot',
    authorId: null,
    now,
  });
  await s.conversations.update(ticket.tenantId, conversation.id, { csatTicketId: ticket.id }, now);
  return true;
}
