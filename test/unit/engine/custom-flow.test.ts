import { describe, expect, it } from 'vitest';
import { createFlowRegistry, parseFlow } from '../../../src/engine/flow-definition.js';
import { Chat, idleState, makeCtx } from './conversation.js';

/** A tenant flow exercising branch, set, static choices with branches, and an ask_photo always required. */
const warrantyFlow = parseFlow({
  name: 'intake',
  start: 'kind',
  steps: {
    kind: {
      kind: 'ask_choice',
      key: 'intake.category',
      field: 'kind',
      options: [
        { id: 'broken', key: 'category.quality_issue' },
        { id: 'question', key: 'category.general_inquiry' },
      ],
      branches: { broken: 'mark_urgent', question: 'describe' },
    },
    mark_urgent: { kind: 'set', values: { category: 'warranty' }, next: 'photo' },
    photo: {
      kind: 'ask_photo',
      key: 'intake.photos_required',
      field: 'photos',
      required: true,
      max: 2,
      next: 'describe',
    },
    describe: { kind: 'ask_text', key: 'intake.description', field: 'description', next: 'route' },
    route: {
      kind: 'branch',
      field: 'category',
      cases: { warranty: 'open' },
      default: 'open_general',
    },
    open: {
      kind: 'open_ticket',
      confirmKey: 'intake.opened',
      draft: { category: 'category', description: 'description' },
      subject: { labelOf: 'category', text: 'description' },
      priority: 'high',
    },
    open_general: {
      kind: 'open_ticket',
      confirmKey: 'intake.opened',
      draft: { category: 'category', description: 'description' },
      subject: { text: 'description' },
    },
  },
});

describe('a custom flow', () => {
  const flows = createFlowRegistry([warrantyFlow]);

  it('branches on a choice, sets fields, stops asking for photos at max, and branches on data', () => {
    const chat = new Chat(makeCtx(), idleState(), flows);
    chat.send('hello');
    expect(chat.prompt.buttons?.map((b) => b.id)).toEqual(['kind:broken', 'kind:question']);
    chat.tap('kind:broken');
    expect(chat.state.data).toMatchObject({ kind: 'broken', category: 'warranty' });
    chat.photo(2);
    expect(chat.keys).toEqual(['intake.description']);
    chat.send('Screen went dark');
    expect(chat.openTicketDraft().draft).toEqual({
      category: 'warranty',
      subject: 'Warranty: Screen went dark',
      description: 'Screen went dark',
      priority: 'high',
    });
  });

  it('the other branch opens a ticket with a fallback category', () => {
    const chat = new Chat(makeCtx(), idleState(), flows);
    chat.send('hello');
    chat.send('2');
    chat.send('How do I clean it?');
    expect(chat.openTicketDraft().draft).toEqual({
      category: 'general_inquiry',
      subject: 'How do I clean it?',
      description: 'How do I clean it?',
    });
  });

  it('a branch on free text takes the default for values named like prototype members', () => {
    const open = {
      kind: 'open_ticket',
      confirmKey: 'intake.opened',
      draft: { category: 'category', description: 'word' },
      subject: { text: 'word' },
    } as const;
    const echo = parseFlow({
      name: 'intake',
      start: 'word',
      steps: {
        word: { kind: 'ask_text', key: 'intake.description', field: 'word', next: 'route' },
        route: { kind: 'branch', field: 'word', cases: { yes: 'agreed' }, default: 'other' },
        agreed: { kind: 'set', values: { category: 'warranty' }, next: 'open' },
        other: { kind: 'set', values: { category: 'general_inquiry' }, next: 'open' },
        open,
      },
    });
    for (const word of ['__proto__', 'constructor', 'toString', 'yes']) {
      const chat = new Chat(makeCtx(), idleState(), createFlowRegistry([echo]));
      chat.send('hello');
      chat.send(word);
      expect(chat.openTicketDraft().draft.category, word).toBe(
        word === 'yes' ? 'warranty' : 'general_inquiry',
      );
    }
  });
});
