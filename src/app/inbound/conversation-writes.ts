/**
 * One UPDATE of the conversation per inbound event. The inbound transaction changes its
 * conversation several times (the customer's message, each bot reply's `last_outbound_at`, the
 * WhatsApp window timer, the flow's new state…); with the row locked for the whole transaction
 * nobody else can see the intermediate versions, so the changes are merged here and written once,
 * before commit. A read of the conversation through these stores writes what is pending first, so
 * what the transaction reads is what it wrote.
 */
import type { ConversationPatch, Stores } from '../../ports/stores.js';

export interface ConversationWrites {
  /** The stores to run the event's work on: writes to `conversationId` wait for `flush`. */
  stores: Stores;
  /** Writes the merged changes (one statement; none when nothing changed). */
  flush(): Promise<void>;
}

export function deferConversationWrites(
  s: Stores,
  tenantId: string,
  conversationId: string,
): ConversationWrites {
  let pending: { patch: ConversationPatch; at: Date } | null = null;
  /** The WhatsApp window timer, when set (it alone does not touch `updated_at`). */
  let warnAt: { at: Date | null } | null = null;

  async function flush(): Promise<void> {
    const changes = pending;
    const timer = warnAt;
    pending = null;
    warnAt = null;
    if (changes) {
      const patch = timer ? { ...changes.patch, windowWarnAt: timer.at } : changes.patch;
      await s.conversations.update(tenantId, conversationId, patch, changes.at);
    } else if (timer) {
      await s.whatsappWindows.setWarnAt(tenantId, conversationId, timer.at);
    }
  }

  const ours = (t: string, id: string) => t === tenantId && id === conversationId;
  const conversations: Stores['conversations'] = {
    ...s.conversations,
    async update(t, id, patch, at) {
      if (!ours(t, id)) return s.conversations.update(t, id, patch, at);
      // Later changes win, as they would have with one UPDATE each.
      pending = { patch: { ...pending?.patch, ...patch }, at };
    },
    async findById(t, id, opts) {
      await flush();
      return s.conversations.findById(t, id, opts);
    },
    async findByChat(t, channel, chatId) {
      await flush();
      return s.conversations.findByChat(t, channel, chatId);
    },
    async findLatestForCustomer(t, customerId, channel) {
      await flush();
      return s.conversations.findLatestForCustomer(t, customerId, channel);
    },
    async lockForTicket(t, ticket) {
      await flush();
      return s.conversations.lockForTicket(t, ticket);
    },
    async claimDueReminders(at, limit) {
      await flush();
      return s.conversations.claimDueReminders(at, limit);
    },
  };
  const whatsappWindows: Stores['whatsappWindows'] = {
    ...s.whatsappWindows,
    async setWarnAt(t, id, at) {
      if (!ours(t, id)) return s.whatsappWindows.setWarnAt(t, id, at);
      warnAt = { at };
    },
    async claimDue(at, limit) {
      await flush();
      return s.whatsappWindows.claimDue(at, limit);
    },
  };
  return { stores: { ...s, conversations, whatsappWindows }, flush };
}
