import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeTelegram, startFakeTelegram } from '../../fakes/telegram-api.js';
import { outboxDrained, sharedFixture, waitFor } from '../../support/chat-driver.js';
import { type TestParley, startTestParley } from '../../support/test-parley.js';
import { telegramWebhookEnv } from '../../support/telegram-env.js';

const TOKEN = '123456:TEST-telegram-token';
const SECRET = 'tg-secret_0123456789';
// Telegram re-encodes every photo as JPEG: the smallest JPEG-looking bytes (SOI, JFIF APP0, EOI).
const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
  Buffer.from('JFIF\0', 'latin1'),
  Buffer.alloc(9, 1),
  Buffer.from([0xff, 0xd9]),
]);

let telegram: FakeTelegram;
let parley: TestParley;
let nextMessageId = 5000;
let nextUpdateId = 800000000;

beforeAll(async () => {
  telegram = await startFakeTelegram({ token: TOKEN });
  parley = await startTestParley({
    env: {
      ...telegramWebhookEnv(TOKEN, SECRET, telegram.apiRoot),
    },
  });
});
afterAll(async () => {
  await parley?.close();
  await telegram?.close();
});

interface Customer {
  id: number;
  language_code: string;
  first_name: string;
}

function update(customer: Customer, message: Record<string, unknown>) {
  const base = sharedFixture('telegram/message_text.json');
  const from = {
    ...base.message.from,
    id: customer.id,
    first_name: customer.first_name,
    language_code: customer.language_code,
  };
  const chat = { ...base.message.chat, id: customer.id, first_name: customer.first_name };
  const { text: _text, ...rest } = base.message;
  return {
    update_id: nextUpdateId++,
    message: {
      ...rest,
      message_id: nextMessageId++,
      from,
      chat,
      date: Math.floor(Date.now() / 1000),
      ...message,
    },
  };
}

async function post(body: unknown, secret: string | null = SECRET) {
  const res = await fetch(`${parley.url}/webhooks/telegram`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}),
    },
    body: JSON.stringify(body),
  });
  return res.status;
}

const sentTo = (chatId: number) =>
  telegram.requests.filter(
    (r) => r.method.startsWith('send') && String(r.body.chat_id) === String(chatId),
  );

const drained = () => outboxDrained(parley.database.pool);

/** Sends one customer message and returns the bot's replies to it (after the outbox delivered them). */
async function say(customer: Customer, message: Record<string, unknown>): Promise<string[]> {
  const before = sentTo(customer.id).length;
  expect(await post(update(customer, message))).toBe(200);
  await drained();
  return sentTo(customer.id)
    .slice(before)
    .map((r) => String(r.body.text ?? r.body.caption ?? ''));
}

async function ticketsOf(telegramId: number) {
  const { rows } = await parley.database.pool.query(
    `select t.* from tickets t join customer_identities ci on ci.customer_id = t.customer_id
     where ci.kind = 'telegram' and ci.value = $1 order by t.created_at`,
    [String(telegramId)],
  );
  return rows;
}

describe('a Telegram customer', () => {
  const asha: Customer = { id: 100000001, language_code: 'en', first_name: 'Asha' };

  it('goes through intake, gets a ticket with the fields they gave, and a photo becomes an attachment', async () => {
    telegram.setFile('PHOTO-1', { path: 'photos/file_1.jpg', bytes: JPEG });
    const greeting = await say(asha, { text: 'Hi, my kettle arrived with a cracked lid' });
    expect(greeting.join('\n')).toMatch(/choose a topic/i);
    const keyboard = JSON.stringify(telegram.calls('sendMessage').at(-1)?.body.reply_markup);
    expect(keyboard).toContain('category:quality_issue');

    const afterCategory = await say(asha, { text: '2' }); // quality_issue, the second default category
    expect(afterCategory.length).toBeGreaterThan(0);
    let replies = afterCategory;
    if (/describe the problem/i.test(replies.join('\n'))) {
      replies = await say(asha, { text: 'The lid is cracked right across' });
    }
    expect(replies.join('\n')).toMatch(/order|invoice/i);
    const bad = await say(asha, { text: '!!' });
    expect(bad.join('\n')).toMatch(/order|invoice|number/i);
    const photoPrompt = await say(asha, { text: 'ORD-1042' });
    expect(photoPrompt.join('\n')).toMatch(/photo/i);
    const noPhoto = await say(asha, { text: 'done' });
    expect(noPhoto.join('\n')).toMatch(/photo/i); // required for quality issues: asked again
    await say(asha, {
      photo: [
        { file_id: 'PHOTO-1', file_unique_id: 'u1', file_size: JPEG.length, width: 1, height: 1 },
      ],
      caption: 'here',
    });
    const datePrompt = await say(asha, { text: 'done' });
    expect(datePrompt.join('\n')).toMatch(/deliver|date|when/i);
    const summary = await say(asha, { text: 'yesterday' });
    expect(summary.join('\n')).toMatch(/ORD-1042/);
    const opened = await say(asha, { text: 'yes' });
    expect(opened.join('\n')).toMatch(/TK-\d{4}-\d{5}/);

    const [ticket] = await ticketsOf(asha.id);
    expect(ticket).toMatchObject({
      channel: 'telegram',
      category: 'quality_issue',
      order_ref: 'ORD-1042',
      status: 'new',
    });
    expect(ticket.delivery_date).not.toBeNull();
    expect(opened.join('\n')).toContain(ticket.number);
    const attachments = await waitFor(async () => {
      const { rows } = await parley.database.pool.query(
        'select * from attachments where ticket_id = $1',
        [ticket.id],
      );
      return rows.length > 0 ? rows : undefined;
    });
    expect(attachments[0]).toMatchObject({ mime_type: 'image/jpeg', size_bytes: JPEG.length });
    const { rows: messages } = await parley.database.pool.query(
      "select count(*)::int as n from messages where ticket_id = $1 and author_type = 'customer'",
      [ticket.id],
    );
    expect(messages[0].n).toBeGreaterThanOrEqual(8);
  });

  it('threads a later message into the open ticket without the bot answering', async () => {
    const [ticket] = await ticketsOf(asha.id);
    const replies = await say(asha, { text: 'Any news on this?' });
    expect(replies).toEqual([]);
    const { rows } = await parley.database.pool.query(
      'select body from messages where ticket_id = $1 order by created_at desc limit 1',
      [ticket.id],
    );
    expect(rows[0].body).toBe('Any news on this?');
  });

  it("sends an agent's reply to the customer, and never an internal note", async () => {
    const [ticket] = await ticketsOf(asha.id);
    const before = sentTo(asha.id).length;
    const reply = await parley.api('POST', `/tickets/${ticket.number}/messages`, {
      body: { body: 'A new lid is on its way' },
    });
    expect(reply.status).toBe(201);
    await parley.api('POST', `/tickets/${ticket.number}/messages`, {
      body: { body: 'courier is slow', internal: true },
    });
    const delivered = await waitFor(async () => {
      const { rows } = await parley.database.pool.query(
        'select delivery_status, external_id from messages where id = $1',
        [reply.body.id],
      );
      return rows[0].delivery_status === 'sent' ? rows[0] : undefined;
    });
    expect(delivered.external_id).toMatch(/^100000001:\d+$/);
    const texts = sentTo(asha.id)
      .slice(before)
      .map((r) => r.body.text);
    expect(texts).toEqual(['A new lid is on its way']);
  });

  it('is asked whether it was solved once resolved, and "no" reopens the ticket', async () => {
    const [ticket] = await ticketsOf(asha.id);
    await parley.api('PATCH', `/tickets/${ticket.number}`, { body: { status: 'in_progress' } });
    const before = sentTo(asha.id).length;
    const resolved = await parley.api('PATCH', `/tickets/${ticket.number}`, {
      body: { status: 'resolved', resolution: { code: 'replacement' } },
    });
    expect(resolved.status).toBe(200);
    const question = await waitFor(() => sentTo(asha.id).slice(before)[0]);
    expect(JSON.stringify(question.body.reply_markup)).toContain(`csat:no:${ticket.number}`);
    await say(asha, { text: 'no' });
    const after = await parley.api('GET', `/tickets/${ticket.number}`);
    expect(after.body.status).toBe('in_progress');
  });

  it('records a redelivered update once, and refuses a wrong secret with 401 and records nothing', async () => {
    const { rows: before } = await parley.database.pool.query(
      'select count(*)::int as n from messages',
    );
    const u = update(asha, { text: 'same update three times' });
    for (let i = 0; i < 3; i++) expect(await post(u)).toBe(200);
    expect(await post(update(asha, { text: 'forged' }), 'wrong-secret')).toBe(401);
    expect(await post(update(asha, { text: 'unsigned' }), null)).toBe(401);
    await drained();
    const { rows: after } = await parley.database.pool.query(
      'select count(*)::int as n from messages',
    );
    expect(after[0].n - before[0].n).toBe(1);
    const { rows } = await parley.database.pool.query(
      "select count(*)::int as n from messages where body in ('forged', 'unsigned')",
    );
    expect(rows[0].n).toBe(0);
  });

  it('politely refuses a file over 20 MB or of a disallowed type, and the conversation goes on', async () => {
    const ravi: Customer = { id: 100000077, language_code: 'en', first_name: 'Ravi' };
    await say(ravi, { text: 'hello' });
    const refusal = await say(ravi, {
      document: {
        file_id: 'BIG',
        file_unique_id: 'b',
        file_name: 'video.pdf',
        mime_type: 'application/pdf',
        file_size: 25 * 1024 * 1024,
      },
    });
    expect(refusal.join('\n')).toMatch(/20 MB/);
    const exe = await say(ravi, {
      document: {
        file_id: 'EXE',
        file_unique_id: 'e',
        file_name: 'setup.exe',
        mime_type: 'application/x-msdownload',
        file_size: 2048,
      },
    });
    expect(exe.join('\n')).toMatch(/not allowed/i);
    const next = await say(ravi, { text: '1' });
    expect(next.join('\n')).toMatch(/describe the problem/i); // the intake went on at the next step
  });

  it('answers a Hindi-speaking customer in Hindi', async () => {
    const priya: Customer = { id: 100000088, language_code: 'hi', first_name: 'Priya' };
    const replies = await say(priya, { text: 'नमस्ते' });
    expect(replies.join('\n')).toMatch(/[\u0900-\u097F]/);
  });

  it('opens a ticket from a receipt link with store, product and invoice filled in', async () => {
    const link = await parley.api('POST', '/receipt-links', {
      body: {
        store_ref: 'BLR-07',
        product_sku: 'KTL-2200',
        invoice_ref: 'INV-88123',
        purchase_date: '2026-10-02',
      },
    });
    expect(link.status).toBe(201);
    expect(link.body.telegram_start_payload).toMatch(/^r_[A-Za-z0-9]{12}$/);
    expect(link.body.web_path).toMatch(/^\/chat\?receipt=/);
    const meera: Customer = { id: 100000099, language_code: 'en', first_name: 'Meera' };
    const start = await say(meera, {
      text: `/start ${link.body.telegram_start_payload}`,
      entities: [{ type: 'bot_command', offset: 0, length: 6 }],
    });
    expect(start.join('\n')).toMatch(/choose a topic/i);
    const afterCategory = await say(meera, { text: '7' }); // warranty
    expect(afterCategory.join('\n')).toMatch(/describe the problem/i);
    let replies = await say(meera, { text: 'The kettle stopped heating after a month' });
    expect(replies.join('\n')).not.toMatch(/order or invoice number/i); // known from the receipt
    for (let i = 0; i < 4 && !/check your request/i.test(replies.join('\n')); i++) {
      replies = await say(meera, { text: 'skip' });
    }
    expect(replies.join('\n')).toContain('INV-88123');
    const opened = await say(meera, { text: 'yes' });
    expect(opened.join('\n')).toMatch(/TK-\d{4}-\d{5}/);
    const [ticket] = await ticketsOf(meera.id);
    expect(ticket).toMatchObject({
      store_ref: 'BLR-07',
      product_sku: 'KTL-2200',
      invoice_ref: 'INV-88123',
      category: 'warranty',
    });
  });

  it('ignores an expired or unknown receipt code', async () => {
    const link = await parley.api('POST', '/receipt-links', {
      body: { store_ref: 'OLD-1', expires_in_days: 1 },
    });
    await parley.database.pool.query(
      "update receipt_links set expires_at = now() - interval '1 minute' where code = $1",
      [link.body.code],
    );
    const kiran: Customer = { id: 100000111, language_code: 'en', first_name: 'Kiran' };
    await say(kiran, {
      text: `/start r_${link.body.code}`,
      entities: [{ type: 'bot_command', offset: 0, length: 6 }],
    });
    const { rows } = await parley.database.pool.query(
      "select data from conversations where chat_id = $1 and channel = 'telegram'",
      [String(kiran.id)],
    );
    expect(rows[0].data.receipt).toBeUndefined();
  });
});
