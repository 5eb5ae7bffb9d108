/**
 * Canned replies: the tenant's text for a name, in the customer's language (the conversation's,
 * else the customer's, else English), placeholders filled, sent through the normal agent-reply
 * path (addTicketMessage: WhatsApp window, delivery status, first response, the Slack thread).
 */
import { type CannedReplies, fillPlaceholders, pickCannedText } from '../domain/canned-replies.js';
import type { Agent, Message, Ticket } from '../domain/records.js';
import type { AppDeps, RequestContext } from './context.js';
import { addTicketMessage } from './ticket-messages.js';

export interface CannedReplyText {
  name: string;
  language: string;
  text: string;
}

/** The language the customer of `ticket` reads: their conversation's, else their own; null if unknown. */
export async function customerLanguage(deps: AppDeps, ticket: Ticket): Promise<string | null> {
  const read = deps.uow.read;
  const conversation = ticket.conversationId
    ? await read.conversations.findById(ticket.tenantId, ticket.conversationId)
    : await read.conversations.findLatestForCustomer(
        ticket.tenantId,
        ticket.customer.id,
        ticket.channel,
      );
  if (conversation?.language) return conversation.language;
  return (await read.customers.findById(ticket.tenantId, ticket.customer.id))?.language ?? null;
}

/** The reply `name` as the customer of `ticket` would get it from `agent`; null for an unknown name. */
export async function renderCannedReply(
  deps: AppDeps,
  replies: CannedReplies | undefined,
  name: string,
  ticket: Ticket,
  agent: Pick<Agent, 'name'>,
): Promise<CannedReplyText | null> {
  if (!replies || !Object.hasOwn(replies, name)) return null;
  const picked = pickCannedText(replies, name, [await customerLanguage(deps, ticket)]);
  if (!picked) return null;
  const text = fillPlaceholders(picked.text, {
    customer_name: ticket.customer.name,
    ticket_number: ticket.number,
    agent_name: agent.name,
  });
  return { name, language: picked.language, text };
}

/** Sends the canned reply `name` on `ticket` as the acting agent; null for an unknown name. */
export async function sendCannedReply(
  deps: AppDeps,
  req: RequestContext,
  ticket: Ticket,
  name: string,
  agent: Pick<Agent, 'name'>,
): Promise<{ reply: CannedReplyText; message: Message } | null> {
  const reply = await renderCannedReply(
    deps,
    req.tenant.settings.canned_replies,
    name,
    ticket,
    agent,
  );
  if (!reply) return null;
  const message = await addTicketMessage(deps, req, ticket.id, { body: reply.text });
  return { reply, message };
}
