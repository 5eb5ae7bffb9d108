import { describe, expect, it } from 'vitest';
import {
  readTicketAction,
  renderTicketCard,
  statusChoices,
  TICKET_ACTION_IDS,
  type TicketCardView,
} from '../../../../adapters/slack/ticket-card.js';
import { truncate, escapeMrkdwn } from '../../../../adapters/slack/block-kit.js';
import { EN_LABELS } from '../../../../adapters/slack/labels.js';
import { blockKitProblems } from './block-kit-check.js';

const view: TicketCardView = {
  number: 'TK-2026-00042',
  subject: 'Order 1042 not delivered',
  customerName: 'Cust A',
  channel: 'whatsapp',
  category: 'order_issue',
  priority: 'high',
  status: 'new',
  assigneeName: null,
  slaDueAt: '2026-01-01T14:00:00.000Z',
  breached: false,
  links: { order_ref: '1042', invoice_ref: null },
};

type Node = Record<string, any>;
const blockOf = (blocks: Node[], type: string) => blocks.find((b) => b.type === type)!;
const actionsOf = (blocks: Node[]) => blockOf(blocks, 'actions').elements as Node[];
const allText = (blocks: Node[]) => JSON.stringify(blocks);

describe('renderTicketCard', () => {
  it('has a header, the fields, the links, the reply-mode line and the controls', () => {
    const { blocks } = renderTicketCard(view, { replyMode: 'replies_to_customer' });
    expect(blocks.map((b) => b.type)).toEqual([
      'header',
      'section',
      'context',
      'context',
      'actions',
    ]);
    expect(blockOf(blocks, 'header').text.text).toBe('TK-2026-00042 · Order 1042 not delivered');
    const fields = (blockOf(blocks, 'section').fields as Node[]).map((f) => f.text);
    expect(fields).toEqual([
      '*Customer*\nCust A',
      '*Channel*\nwhatsapp',
      '*Category*\norder_issue',
      '*Priority*\nHigh',
      '*Status*\nNew',
      '*Assignee*\nUnassigned',
      '*SLA due*\n<!date^1767276000^{date_short_pretty} {time}|2026-01-01T14:00:00.000Z>',
    ]);
    expect(blocks[2]).toEqual({
      type: 'context',
      block_id: 'ticket_links',
      elements: [{ type: 'mrkdwn', text: '*Order:* 1042' }],
    });
  });

  it('every control has its stable action_id and carries the ticket number', () => {
    const { blocks } = renderTicketCard(view, { replyMode: 'replies_to_customer' });
    const elements = actionsOf(blocks);
    expect(elements.map((e) => e.action_id)).toEqual([
      'ticket_claim',
      'ticket_assign',
      'ticket_status',
      'ticket_priority',
      'ticket_canned',
      'ticket_note',
      'ticket_resolve',
    ]);
    for (const button of elements.filter((e) => e.type === 'button')) {
      expect(button.value).toBe('TK-2026-00042');
    }
    const status = elements.find((e) => e.action_id === 'ticket_status')!;
    expect(status.type).toBe('static_select');
    expect(status.initial_option.value).toBe('TK-2026-00042|new');
    expect(status.options.map((o: Node) => o.value)).toEqual([
      'TK-2026-00042|new',
      'TK-2026-00042|assigned',
      'TK-2026-00042|in_progress',
      'TK-2026-00042|awaiting_customer',
      'TK-2026-00042|closed',
    ]);
    const priority = elements.find((e) => e.action_id === 'ticket_priority')!;
    expect(priority.initial_option).toEqual({
      text: { type: 'plain_text', text: 'High', emoji: true },
      value: 'TK-2026-00042|high',
    });
    expect(priority.options).toHaveLength(4);
  });

  it('says which reply mode is on; internal mode adds a Reply button', () => {
    const toCustomer = renderTicketCard(view, { replyMode: 'replies_to_customer' });
    const internal = renderTicketCard(view, { replyMode: 'replies_internal' });
    const line = (blocks: Node[]) =>
      blocks.find((b) => b.block_id === 'ticket_reply_mode')!.elements[0].text;
    expect(line(toCustomer.blocks)).toBe(
      'Thread replies go to the customer; start a note with `note:`',
    );
    expect(line(internal.blocks)).toBe(
      'Thread replies stay internal; use Reply to answer the customer',
    );
    expect(actionsOf(toCustomer.blocks).some((e) => e.action_id === 'ticket_reply')).toBe(false);
    expect(actionsOf(internal.blocks).find((e) => e.action_id === 'ticket_reply')).toMatchObject({
      type: 'button',
      value: 'TK-2026-00042',
    });
  });

  it('a resolved or closed ticket loses Claim, Assign and Resolve but can be reopened', () => {
    const { blocks } = renderTicketCard(
      { ...view, status: 'resolved' },
      { replyMode: 'replies_internal' },
    );
    const ids = actionsOf(blocks).map((e) => e.action_id);
    expect(ids).toEqual([
      'ticket_status',
      'ticket_priority',
      'ticket_reply',
      'ticket_canned',
      'ticket_note',
    ]);
    expect(statusChoices('resolved')).toContain('in_progress');
  });

  it('shows the assignee, a breached SLA, no SLA', () => {
    const breached = renderTicketCard(
      { ...view, assigneeName: 'Agent B', breached: true, status: 'in_progress' },
      { replyMode: 'replies_to_customer' },
    );
    const text = allText(breached.blocks);
    expect(text).toContain('*Assignee*\\nAgent B');
    expect(text).toContain(':rotating_light: *SLA breached*');
    expect(breached.text).toContain('SLA breached');
    const none = renderTicketCard(
      { ...view, slaDueAt: null, customerName: null },
      { replyMode: 'replies_to_customer' },
    );
    expect(allText(none.blocks)).toContain('*SLA due*\\nNo SLA');
    expect(allText(none.blocks)).toContain('Unknown customer');
  });

  it('a new block_id per state, so Slack redraws the selects after an update', () => {
    const a = blockOf(
      renderTicketCard(view, { replyMode: 'replies_to_customer' }).blocks,
      'actions',
    );
    const b = blockOf(
      renderTicketCard({ ...view, status: 'in_progress' }, { replyMode: 'replies_to_customer' })
        .blocks,
      'actions',
    );
    expect(a.block_id).not.toBe(b.block_id);
  });

  it('has a fallback text and escapes customer text (no mentions, no fake links)', () => {
    const hostile = {
      ...view,
      subject: 'Help <!channel> & <https://evil.test|your bank>',
      customerName: '<@U0TESTAGTB>',
      links: { order_ref: '<!here>' },
    };
    const card = renderTicketCard(hostile, { replyMode: 'replies_to_customer' });
    expect(card.text).toBe(
      'TK-2026-00042: Help &lt;!channel&gt; &amp; &lt;https://evil.test|your bank&gt; · &lt;@U0TESTAGTB&gt; · New · High · Unassigned',
    );
    const mrkdwnTexts = JSON.stringify(card.blocks.filter((b) => b.type !== 'header'));
    expect(mrkdwnTexts).not.toMatch(/<!channel>|<!here>|<@U0TESTAGTB>/);
    expect(mrkdwnTexts).toContain('&lt;!here&gt;');
    // The header is plain_text: Slack shows it literally.
    expect(blockOf(card.blocks, 'header').text.type).toBe('plain_text');
  });

  it('stays within Block Kit limits with very long text', () => {
    const long = 'x'.repeat(5000);
    const card = renderTicketCard(
      {
        ...view,
        subject: long,
        customerName: long,
        category: long,
        assigneeName: long,
        links: {
          order_ref: long,
          invoice_ref: long,
          product_sku: long,
          store_ref: long,
          batch_ref: long,
          crm_contact_id: long,
        },
      },
      { replyMode: 'replies_internal' },
    );
    expect(blockKitProblems(card.blocks, 'message')).toEqual([]);
    expect(blockOf(card.blocks, 'header').text.text).toHaveLength(150);
    expect(card.text.length).toBeLessThanOrEqual(3000);
    for (const status of [
      'new',
      'assigned',
      'in_progress',
      'awaiting_customer',
      'resolved',
      'closed',
    ] as const) {
      const c = renderTicketCard({ ...view, status }, { replyMode: 'replies_internal' });
      expect(blockKitProblems(c.blocks, 'message')).toEqual([]);
    }
  });

  it('takes translated labels', () => {
    const labels = {
      ...EN_LABELS,
      buttons: { ...EN_LABELS.buttons, claim: 'Ambil' },
      replyModeToCustomer: 'Balasan ke pelanggan',
    };
    const card = renderTicketCard(view, { replyMode: 'replies_to_customer', labels });
    expect(actionsOf(card.blocks)[0]!.text.text).toBe('Ambil');
    expect(allText(card.blocks)).toContain('Balasan ke pelanggan');
  });
});

describe('readTicketAction', () => {
  const { blocks } = renderTicketCard(view, { replyMode: 'replies_internal' });
  const el = (id: string) => actionsOf(blocks).find((e) => e.action_id === id)!;

  it('decodes button clicks and select choices from the rendered card', () => {
    for (const kind of ['claim', 'assign', 'resolve', 'note', 'reply'] as const) {
      const button = el(TICKET_ACTION_IDS[kind]);
      expect(
        readTicketAction({
          action_id: button.action_id,
          block_id: 'b',
          type: 'button',
          value: button.value,
        }),
      ).toEqual({ kind, ticketNumber: 'TK-2026-00042' });
    }
    const option = el('ticket_status').options.find((o: Node) =>
      o.value.endsWith('|awaiting_customer'),
    );
    expect(
      readTicketAction({
        action_id: 'ticket_status',
        block_id: 'b',
        type: 'static_select',
        selected_option: { value: option.value },
      }),
    ).toEqual({ kind: 'status', ticketNumber: 'TK-2026-00042', choice: 'awaiting_customer' });
    expect(
      readTicketAction({
        action_id: 'ticket_priority',
        block_id: 'b',
        type: 'static_select',
        selected_option: { value: 'TK-2026-00042|urgent' },
      }),
    ).toEqual({ kind: 'priority', ticketNumber: 'TK-2026-00042', choice: 'urgent' });
  });

  it('returns null for foreign or forged actions', () => {
    const a = { block_id: 'b', type: 'button' };
    expect(readTicketAction({ ...a, action_id: 'claim_ticket', value: '1042' })).toBeNull();
    expect(readTicketAction({ ...a, action_id: 'ticket_claim' })).toBeNull();
    expect(
      readTicketAction({
        ...a,
        action_id: 'ticket_status',
        selected_option: { value: 'TK-1|deleted' },
      }),
    ).toBeNull();
    expect(
      readTicketAction({
        ...a,
        action_id: 'ticket_priority',
        selected_option: { value: 'urgent' },
      }),
    ).toBeNull();
  });
});

describe('block-kit helpers', () => {
  it('truncate never splits a surrogate pair', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('ab😀cd', 4)).toBe('ab…');
    expect(truncate('abc', 3)).toBe('abc');
    expect(escapeMrkdwn('a<b>&c')).toBe('a&lt;b&gt;&amp;c');
  });
});
