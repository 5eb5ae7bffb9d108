import { describe, expect, it } from 'vitest';
import { csatQuestion } from '../../../src/engine/csat.js';
import { Chat, makeCtx } from './conversation.js';

const resolved = { number: 'TK-2026-00042', subject: 'Order problem', status: 'resolved' };

describe('CSAT', () => {
  it('asks with yes/no buttons that carry the ticket number', () => {
    expect(csatQuestion(resolved)).toEqual({
      type: 'say',
      key: 'csat.ask',
      params: { number: 'TK-2026-00042' },
      buttons: [
        { id: 'csat:yes:TK-2026-00042', key: 'button.yes' },
        { id: 'csat:no:TK-2026-00042', key: 'button.no' },
      ],
    });
  });

  it('yes → recorded, then a 1–5 rating as a list (WhatsApp: max 3 buttons)', () => {
    const chat = new Chat(makeCtx({ csatTicket: resolved }));
    chat.tap('csat:yes:TK-2026-00042');
    expect(chat.effects[0]).toEqual({
      type: 'csat_answer',
      ticketNumber: 'TK-2026-00042',
      solved: true,
    });
    expect(chat.keys).toEqual(['csat.rate']);
    expect(chat.prompt.buttons).toBeUndefined();
    expect(chat.prompt.list?.rows).toHaveLength(5);
    expect(chat.prompt.list?.rows[4]).toEqual({
      id: 'csat:rate:5:TK-2026-00042',
      key: 'csat.rating_5',
    });

    chat.ctx = makeCtx(); // the pipeline recorded the answer
    chat.tap('csat:rate:4:TK-2026-00042');
    expect(chat.effects).toEqual([
      { type: 'csat_rating', ticketNumber: 'TK-2026-00042', rating: 4 },
      { type: 'say', key: 'csat.thanks' },
    ]);
    expect(chat.state.flow).toBeNull();
  });

  it('accepts typed yes and a typed rating', () => {
    const chat = new Chat(makeCtx({ csatTicket: resolved }));
    chat.send('sí');
    expect(chat.effects[0]).toMatchObject({ type: 'csat_answer', solved: true });
    chat.ctx = makeCtx();
    chat.send('5');
    expect(chat.effects[0]).toEqual({
      type: 'csat_rating',
      ticketNumber: 'TK-2026-00042',
      rating: 5,
    });
    const stars = new Chat(makeCtx({ csatTicket: resolved }));
    stars.send('yes');
    stars.send('⭐⭐⭐');
    expect(stars.effects[0]).toMatchObject({ type: 'csat_rating', rating: 3 });
  });

  it('no → reopened', () => {
    const chat = new Chat(makeCtx({ csatTicket: resolved }));
    chat.send('not solved');
    expect(chat.effects).toEqual([
      { type: 'csat_answer', ticketNumber: 'TK-2026-00042', solved: false },
      { type: 'say', key: 'csat.reopened', params: { number: 'TK-2026-00042' } },
    ]);
    expect(chat.state.flow).toBeNull();
  });

  it('the rating is optional: other text after yes is handled normally', () => {
    const chat = new Chat(makeCtx({ csatTicket: resolved }));
    chat.tap('csat:yes');
    chat.ctx = makeCtx();
    chat.send('Thanks a lot, bye for now my friend');
    expect(chat.keys).toEqual(['intake.greeting', 'intake.category']);
  });

  it('other text while the answer is pending asks again; a late tap is thanked', () => {
    const chat = new Chat(makeCtx({ csatTicket: resolved }));
    chat.send('hmm');
    expect(chat.keys).toEqual(['csat.reprompt']);
    expect(chat.prompt.buttons?.map((b) => b.id)).toEqual([
      'csat:yes:TK-2026-00042',
      'csat:no:TK-2026-00042',
    ]);
    const late = new Chat(makeCtx());
    late.tap('csat:no:TK-2026-00042');
    expect(late.effects).toEqual([{ type: 'say', key: 'csat.too_late' }]);
  });
});
