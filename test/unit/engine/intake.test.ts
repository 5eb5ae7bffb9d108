import { describe, expect, it } from 'vitest';
import { Chat, makeCtx } from './conversation.js';

/** Walks a chat to the step where the order number is asked. */
function toReference(chat: Chat, category = 'order_issue'): void {
  chat.send('hello');
  chat.tap(`category:${category}`);
  chat.send('The parcel arrived with two items missing');
}

describe('intake flow', () => {
  it('runs greeting → category → description → number → photos → date → summary → ticket with buttons', () => {
    const chat = new Chat();
    chat.send('hi');
    expect(chat.keys).toEqual(['intake.greeting', 'intake.category']);
    expect(chat.prompt.list?.rows).toHaveLength(7);
    expect(chat.prompt.list?.rows[1]).toEqual({
      id: 'category:quality_issue',
      key: 'category.quality_issue',
    });
    expect(chat.state).toMatchObject({ flow: 'intake', step: 'category' });

    chat.tap('category:order_issue');
    expect(chat.keys).toEqual(['intake.description']);
    chat.send('The parcel arrived with two items missing');
    expect(chat.keys).toEqual(['intake.reference']);
    expect(chat.prompt.buttons).toEqual([{ id: 'reference:skip', key: 'button.skip' }]);
    chat.send('ORD-12345');
    expect(chat.keys).toEqual(['intake.photos_optional']);
    expect(chat.prompt.buttons).toEqual([{ id: 'photos:skip', key: 'button.skip' }]);
    chat.tap('photos:skip');
    expect(chat.keys).toEqual(['intake.delivery_date']);
    chat.send('2026-03-18');
    expect(chat.keys).toEqual(['intake.summary']);
    expect(chat.prompt.params).toEqual({
      category: 'Order problem',
      description: 'The parcel arrived with two items missing',
      reference: 'ORD-12345',
      photos: 0,
      delivery_date: '2026-03-18',
    });
    expect(chat.prompt.buttons?.map((b) => b.id)).toEqual(['summary:yes', 'summary:no']);

    chat.tap('summary:yes');
    expect(chat.openTicketDraft()).toEqual({
      type: 'open_ticket',
      confirmKey: 'intake.opened',
      draft: {
        category: 'order_issue',
        subject: 'Order problem: The parcel arrived with two items missing',
        description: 'The parcel arrived with two items missing',
        order_ref: 'ORD-12345',
        delivery_date: '2026-03-18',
      },
    });
    expect(chat.state).toEqual({ flow: null, step: null, data: {}, language: 'en' });
  });

  it('accepts typed answers: the option number, the label in the customer language, yes words', () => {
    const chat = new Chat();
    chat.send('hola');
    chat.send('6'); // billing
    chat.send('I was charged twice for one order');
    chat.send('skip');
    chat.send('skip');
    chat.send('yesterday');
    expect(chat.prompt.params).toMatchObject({ category: 'Billing', delivery_date: '2026-03-19' });
    chat.send('Yes!');
    expect(chat.openTicketDraft().draft.category).toBe('billing');

    const spanish = new Chat(makeCtx(), { flow: null, step: null, data: {}, language: 'es' });
    spanish.send('hola');
    spanish.send('problema de CALIDAD');
    expect(spanish.state.data.category).toBe('quality_issue');
    expect(spanish.state.step).toBe('description');
  });

  it('re-prompts an unknown choice instead of staying silent', () => {
    const chat = new Chat();
    chat.send('hi');
    chat.send('banana');
    expect(chat.keys).toEqual(['prompt.choose_option', 'intake.category']);
    chat.send('12');
    expect(chat.keys).toEqual(['prompt.choose_option', 'intake.category']);
    chat.photo();
    expect(chat.keys).toEqual(['prompt.choose_option', 'intake.category']);
    expect(chat.state.step).toBe('category');
  });

  it('requires a photo for quality issues: text is refused, photos then done continue', () => {
    const chat = new Chat();
    toReference(chat, 'quality_issue');
    chat.tap('reference:skip');
    expect(chat.keys).toEqual(['intake.photos_required']);
    expect(chat.prompt.buttons).toBeUndefined();
    chat.send('I have no photo');
    expect(chat.keys).toEqual(['photo.required', 'intake.photos_required']);
    chat.send('skip');
    expect(chat.keys).toEqual(['photo.required', 'intake.photos_required']);
    chat.send({ media: [{ kind: 'voice' }] });
    expect(chat.keys).toEqual(['photo.not_a_photo', 'intake.photos_required']);
    chat.photo();
    expect(chat.keys).toEqual(['photo.received']);
    expect(chat.prompt.params).toEqual({ count: 1 });
    expect(chat.prompt.buttons).toEqual([{ id: 'photos:done', key: 'button.done' }]);
    chat.send({ media: [{ kind: 'document', mimeType: 'image/jpeg' }, { kind: 'photo' }] });
    expect(chat.prompt.params).toEqual({ count: 3 });
    chat.tap('photos:done');
    expect(chat.keys).toEqual(['intake.delivery_date']);
    expect(chat.state.data.photos).toBe(3);
  });

  it('refuses a malformed order number and asks again; skip works', () => {
    const chat = new Chat();
    toReference(chat);
    chat.send('my order is #12 from last week!!');
    expect(chat.keys).toEqual(['intake.reference_invalid']);
    expect(chat.prompt.buttons).toEqual([{ id: 'reference:skip', key: 'button.skip' }]);
    expect(chat.state.step).toBe('reference');
    chat.send('x');
    expect(chat.keys).toEqual(['intake.reference_invalid']);
    chat.send('INV 2026 0042');
    expect(chat.state.data.order_ref).toBe('INV20260042');
    expect(chat.state.step).toBe('photos');

    const skipper = new Chat();
    toReference(skipper);
    skipper.tap('reference:skip');
    expect(skipper.state.step).toBe('photos');
    expect(skipper.state.data.order_ref).toBeUndefined();
  });

  it('refuses a future delivery date and an impossible one', () => {
    const chat = new Chat();
    toReference(chat);
    chat.tap('reference:skip');
    chat.tap('photos:skip');
    chat.send('2026-04-01');
    expect(chat.keys).toEqual(['date.future']);
    chat.send('31/02/2026');
    expect(chat.keys).toEqual(['date.invalid']);
    expect(chat.state.step).toBe('delivery_date');
    chat.tap('delivery_date:skip');
    expect(chat.state.step).toBe('summary');
    expect(chat.prompt.params?.delivery_date).toBe('not given');
  });

  it('goes back to the category when the summary is rejected', () => {
    const chat = new Chat();
    toReference(chat);
    chat.tap('reference:skip');
    chat.tap('photos:skip');
    chat.tap('delivery_date:skip');
    chat.send('no');
    expect(chat.keys).toEqual(['intake.restart', 'intake.category']);
    expect(chat.state.step).toBe('category');
    chat.send('maybe');
    chat.tap('category:warranty');
    chat.send('It stopped working after a week');
    expect(chat.state.step).toBe('reference');
  });

  it('re-asks yes or no at the summary', () => {
    const chat = new Chat();
    toReference(chat);
    chat.tap('reference:skip');
    chat.tap('photos:skip');
    chat.tap('delivery_date:skip');
    chat.send('perhaps later');
    expect(chat.keys).toEqual(['prompt.yes_or_no', 'intake.summary']);
  });

  it('prefills from a receipt: the invoice is not asked and the references reach the draft', () => {
    const receipt = { store_ref: 'STORE-7', product_sku: 'SKU-42', invoice_ref: 'INV-9001' };
    const chat = new Chat(makeCtx({ receipt }));
    chat.send({ command: { name: 'start', args: 'rcpt_abc' } });
    chat.tap('category:return_refund');
    chat.send('I would like to return this kettle');
    expect(chat.keys).toEqual(['intake.photos_optional']);
    chat.tap('photos:skip');
    chat.tap('delivery_date:skip');
    expect(chat.prompt.params?.reference).toBe('INV-9001');
    chat.tap('summary:yes');
    expect(chat.openTicketDraft().draft).toMatchObject({
      category: 'return_refund',
      invoice_ref: 'INV-9001',
      store_ref: 'STORE-7',
      product_sku: 'SKU-42',
    });
  });

  it('uses a first message that describes the problem as the description', () => {
    const chat = new Chat();
    chat.send('My blender arrived with a cracked jug and it leaks everywhere');
    expect(chat.keys).toEqual(['intake.greeting', 'intake.category']);
    chat.tap('category:quality_issue');
    expect(chat.keys).toEqual(['intake.reference']);
    expect(chat.state.data).toMatchObject({
      description: 'My blender arrived with a cracked jug and it leaks everywhere',
    });
    expect(chat.state.data.first_message).toBeUndefined();
  });

  it('cuts a long description to about 60 characters in the subject', () => {
    const chat = new Chat();
    chat.send('hi');
    chat.tap('category:technical');
    chat.send(
      'The app crashes every time I open the settings page on my phone, and I cannot change my password at all',
    );
    chat.tap('reference:skip');
    chat.tap('photos:skip');
    chat.tap('delivery_date:skip');
    chat.tap('summary:yes');
    const { subject } = chat.openTicketDraft().draft;
    expect(subject.startsWith('Technical help: The app crashes every time')).toBe(true);
    expect(subject.endsWith('…')).toBe(true);
    expect(subject.length).toBeLessThanOrEqual('Technical help: '.length + 60);
  });
});
