import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../support/chat-driver.js';
import { type TestParley, startTestParley } from '../../support/test-parley.js';

let parley: TestParley;
beforeAll(async () => {
  parley = await startTestParley();
});
afterAll(() => parley?.close());

async function session() {
  const res = await fetch(`${parley.url}/chat/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { session: string; token: string };
}

let n = 0;
async function send(token: string, body: Record<string, unknown>) {
  return fetch(`${parley.url}/chat/api/messages`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'accept-language': 'es-MX,es;q=0.9',
    },
    body: JSON.stringify({ client_message_id: `m${Date.now()}${n++}`, ...body }),
  });
}

async function history(token: string) {
  const res = await fetch(`${parley.url}/chat/api/messages?wait=0`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return (
    (await res.json()) as {
      messages: {
        author: string;
        text: string;
        buttons?: unknown;
        list?: { rows: { id: string }[] };
      }[];
    }
  ).messages;
}

describe('the web chat', () => {
  it('serves the page with its own CSP', async () => {
    const res = await fetch(`${parley.url}/chat`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'nonce-/);
    expect(await res.text()).toContain('<html');
  });

  it('answers a visitor in their browser language, with the receipt context carried into intake', async () => {
    const link = await parley.api('POST', '/receipt-links', {
      body: { store_ref: 'MX-12', product_sku: 'SKU-9', invoice_ref: 'FAC-1234' },
    });
    const { token, session: id } = await session();
    expect(
      (await send(token, { text: 'hola', receipt: link.body.web_path.split('receipt=')[1] }))
        .status,
    ).toBe(202);
    const replies = await waitFor(async () => {
      const items = (await history(token)).filter((m) => m.author === 'bot');
      return items.length >= 2 ? items : undefined;
    });
    expect(replies.map((m) => m.text).join(' ')).toMatch(/tema|Hola/i); // Spanish
    expect(replies.some((m) => (m.list?.rows.length ?? 0) > 0 || m.buttons)).toBe(true);
    const { rows } = await parley.database.pool.query(
      "select data from conversations where channel = 'webchat' and chat_id = $1",
      [id],
    );
    expect(rows[0].data.receipt).toMatchObject({ store_ref: 'MX-12', invoice_ref: 'FAC-1234' });
  });

  it('refuses a forged session token and a tampered receipt is ignored', async () => {
    const { token } = await session();
    expect((await send(`${token}x`, { text: 'hi' })).status).toBe(401);
    expect((await send(token, { text: 'hola', receipt: 'AAAAAAAAAAAA.zzzz.forged' })).status).toBe(
      202,
    );
    await waitFor(async () =>
      (await history(token)).some((m) => m.author === 'bot') ? true : undefined,
    );
    const { rows } = await parley.database.pool.query(
      "select count(*)::int as n from conversations where channel = 'webchat' and data ? 'receipt'",
    );
    expect(rows[0].n).toBe(1); // only the genuine one from the test before
  });
});

describe('web chat rate limits', () => {
  let limited: TestParley;
  beforeAll(async () => {
    limited = await startTestParley({
      channels: {
        webchatLimits: {
          sessionsPerIp: { ratePerSecond: 0.01, burst: 2 },
          messagesPerSession: { ratePerSecond: 0.01, burst: 3 },
          messagesPerIp: { ratePerSecond: 0.01, burst: 100 },
          pollsPerSession: { ratePerSecond: 0.01, burst: 100 },
        },
      },
    });
  });
  afterAll(() => limited?.close());

  it('refuses a flood of sessions and of messages with 429, and records only what it accepted', async () => {
    const open = () =>
      fetch(`${limited.url}/chat/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
    const first = await open();
    expect(first.status).toBe(200);
    expect((await open()).status).toBe(200);
    const third = await open();
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await third.json()) as { error: { code: string } }).error.code).toBe('rate_limited');

    const { token } = (await first.json()) as { token: string };
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${limited.url}/chat/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ client_message_id: `flood-${i}`, text: `message ${i}` }),
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
    const { rows } = await limited.database.pool.query(
      "select count(*)::int as n from outbox where destination = 'inbound:webchat'",
    );
    expect(rows[0].n).toBe(3);
  });
});
