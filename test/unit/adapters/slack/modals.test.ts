import { describe, expect, it } from 'vitest';
import { flattenValues } from '../../../../adapters/slack/inbound.js';
import {
  MODAL_INPUTS,
  readModalSubmission,
  renderModal,
  type ModalKind,
} from '../../../../adapters/slack/modals.js';
import { renderModal as reexported } from '../../../../adapters/slack/ticket-card.js';
import { blockKitProblems } from './block-kit-check.js';

type Node = Record<string, any>;
const inputs = (blocks: Node[]) => blocks.filter((b) => b.type === 'input');

/** What Slack would put in `view.state.values` for the given inputs. */
function submitted(kind: ModalKind, values: Record<string, Node>) {
  const view = renderModal(kind, 'TK-2026-00042');
  return {
    id: 'V1',
    callback_id: view.callback_id!,
    private_metadata: view.private_metadata!,
    values: flattenValues(values),
  };
}

describe('renderModal', () => {
  it.each(['assign', 'resolve', 'note', 'reply'] as const)(
    '%s: callback_id ticket_<kind>, the ticket number as private_metadata, within limits',
    (kind) => {
      const view = renderModal(kind, 'TK-2026-00042', { subject: 'Order <!channel> late' });
      expect(view.type).toBe('modal');
      expect(view.callback_id).toBe(`ticket_${kind}`);
      expect(view.private_metadata).toBe('TK-2026-00042');
      expect(view.title.text.length).toBeLessThanOrEqual(24);
      expect(view.submit?.text.length).toBeLessThanOrEqual(24);
      expect(JSON.stringify(view.blocks)).toContain('Order &lt;!channel&gt; late');
      expect(blockKitProblems(view.blocks as Node[], 'modal')).toEqual([]);
      expect(reexported).toBe(renderModal);
    },
  );

  it('assign: a users_select, optionally preselected', () => {
    const [input] = inputs(
      renderModal('assign', 'TK-2026-00042', { initialAssignee: 'U0TESTAGTB' }).blocks,
    );
    expect(input).toMatchObject({
      block_id: 'assignee',
      element: { type: 'users_select', action_id: 'user', initial_user: 'U0TESTAGTB' },
    });
  });

  it('resolve: a select of resolution codes, notes and reference', () => {
    const blocks = inputs(renderModal('resolve', 'TK-2026-00042').blocks);
    expect(
      blocks.map((b) => [b.block_id, b.element.action_id, b.element.type, b.optional]),
    ).toEqual([
      ['resolution_code', 'code', 'static_select', false],
      ['resolution_notes', 'notes', 'plain_text_input', true],
      ['resolution_reference', 'reference', 'plain_text_input', true],
    ]);
    expect(blocks[0]!.element.options.map((o: Node) => o.value)).toEqual([
      'credit_note',
      'replacement',
      'refund',
      'no_action',
      'goodwill',
      'fixed',
      'answered',
    ]);
    const fewer = inputs(
      renderModal('resolve', 'TK-2026-00042', { resolutionCodes: ['refund'] }).blocks,
    );
    expect(fewer[0]!.element.options).toEqual([
      { text: { type: 'plain_text', text: 'Refund', emoji: true }, value: 'refund' },
    ]);
  });

  it('note and reply: a multiline box, prefilled when asked, with a hint saying who sees it', () => {
    const reply = renderModal('reply', 'TK-2026-00042', { initialText: 'Hello' });
    expect(inputs(reply.blocks)[0]).toMatchObject({
      block_id: 'reply',
      element: {
        type: 'plain_text_input',
        multiline: true,
        initial_value: 'Hello',
        max_length: 3000,
      },
    });
    expect(JSON.stringify(reply.blocks)).toContain('The customer receives this message.');
    expect(JSON.stringify(renderModal('note', 'TK-2026-00042').blocks)).toContain(
      'Only agents see this note.',
    );
  });
});

describe('readModalSubmission', () => {
  const text = (value: string | null) => ({ type: 'plain_text_input', value });

  it('decodes each modal', () => {
    expect(
      readModalSubmission(
        submitted('assign', { assignee: { user: { type: 'users_select', selected_user: 'U9' } } }),
      ),
    ).toEqual({ kind: 'assign', ticketNumber: 'TK-2026-00042', slackUserId: 'U9' });
    expect(
      readModalSubmission(
        submitted('resolve', {
          resolution_code: {
            code: { type: 'static_select', selected_option: { value: 'refund' } },
          },
          resolution_notes: { notes: text('  Refunded in full ') },
          resolution_reference: { reference: text(null) },
        }),
      ),
    ).toEqual({
      kind: 'resolve',
      ticketNumber: 'TK-2026-00042',
      code: 'refund',
      notes: 'Refunded in full',
    });
    expect(
      readModalSubmission(submitted('note', { note: { text: text('checked stock') } })),
    ).toEqual({
      kind: 'note',
      ticketNumber: 'TK-2026-00042',
      text: 'checked stock',
    });
    expect(
      readModalSubmission(submitted('reply', { reply: { text: text('On its way') } })),
    ).toEqual({
      kind: 'reply',
      ticketNumber: 'TK-2026-00042',
      text: 'On its way',
    });
  });

  it('returns null for other views, missing inputs or unknown codes', () => {
    const [block, action] = MODAL_INPUTS.code;
    expect(
      readModalSubmission({ ...submitted('note', {}), callback_id: 'new_ticket_modal' }),
    ).toBeNull();
    expect(readModalSubmission(submitted('note', { note: { text: text('   ') } }))).toBeNull();
    expect(
      readModalSubmission({
        ...submitted('reply', { reply: { text: text('x') } }),
        private_metadata: '',
      }),
    ).toBeNull();
    expect(
      readModalSubmission(
        submitted('resolve', {
          [block]: { [action]: { type: 'static_select', selected_option: { value: 'bribe' } } },
        }),
      ),
    ).toBeNull();
  });
});

describe('the canned reply modal', () => {
  const replies = Array.from({ length: 130 }, (_, i) => ({
    name: `reply-${String(i).padStart(3, '0')}`,
    preview: i === 0 ? `Hello <!channel> ${'x'.repeat(200)}` : '',
  }));

  it('offers at most 100 names in a static_select, with an English preview, within limits', () => {
    const view = renderModal('canned', 'TK-2026-00042', { cannedReplies: replies });
    expect(view.callback_id).toBe('ticket_canned');
    expect(view.private_metadata).toBe('TK-2026-00042');
    const [select] = inputs(view.blocks as Node[]);
    expect(select!.block_id).toBe(MODAL_INPUTS.canned[0]);
    expect(select!.element).toMatchObject({ type: 'static_select', action_id: 'name' });
    const options = select!.element.options as Node[];
    expect(options).toHaveLength(100);
    expect(options[0]).toMatchObject({ value: 'reply-000', text: { text: 'reply-000' } });
    expect(options[0]!.description.text.length).toBeLessThanOrEqual(75);
    expect(options[1]!.description).toBeUndefined();
    expect(JSON.stringify(view.blocks)).toContain('Only the first 100');
    expect(blockKitProblems(view.blocks as Node[], 'modal')).toEqual([]);
    const few = renderModal('canned', 'TK-2026-00042', { cannedReplies: replies.slice(1, 3) });
    expect(JSON.stringify(few.blocks)).not.toContain('Only the first 100');
  });

  it('a submission names the chosen reply; a malformed name is refused', () => {
    const pick = (value: string) =>
      readModalSubmission(
        submitted('canned', {
          canned_reply: { name: { type: 'static_select', selected_option: { value } } },
        }),
      );
    expect(pick('thanks')).toEqual({
      kind: 'canned',
      ticketNumber: 'TK-2026-00042',
      name: 'thanks',
    });
    expect(pick('Thanks!')).toBeNull();
    expect(readModalSubmission(submitted('canned', {}))).toBeNull();
  });
});
