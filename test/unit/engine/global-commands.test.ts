import { describe, expect, it } from 'vitest';
import { Chat, idleState, makeCtx } from './conversation.js';

const openTicket = {
  number: 'TK-2026-00042',
  subject: 'Order problem: late',
  status: 'in_progress',
};
const olderTicket = {
  number: 'TK-2026-00007',
  subject: 'Billing: double charge',
  status: 'awaiting_customer',
};

describe('threading', () => {
  it('puts messages straight into the newest open ticket, without a bot reply', () => {
    const chat = new Chat(makeCtx({ openTickets: [openTicket, olderTicket] }));
    const result = chat.send('Any news about my parcel?');
    expect(result.effects).toEqual([{ type: 'append_to_ticket', ticketNumber: 'TK-2026-00042' }]);
    chat.photo();
    expect(chat.effects).toEqual([{ type: 'append_to_ticket', ticketNumber: 'TK-2026-00042' }]);
    chat.send('cancel my order please');
    expect(chat.effects[0]?.type).toBe('append_to_ticket');
    chat.send('cancel');
    expect(chat.effects[0]?.type).toBe('append_to_ticket');
    expect(chat.state.flow).toBeNull();
  });

  it("'new issue' and /new start intake even with open tickets", () => {
    const chat = new Chat(makeCtx({ openTickets: [openTicket] }));
    chat.send('new issue');
    expect(chat.keys).toEqual(['intake.greeting', 'intake.category']);
    chat.send('1');
    expect(chat.state.step).toBe('description');
    chat.send('The wrong size was delivered to me');
    expect(chat.state.step).toBe('reference');

    const slash = new Chat(makeCtx({ openTickets: [openTicket] }));
    slash.send({ command: { name: 'new', args: '' } });
    expect(slash.state).toMatchObject({ flow: 'intake', step: 'category' });
    const spanish = new Chat(makeCtx({ openTickets: [openTicket] }));
    spanish.send('Nuevo problema');
    expect(spanish.state).toMatchObject({ flow: 'intake', step: 'category' });
  });

  it('/start greets and starts intake, or reminds of the open ticket', () => {
    const fresh = new Chat();
    fresh.send({ command: { name: 'start', args: '' } });
    expect(fresh.keys).toEqual(['intake.greeting', 'intake.category']);

    const returning = new Chat(makeCtx({ openTickets: [openTicket] }));
    returning.send({ command: { name: 'start', args: 'ref_123' } });
    expect(returning.keys).toEqual(['flow.threading_note']);
    expect(returning.last.effects[0]).toMatchObject({ params: { number: 'TK-2026-00042' } });
    expect(returning.state.flow).toBeNull();

    const typed = new Chat();
    typed.send('/start');
    expect(typed.keys).toEqual(['intake.greeting', 'intake.category']);
  });
});

describe('status', () => {
  it('lists open tickets with their state, or says there are none', () => {
    const chat = new Chat(makeCtx({ openTickets: [openTicket, olderTicket] }));
    chat.send('status');
    expect(chat.keys).toEqual([
      'status.header',
      'status.line.in_progress',
      'status.line.awaiting_customer',
    ]);
    expect(chat.effects[0]).toMatchObject({ params: { count: 2 } });
    expect(chat.effects[1]).toMatchObject({
      params: { number: 'TK-2026-00042', subject: 'Order problem: late' },
    });

    const none = new Chat();
    none.send({ command: { name: 'status', args: '' } });
    expect(none.keys).toEqual(['status.none']);
    expect(none.state.flow).toBeNull();
  });

  it('keeps the flow and repeats the pending question when asked mid-flow', () => {
    const chat = new Chat();
    chat.send('hi');
    chat.send('状态');
    expect(chat.keys).toEqual(['status.none', 'intake.category']);
    expect(chat.state.step).toBe('category');
  });

  it('caps the list and says how many more there are', () => {
    const tickets = Array.from({ length: 7 }, (_, i) => ({
      number: `TK-2026-0000${i}`,
      subject: `Subject ${i}`,
      status: i === 0 ? 'reopened_by_magic' : 'new',
    }));
    const chat = new Chat(makeCtx({ openTickets: tickets }));
    chat.send('estado');
    expect(chat.keys).toEqual([
      'status.header',
      'status.line.other',
      'status.line.new',
      'status.line.new',
      'status.line.new',
      'status.line.new',
      'status.more',
    ]);
    expect(chat.effects.at(-1)).toMatchObject({ params: { count: 2 } });
  });
});

describe('human handoff', () => {
  it.each(['agent', 'HUMAN', 'talk to a person', 'एजेंट', '人工', 'agente', 'manusia'])(
    "'%s' hands over to a person and leaves the flow",
    (text) => {
      const chat = new Chat();
      chat.send('hi');
      chat.send(text);
      expect(chat.effects).toEqual([
        { type: 'request_human' },
        { type: 'say', key: 'human.handoff' },
      ]);
      expect(chat.state.flow).toBeNull();
    },
  );
});

describe('language', () => {
  it('/lang hi switches, confirms in the new language and repeats the question', () => {
    const chat = new Chat();
    chat.send('hi');
    chat.send({ command: { name: 'lang', args: 'hi' } });
    expect(chat.effects[0]).toEqual({ type: 'set_language', language: 'hi' });
    expect(chat.keys).toEqual(['language.changed', 'intake.category']);
    expect(chat.state).toMatchObject({ language: 'hi', flow: 'intake', step: 'category' });
    // Choices now match Hindi labels; the pipeline renders every say in state.language.
    chat.send('गुणवत्ता की समस्या');
    expect(chat.state.data.category).toBe('quality_issue');
    chat.send('हैंडल टूट गया है');
    chat.send('छोड़ें');
    expect(chat.state.step).toBe('photos');
    expect(chat.state.language).toBe('hi');
  });

  it('accepts typed /lang, language words, names and regional tags', () => {
    for (const [input, language] of [
      ['/lang es', 'es'],
      ['idioma zh', 'zh'],
      ['Bahasa Indonesia', 'id'],
      ['/lang zh-Hans', 'zh'],
    ] as const) {
      const chat = new Chat();
      chat.send(input);
      expect(chat.state.language).toBe(language);
      expect(chat.effects[0]).toEqual({ type: 'set_language', language });
    }
  });

  it('lists the languages as a list (5 rows) when the code is missing or unknown', () => {
    const chat = new Chat();
    chat.send('language');
    expect(chat.keys).toEqual(['language.choose']);
    expect(chat.prompt.list?.rows.map((r) => r.id)).toEqual([
      'lang:en',
      'lang:hi',
      'lang:id',
      'lang:zh',
      'lang:es',
    ]);
    chat.send({ command: { name: 'lang', args: 'fr' } });
    expect(chat.keys).toEqual(['language.unknown']);
    expect(chat.prompt.params).toEqual({ code: 'fr' });
    expect(chat.state.language).toBe('en');
    chat.tap('lang:zh');
    expect(chat.state.language).toBe('zh');
  });

  it('offers only the tenant languages', () => {
    const chat = new Chat(makeCtx({ supportedLanguages: ['en', 'es'] }));
    chat.send('/lang hi');
    expect(chat.keys).toEqual(['language.unknown']);
    expect(chat.prompt.list?.rows.map((r) => r.id)).toEqual(['lang:en', 'lang:es']);
  });
});

describe('cancel, help and unknown commands', () => {
  it('cancel abandons the active flow', () => {
    const chat = new Chat();
    chat.send('hi');
    chat.send('cancel');
    expect(chat.keys).toEqual(['flow.cancelled']);
    expect(chat.state).toEqual(idleState());
    chat.send({ command: { name: 'cancel', args: '' } });
    expect(chat.keys).toEqual(['flow.nothing_to_cancel']);
  });

  it('help and unknown commands reply and keep the flow', () => {
    const chat = new Chat();
    chat.send('hi');
    chat.send('help');
    expect(chat.keys).toEqual(['help.text', 'intake.category']);
    chat.send('/frobnicate');
    expect(chat.keys).toEqual(['help.unknown_command', 'help.text', 'intake.category']);
    expect(chat.state.step).toBe('category');
  });

  it('commands named like Object.prototype members are unknown commands, not a crash', () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const chat = new Chat(makeCtx());
      chat.send({ command: { name, args: '' } });
      expect(chat.keys[0], name).toBe('help.unknown_command');
      chat.send(`/${name}`);
      expect(chat.keys[0], name).toBe('help.unknown_command');
    }
  });

  it('a stale state (flow or step that no longer exists) is treated as idle', () => {
    const chat = new Chat(makeCtx(), { flow: 'intake', step: 'gone', data: {}, language: 'en' });
    chat.send('hello');
    expect(chat.keys).toEqual(['intake.greeting', 'intake.category']);
  });
});
