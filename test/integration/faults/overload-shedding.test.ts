/**
 * Load shedding (issue 6): past OVERLOAD_MAX_IN_FLIGHT requests in flight, or with the event loop
 * running late, webhooks and the API answer 503 `overloaded` with Retry-After at once, recording
 * nothing; probes still answer; and the platform's retry of a shed webhook lands exactly once.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerMessage, webhookFor } from '../../../bench/crash/payloads.js';
import { type FakeTelegram, startFakeTelegram } from '../../fakes/telegram-api.js';
import { type TestParley, startTestParley } from '../../support/test-parley.js';
import { telegramWebhookEnv } from '../../support/telegram-env.js';

const TOKEN = '123456:SHED-telegram-token';
const SECRET = 'shed-secret_0123456789';
const SECRETS = { telegramSecret: SECRET, whatsappAppSecret: 'x', whatsappPhoneNumberId: '1' };
const MAX_IN_FLIGHT = 4;

let telegram: FakeTelegram;
let parley: TestParley;
const held: net.Socket[] = [];

beforeAll(async () => {
  telegram = await startFakeTelegram({ token: TOKEN });
  parley = await startTestParley({
    env: {
      ...telegramWebhookEnv(TOKEN, SECRET, telegram.apiRoot),
      OVERLOAD_MAX_IN_FLIGHT: String(MAX_IN_FLIGHT),
      OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '0',
    },
  });
});
afterAll(async () => {
  for (const socket of held) socket.destroy();
  await parley?.close();
  await telegram?.close();
});

/** A webhook request whose body never finishes: it stays in flight until the socket closes. */
async function holdRequest(): Promise<net.Socket> {
  const { port } = new URL(parley.url);
  const socket = net.connect(Number(port), '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(
    'POST /webhooks/telegram HTTP/1.1\r\nHost: parley\r\nContent-Type: application/json\r\n' +
      `X-Telegram-Bot-Api-Secret-Token: ${SECRET}\r\nContent-Length: 1000\r\n\r\n{"update_id":`,
  );
  socket.on('error', () => undefined);
  held.push(socket);
  return socket;
}

async function inboundRows(dedupeKey: string): Promise<number> {
  const { rows } = await parley.database.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM outbox WHERE dedupe_key = $1`,
    [dedupeKey],
  );
  return rows[0]!.n;
}

async function postWebhook(k: number) {
  const message = customerMessage(0, k);
  const request = webhookFor(message, SECRETS);
  const started = performance.now();
  const res = await fetch(`${parley.url}${request.path}`, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
  const body = await res.text();
  return { res, body, ms: performance.now() - started, key: `in:telegram:${message.externalId}` };
}

describe('overload shedding', () => {
  it('sheds webhooks and API calls at once while too many requests are in flight', async () => {
    for (let i = 0; i < MAX_IN_FLIGHT; i++) await holdRequest();
    // Let the server admit the held requests.
    await expect.poll(async () => (await postWebhook(1)).res.status).toBe(503);

    const shed = await postWebhook(1);
    expect(shed.res.status).toBe(503);
    expect(shed.res.headers.get('retry-after')).toBe('1');
    expect(JSON.parse(shed.body)).toMatchObject({ error: { code: 'overloaded' } });
    expect(shed.ms).toBeLessThan(1000);
    expect(await inboundRows(shed.key)).toBe(0); // nothing recorded

    const api = await parley.api('GET', '/tickets');
    expect(api.status).toBe(503);
    expect(api.headers.get('retry-after')).toBe('1');
    expect(api.body).toEqual({
      error: { code: 'overloaded', message: expect.any(String), details: expect.anything() },
    });

    // Probes are never shed: the load balancer still sees a live, ready process.
    expect((await fetch(`${parley.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${parley.url}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`${parley.url}/metrics`)).text();
    expect(metrics).toMatch(/parley_http_in_flight \d+/);
    expect(Number(/parley_http_shed_total (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(3);
  });

  it('takes the platform’s retry of a shed webhook once it has room, and a second retry records nothing', async () => {
    for (const socket of held.splice(0)) socket.destroy();
    await expect.poll(async () => (await postWebhook(1)).res.status).toBe(200);
    const again = await postWebhook(1); // the platform retries once more (its first 2xx got lost)
    expect(again.res.status).toBe(200);
    expect(await inboundRows(again.key)).toBe(1);
    await expect
      .poll(
        async () =>
          (
            await parley.database.pool.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM messages
               WHERE author_type = 'customer' AND channel = 'telegram' AND external_id = $1`,
              [customerMessage(0, 1).externalId],
            )
          ).rows[0]!.n,
        { timeout: 10_000 },
      )
      .toBe(1);
  });

  it('does not count open web-chat long polls as load', async () => {
    const polls = new AbortController();
    const waiting: Promise<unknown>[] = [];
    for (let i = 0; i < MAX_IN_FLIGHT + 2; i++) {
      const res = await fetch(`${parley.url}/chat/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      const { token } = (await res.json()) as { token: string };
      // Nothing new for this session: the poll waits (up to its long-poll bound).
      waiting.push(
        fetch(`${parley.url}/chat/api/messages`, {
          headers: { authorization: `Bearer ${token}` },
          signal: polls.signal,
        }).catch(() => undefined),
      );
    }
    await new Promise((r) => setTimeout(r, 200)); // the polls are admitted and waiting
    const metrics = await (await fetch(`${parley.url}/metrics`)).text();
    expect(Number(/parley_http_in_flight (\d+)/.exec(metrics)?.[1])).toBeLessThan(MAX_IN_FLIGHT);
    expect((await parley.api('GET', '/tickets')).status).toBe(200);
    expect((await postWebhook(90)).res.status).toBe(200);
    polls.abort();
    await Promise.all(waiting);
  });

  it('counts requests that finished or were abandoned, so shedding stops', async () => {
    const socket = await holdRequest();
    socket.destroy(); // the client gives up mid-body
    for (let i = 0; i < MAX_IN_FLIGHT * 3; i++) {
      expect((await postWebhook(100 + i)).res.status).toBe(200);
    }
  });
});
