/**
 * An agent's public reply goes to the customer on the channel the ticket came from. On WhatsApp,
 * outside the 24-hour customer-service window a free-form message would be refused (131047), so
 * the tenant's approved template is sent instead and the agent is told so in an internal note.
 */
import type { Message, Ticket } from '../domain/records.js';
import { serviceWindow } from '../domain/whatsapp-window.js';
import type { Stores } from '../ports/stores.js';
import type { AppDeps } from './context.js';
import { type OutboundContent, sendToConversation } from './inbound/conversation-outbound.js';
import { staffTextOf } from './staff-text.js';

export type ReplyRoute = 'sent' | 'template' | 'undeliverable' | 'no_channel';

export async function deliverAgentReply(
  s: Stores,
  deps: AppDeps,
  ticket: Ticket,
  message: Message,
  now: Date,
): Promise<ReplyRoute> {
  const conversation = ticket.conversationId
    ? await s.conversations.findById(ticket.tenantId, ticket.conversationId)
    : await s.conversations.findLatestForCustomer(
        ticket.tenantId,
        ticket.customer.id,
        ticket.channel,
      );
  if (!conversation) {
    await s.messages.setDeliveryStatus(
      ticket.tenantId,
      message.id,
      'failed',
      `the customer has no ${ticket.channel} chat with us yet, so there is nowhere to send this`,
    );
    return 'no_channel';
  }

  let content: OutboundContent = { text: message.body };
  const first = message.attachments[0];
  if (first) {
    content = {
      media: {
        kind: first.mimeType.startsWith('image/') ? 'photo' : 'document',
        sha256: first.sha256,
        mimeType: first.mimeType,
        fileName: first.fileName,
        caption: message.body,
      },
    };
  }
  let route: ReplyRoute = 'sent';
  if (conversation.channel === 'whatsapp' && !serviceWindow(conversation.lastInboundAt, now).open) {
    const template = deps.bot?.whatsappTemplate;
    const note = async (body: string) =>
      s.messages.insert({
        tenantId: ticket.tenantId,
        ticketId: ticket.id,
        authorType: 'system',
        authorId: null,
        body,
        internal: true,
        channel: 'whatsapp',
        createdAt: now,
      });
    if (!template) {
      await s.messages.setDeliveryStatus(
        ticket.tenantId,
        message.id,
        'failed',
        'outside the WhatsApp 24-hour window and no template is configured',
      );
      await note((await staffTextOf(deps, s, ticket.tenantId))('notice.whatsapp_no_template'));
      return 'undeliverable';
    }
    content = {
      template: { name: template.name, language: template.language, bodyParams: [ticket.number] },
    };
    const t = await staffTextOf(deps, s, ticket.tenantId);
    await note(t('notice.whatsapp_template_sent', { template: template.name }));
    route = 'template';
  }
  await sendToConversation(s, conversation, content, {
    ticketId: ticket.id,
    authorType: 'agent',
    authorId: message.authorId,
    now,
    messageId: message.id,
  });
  return route;
}
