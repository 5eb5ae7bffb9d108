import { createHmac } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { createWhatsAppCloudChannel } from '../../../../adapters/whatsapp-cloud/index.js';
import type { InboundEvent } from '../../../../src/ports/channel.js';
import { fixtureBytes } from './fixtures.js';

const APP_SECRET = 'test-app-secret';
const VERIFY_TOKEN = 'verify-me';
const sign = (body: Buffer, secret = APP_SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };

function setup(onEvent: (e: InboundEvent) => Promise<void> = async () => {}) {
  const recorded: InboundEvent[] = [];
  const handler = vi.fn(async (e: InboundEvent) => {
    await onEvent(e);
    recorded.push(e);
  });
  const channel = createWhatsAppCloudChannel({
    token: 't',
    phoneNumberId: '100000000000002',
    appSecret: APP_SECRET,
    verifyToken: VERIFY_TOKEN,
    graphUrl: 'http://127.0.0.1:9/v21.0',
    logger,
    onEvent: handler,
    readFile: async () => Buffer.alloc(0),
  });
  return { channel, handler, recorded };
}

const post = (rawBody: Buffer, headers: Record<string, string | undefined> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  rawBody,
});

describe('POST /webhooks/whatsapp', () => {
  it('records the events of a correctly signed notification, then answers 200', async () => {
    const { channel, recorded } = setup();
    const body = fixtureBytes('text.json');
    const res = await channel.handleWebhook(post(body, { 'x-hub-signature-256': sign(body) }));
    expect(res.status).toBe(200);
    expect(recorded.map((e) => [e.kind, e.text])).toEqual([
      ['text', 'Hi, my order #1042 has not arrived yet.'],
    ]);
  });

  it('answers only after onEvent resolved', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { channel, recorded } = setup(() => gate);
    const body = fixtureBytes('status_failed.json');
    let settled = false;
    const pending = channel
      .handleWebhook(post(body, { 'X-Hub-Signature-256': sign(body) }))
      .then((r) => ((settled = true), r));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    release();
    expect((await pending).status).toBe(200);
    expect(recorded[0]?.status).toMatchObject({ status: 'failed', errorCode: 131047 });
  });

  it.each([
    ['missing', undefined],
    ['signed with another secret', sign(fixtureBytes('text.json'), 'other-secret')],
    ['not hex', 'sha256=zz'],
    ['without prefix', sign(fixtureBytes('text.json')).slice('sha256='.length)],
  ])('rejects a signature that is %s with 401 and records nothing', async (_, signature) => {
    const { channel, handler } = setup();
    const res = await channel.handleWebhook(
      post(fixtureBytes('text.json'), { 'x-hub-signature-256': signature }),
    );
    expect(res.status).toBe(401);
    expect(handler).not.toHaveBeenCalled();
  });

  it('rejects a signature over different bytes (re-serialized body)', async () => {
    const { channel, handler } = setup();
    const original = fixtureBytes('text.json');
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(original.toString())));
    const res = await channel.handleWebhook(
      post(reserialized, { 'x-hub-signature-256': sign(original) }),
    );
    expect(res.status).toBe(401);
    expect(handler).not.toHaveBeenCalled();
  });

  it('answers 500 when recording fails, so Meta redelivers', async () => {
    const { channel } = setup(async () => {
      throw new Error('db down');
    });
    const body = fixtureBytes('image.json');
    const res = await channel.handleWebhook(post(body, { 'x-hub-signature-256': sign(body) }));
    expect(res.status).toBe(500);
  });

  it('answers 400 to a signed body that is not JSON', async () => {
    const { channel, handler } = setup();
    const body = Buffer.from('{"object": "whatsapp_business_account", ');
    const res = await channel.handleWebhook(post(body, { 'x-hub-signature-256': sign(body) }));
    expect(res.status).toBe(400);
    expect(handler).not.toHaveBeenCalled();
  });

  it('answers 200 and records nothing for kinds it does not handle', async () => {
    const { channel, handler } = setup();
    const body = Buffer.from(
      JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [{ id: '1', changes: [{ field: 'account_update', value: { event: 'X' } }] }],
      }),
    );
    const res = await channel.handleWebhook(post(body, { 'x-hub-signature-256': sign(body) }));
    expect(res.status).toBe(200);
    expect(handler).not.toHaveBeenCalled();
  });

  it('skips events addressed to another business number', async () => {
    const { channel, handler } = setup();
    const body = Buffer.from(
      fixtureBytes('text.json').toString().replace('"100000000000002"', '"100000000000999"'),
    );
    const res = await channel.handleWebhook(post(body, { 'x-hub-signature-256': sign(body) }));
    expect(res.status).toBe(200);
    expect(handler).not.toHaveBeenCalled();
  });

  it('refuses other methods', async () => {
    const { channel } = setup();
    expect(
      (await channel.handleWebhook({ method: 'PUT', headers: {}, rawBody: Buffer.alloc(0) }))
        .status,
    ).toBe(405);
  });
});

describe('GET /webhooks/whatsapp (subscription)', () => {
  const get = (query: Record<string, string | undefined>) => ({
    method: 'GET',
    headers: {},
    rawBody: Buffer.alloc(0),
    query,
  });

  it('echoes the challenge as text when the verify token matches', async () => {
    const { channel } = setup();
    const res = await channel.handleVerify(
      get({
        'hub.mode': 'subscribe',
        'hub.verify_token': VERIFY_TOKEN,
        'hub.challenge': '1158201444',
      }),
    );
    expect(res).toEqual({
      status: 200,
      body: '1158201444',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  });

  it.each([
    [{ 'hub.mode': 'subscribe', 'hub.verify_token': 'wrong', 'hub.challenge': '1' }],
    [{ 'hub.mode': 'unsubscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1' }],
    [{ 'hub.mode': 'subscribe', 'hub.challenge': '1' }],
    [{ 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN }],
    [{}],
  ])('answers 403 to %o', async (query) => {
    const { channel } = setup();
    expect((await channel.handleVerify(get(query))).status).toBe(403);
  });
});
