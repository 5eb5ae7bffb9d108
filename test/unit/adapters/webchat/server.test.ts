import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebchatChannel } from '../../../../adapters/webchat/index.js';
import { setup } from './support.js';

/** What the lead's express mounting does: raw body in, status + headers + body (JSON unless a string) out. */
function serve(channel: WebchatChannel): Server {
  return createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = channel.routes.find(
      (r) =>
        r.path === url.pathname &&
        (r.method === req.method || (r.method === 'GET' && req.method === 'HEAD')),
    );
    if (!route) return void res.writeHead(404).end();
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const out = await route.handler({
      method: req.method ?? 'GET',
      headers: req.headers,
      rawBody: Buffer.concat(chunks),
      query: Object.fromEntries(url.searchParams),
      signal: abort.signal,
    });
    res.writeHead(out.status, out.headers);
    if (out.body === undefined) return void res.end();
    res.end(typeof out.body === 'string' ? out.body : JSON.stringify(out.body));
  });
}

describe('the web chat over HTTP', () => {
  const ctx = setup({ longPollMs: 5_000 });
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = serve(ctx.channel);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    ctx.channel.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('serves the page with its security headers', async () => {
    const res = await fetch(`${base}/chat?receipt=abc`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toMatch(
      /^default-src 'none'; script-src 'nonce-/,
    );
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toMatch(/^<!doctype html>/);
  });

  it('round-trips a session, a message and a long-polled reply', async () => {
    const started = await fetch(`${base}/chat/api/session`, { method: 'POST' });
    expect(started.status).toBe(200);
    const { session, token } = (await started.json()) as { session: string; token: string };
    const auth = { authorization: `Bearer ${token}` };

    const posted = await fetch(`${base}/chat/api/messages`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', 'accept-language': 'id-ID,id;q=0.9' },
      body: JSON.stringify({ client_message_id: 'a1', text: 'Halo', receipt: 'rc.1' }),
    });
    expect(posted.status).toBe(202);
    expect(await posted.json()).toEqual({ ok: true });
    expect(ctx.events.at(-1)).toMatchObject({
      externalId: `${session}:a1`,
      from: { languageCode: 'id-ID' },
      receiptToken: 'rc.1',
    });

    const first = (await (await fetch(`${base}/chat/api/messages`, { headers: auth })).json()) as {
      messages: { id: string; author: string; client_message_id?: string }[];
      cursor: string;
    };
    expect(first.messages).toMatchObject([{ author: 'customer', client_message_id: 'a1' }]);

    const waiting = fetch(`${base}/chat/api/messages?after=${encodeURIComponent(first.cursor)}`, {
      headers: auth,
    });
    await new Promise((r) => setTimeout(r, 50));
    ctx.add(session, { author: 'agent', text: 'Halo, ada yang bisa dibantu?' });
    await ctx.channel.sender.send({ channel: 'webchat', chatId: session, text: 'Halo' });
    const reply = await waiting;
    expect(reply.headers.get('cache-control')).toBe('no-store');
    expect(await reply.json()).toMatchObject({
      messages: [{ author: 'agent', text: 'Halo, ada yang bisa dibantu?' }],
    });
  });

  it('answers 401 and 400 with the contract error shape', async () => {
    const denied = await fetch(`${base}/chat/api/messages`, {
      headers: { authorization: 'Bearer nope.nope' },
    });
    expect(denied.status).toBe(401);
    expect(await denied.json()).toEqual({
      error: { code: 'unauthorized', message: 'missing or invalid session token' },
    });
    const { token } = (await (
      await fetch(`${base}/chat/api/session`, { method: 'POST' })
    ).json()) as {
      token: string;
    };
    const bad = await fetch(`${base}/chat/api/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{"text": ""}',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_request' } });
  });
});
