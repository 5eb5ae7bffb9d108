import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGraph, startFakeGraph } from '../../fakes/graph-api.js';
import { outboxDrained, sharedFixture } from '../../support/chat-driver.js';
import { type TestParley, startTestParley } from '../../support/test-parley.js';

const TOKEN = 'EAAG-test-whatsapp-token';
const APP_SECRET = 'whatsapp-app-secret-for-tests';
const VERIFY = 'verify-me-please';
const PHONE_NUMBER_ID = '100000000000002'; // the fixtures' business number id
const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]),
  Buffer.from('JFIF\0'),
  Buffer.alloc(9, 2),
  Buffer.from([0xff, 0xd9]),
]);

let graph: FakeGraph;
let parley: TestParley;
let seq = 0;

beforeAll(async () => {
  graph = await startFakeGraph({ token: TOKEN });
  parley = await startTestParley({
    env: {
      WHATSAPP_MODE: 'cloud',
      WHATSAPP_TOKEN: TOKEN,
      WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: VERIFY,
      WHATSAPP_GRAPH_URL: graph.baseUrl,
    },
  });
});
afterAll(async () => {
  await parley?.close();
  await graph?.close();
});

const sign = (body: string) =>
  `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}`;

async function post(notification: unknown, signature?: string | null) {
  const body = JSON.stringify(notification);
  const res = await fetch(`${parley.url}/webhooks/whatsapp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(signature === null ? {} : { 'x-hub-signature-256': signature ?? sign(body) }),
    },
    body,
  });
  return res.status;
}

/** The fixture envelope around one message from `waId`. */
function notification(waId: string, message: Record<string, unknown>) {
  const base = sharedFixture('whatsapp/text.json');
  const value = base.entry[0].changes[0].value;
  value.contacts = [{ profile: { name: 'Cust W' }, wa_id: waId }];
  value.messages = [
    {
      from: waId,
      id: `wamid.TEST${Date.now()}${seq++}`,
      timestamp: String(Math.floor(Date.now() / 1000)),
      ...message,
    },
  ];
  return base;
}

const drained = () => outboxDrained(parley.database.pool);

const sentTo = (waId: string) => graph.sentMessages().filter((m) => m.to === waId);
const textOf = (m: Record<string, any>): string =>
  String(m.text?.body ?? m.interactive?.body?.text ?? m.image?.caption ?? m.template?.name ?? '');

async function say(waId: string, message: Record<string, unknown>) {
  const before = sentTo(waId).length;
  expect(await post(notification(waId, message))).toBe(200);
  await drained();
  return sentTo(waId).slice(before);
}

describe('a WhatsApp customer', () => {
  const wa = '919900000001';

  it('verifies the webhook subscription', async () => {
    const ok = await fetch(
      `${parley.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=12345`,
    );
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('12345');
    const bad = await fetch(
      `${parley.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`,
    );
    expect(bad.status).toBe(403);
  });

  it('goes through intake with list and button replies and gets a ticket', async () => {
    graph.setMedia('MEDIA-1', { bytes: JPEG, mimeType: 'image/jpeg' });
    const first = await say(wa, { type: 'text', text: { body: 'hello' } });
    const list = first.find((m: any) => m.type === 'interactive') as any;
    expect(list.interactive.type).toBe('list');
    const rows = list.interactive.action.sections[0].rows as { id: string; title: string }[];
    const quality = rows.find((r) => r.id.endsWith('quality_issue'))!;
    const afterCategory = await say(wa, {
      type: 'interactive',
      interactive: { type: 'list_reply', list_reply: { id: quality.id, title: quality.title } },
    });
    expect(afterCategory.map(textOf).join('\n')).toMatch(/describe/i);
    const ref = await say(wa, {
      type: 'text',
      text: { body: 'The blender jar leaks from the bottom' },
    });
    expect(ref.map(textOf).join('\n')).toMatch(/order or invoice/i);
    await say(wa, { type: 'text', text: { body: 'INV-2026-77' } });
    await say(wa, {
      type: 'image',
      image: { id: 'MEDIA-1', mime_type: 'image/jpeg', caption: 'leak' },
    });
    const done = await say(wa, { type: 'text', text: { body: 'done' } });
    const skip = (done.find((m: any) => m.type === 'interactive') as any).interactive.action
      .buttons[0].reply.id;
    const summary = await say(wa, {
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: { id: skip, title: 'Skip' } },
    });
    expect(summary.map(textOf).join('\n')).toContain('INV-2026-77');
    const opened = await say(wa, { type: 'text', text: { body: 'yes' } });
    const number = /TK-\d{4}-\d{5}/.exec(opened.map(textOf).join('\n'))?.[0];
    expect(number).toBeDefined();

    const ticket = (await parley.api('GET', `/tickets/${number}`)).body;
    expect(ticket).toMatchObject({
      channel: 'whatsapp',
      category: 'quality_issue',
      links: { order_ref: 'INV-2026-77' },
    });
    const messages = (await parley.api('GET', `/tickets/${number}/messages`)).body.data as any[];
    expect(
      messages.some(
        (m) => m.attachments.length === 1 && m.attachments[0].mime_type === 'image/jpeg',
      ),
    ).toBe(true);
    const customer = (await parley.api('GET', `/customers/${ticket.customer.id}`)).body;
    expect(JSON.stringify(customer)).toContain('+919900000001');
  });

  it('updates delivery status from status webhooks', async () => {
    const { rows } = await parley.database.pool.query(
      "select id, external_id from messages where author_type = 'bot' and channel = 'whatsapp' and external_id is not null order by created_at desc limit 1",
    );
    const sent = rows[0];
    for (const status of ['delivered', 'read', 'delivered']) {
      const base = sharedFixture(`whatsapp/status_${status}.json`);
      base.entry[0].changes[0].value.statuses[0].id = sent.external_id;
      expect(await post(base)).toBe(200);
    }
    await drained();
    const { rows: after } = await parley.database.pool.query(
      'select delivery_status from messages where id = $1',
      [sent.id],
    );
    expect(after[0].delivery_status).toBe('read'); // a late 'delivered' never moves it back
  });

  it('rejects a bad signature with 401 and records nothing; the same message three times is recorded once', async () => {
    const count = async () =>
      (await parley.database.pool.query('select count(*)::int as n from messages')).rows[0]
        .n as number;
    await drained();
    const before = await count();
    const forged = notification(wa, { type: 'text', text: { body: 'forged' } });
    expect(await post(forged, 'sha256=' + '0'.repeat(64))).toBe(401);
    expect(await post(forged, null)).toBe(401);
    const again = notification(wa, { type: 'text', text: { body: 'three times' } });
    for (let i = 0; i < 3; i++) expect(await post(again)).toBe(200);
    await drained();
    expect((await count()) - before).toBe(1);
  });

  it('sends an agent reply outside the 24-hour window as the approved template, and says so', async () => {
    const { rows } = await parley.database.pool.query(
      "select number, conversation_id from tickets where channel = 'whatsapp' limit 1",
    );
    const { number, conversation_id } = rows[0];
    await parley.database.pool.query(
      "update conversations set last_inbound_at = now() - interval '25 hours' where id = $1",
      [conversation_id],
    );
    const reply = await parley.api('POST', `/tickets/${number}/messages`, {
      body: { body: 'Your replacement ships today' },
    });
    // No template configured for this tenant: not sent, and the reason is on the message.
    expect(reply.body.delivery_status).toBe('failed');
    expect(reply.body.delivery_error).toMatch(/24-hour/);
    const notes = (await parley.api('GET', `/tickets/${number}/messages`)).body.data as any[];
    expect(notes.some((m) => m.internal && /24 hours/.test(m.body))).toBe(true);
  });
});
