/** What the web chat page shows: the visitor's conversation, oldest first, after a cursor. */
import type { Tenant } from '../domain/records.js';
import type { OutboundButton, OutboundMessage } from '../ports/channel.js';
import type { AppDeps } from './context.js';

export interface WebchatHistoryItem {
  id: string;
  author: 'customer' | 'bot' | 'agent';
  text: string;
  buttons?: OutboundButton[];
  list?: OutboundMessage['list'];
  created_at: string;
  client_message_id?: string;
}

export async function webchatHistory(
  deps: AppDeps,
  tenant: Tenant,
  session: string,
  after: string | undefined,
): Promise<WebchatHistoryItem[]> {
  const conversation = await deps.uow.read.conversations.findByChat(tenant.id, 'webchat', session);
  if (!conversation) return [];
  const validAfter = after && /^[0-9a-f-]{36}$/i.test(after) ? after : undefined;
  const rows = await deps.uow.read.messages.listForConversation(
    tenant.id,
    conversation.id,
    validAfter,
    200,
  );
  return rows.map((m) => {
    const item: WebchatHistoryItem = {
      id: m.id,
      author: m.authorType === 'customer' ? 'customer' : m.authorType === 'agent' ? 'agent' : 'bot',
      text: m.body,
      created_at: m.createdAt.toISOString(),
    };
    const extras = m.outbound as {
      buttons?: OutboundButton[];
      list?: OutboundMessage['list'];
    } | null;
    if (extras?.buttons) item.buttons = extras.buttons;
    if (extras?.list) item.list = extras.list;
    const prefix = `${session}:`;
    if (m.authorType === 'customer' && m.externalId?.startsWith(prefix)) {
      item.client_message_id = m.externalId.slice(prefix.length);
    }
    return item;
  });
}
