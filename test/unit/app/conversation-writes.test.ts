import { describe, expect, it } from 'vitest';
import { deferConversationWrites } from '../../../src/app/inbound/conversation-writes.js';
import type { Conversation, ConversationPatch, Stores } from '../../../src/ports/stores.js';

type Call = [string, ...unknown[]];

/** Stores whose conversation and WhatsApp-window methods only record their calls. */
function recordingStores(): { stores: Stores; calls: Call[] } {
  const calls: Call[] = [];
  const conversations = {
    async update(t: string, id: string, patch: ConversationPatch, at: Date) {
      calls.push(['update', t, id, patch, at]);
    },
    async findById(t: string, id: string) {
      calls.push(['findById', t, id]);
      return null as Conversation | null;
    },
  };
  const whatsappWindows = {
    async setWarnAt(t: string, id: string, at: Date | null) {
      calls.push(['setWarnAt', t, id, at]);
    },
  };
  return { stores: { conversations, whatsappWindows } as unknown as Stores, calls };
}

const t1 = new Date('2026-05-04T08:00:00Z');
const t2 = new Date('2026-05-04T08:00:01Z');

describe('deferConversationWrites', () => {
  it('merges the changes to its conversation into one update, later values winning', async () => {
    const { stores, calls } = recordingStores();
    const w = deferConversationWrites(stores, 'tn', 'c1');
    await w.stores.conversations.update('tn', 'c1', { lastInboundAt: t1, blocked: false }, t1);
    await w.stores.conversations.update('tn', 'c1', { lastOutboundAt: t1 }, t1);
    await w.stores.whatsappWindows.setWarnAt('tn', 'c1', t2);
    await w.stores.conversations.update('tn', 'c1', { flow: 'intake', language: 'de' }, t2);
    await w.stores.conversations.update('tn', 'c1', { language: 'fr', blocked: true }, t2);
    expect(calls).toEqual([]);
    await w.flush();
    expect(calls).toEqual([
      [
        'update',
        'tn',
        'c1',
        {
          lastInboundAt: t1,
          blocked: true,
          lastOutboundAt: t1,
          flow: 'intake',
          language: 'fr',
          windowWarnAt: t2,
        },
        t2,
      ],
    ]);
    await w.flush();
    expect(calls).toHaveLength(1);
  });

  it('writes other conversations at once, and what is pending before a read', async () => {
    const { stores, calls } = recordingStores();
    const w = deferConversationWrites(stores, 'tn', 'c1');
    await w.stores.conversations.update('tn', 'c2', { blocked: true }, t1);
    await w.stores.whatsappWindows.setWarnAt('tn', 'c2', null);
    expect(calls.map((c) => [c[0], c[2]])).toEqual([
      ['update', 'c2'],
      ['setWarnAt', 'c2'],
    ]);
    await w.stores.conversations.update('tn', 'c1', { csatTicketId: null }, t1);
    await w.stores.conversations.findById('tn', 'c1');
    expect(calls.slice(2)).toEqual([
      ['update', 'tn', 'c1', { csatTicketId: null }, t1],
      ['findById', 'tn', 'c1'],
    ]);
  });

  it('sets only the WhatsApp timer when nothing else changed (no updated_at touch)', async () => {
    const { stores, calls } = recordingStores();
    const w = deferConversationWrites(stores, 'tn', 'c1');
    await w.stores.whatsappWindows.setWarnAt('tn', 'c1', t1);
    await w.flush();
    expect(calls).toEqual([['setWarnAt', 'tn', 'c1', t1]]);
  });
});
