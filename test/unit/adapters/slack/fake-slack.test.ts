import { afterEach, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../../../fakes/slack-api.js';

const TOKEN = 'xoxb-test-token';
let fake: FakeSlack | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function call(method: string, body: Record<string, string>, form = false) {
  const res = await fetch(`${fake!.apiUrl}${method}`, {
    method: 'POST',
    headers: form
      ? { 'content-type': 'application/x-www-form-urlencoded' }
      : { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: form ? new URLSearchParams({ token: TOKEN, ...body }).toString() : JSON.stringify(body),
  });
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    body: (await res.json()) as any,
  };
}

describe('fake Slack Web API', () => {
  it('limits postMessage/update to N per channel per second with 429 + Retry-After: 1', async () => {
    let now = 1_000_000;
    fake = await startFakeSlack({ token: TOKEN, rateLimitPerChannelPerSecond: 2, now: () => now });
    const post = (channel: string) => call('chat.postMessage', { channel, text: 'hi' });
    expect((await post('C1')).status).toBe(200);
    expect((await post('C1')).status).toBe(200);
    const third = await post('C1');
    expect(third).toEqual({
      status: 429,
      retryAfter: '1',
      body: { ok: false, error: 'ratelimited' },
    });
    expect((await post('C2')).status).toBe(200); // per channel
    const ts = fake.posted('C1')[0]!.ts;
    expect((await call('chat.update', { channel: 'C1', ts, text: 'x' })).status).toBe(429);
    expect((await call('auth.test', {})).status).toBe(200); // other methods are not limited
    now += 999;
    expect((await post('C1')).status).toBe(429);
    now += 1;
    expect((await post('C1')).status).toBe(200);
    expect(fake.rateLimitedCount).toBe(3);
    expect(fake.posted('C1')).toHaveLength(3);
  });

  it('takes form bodies with a token field, decoding JSON fields', async () => {
    fake = await startFakeSlack({ token: TOKEN });
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }];
    const res = await call(
      'chat.postMessage',
      { channel: 'C1', text: 'hi', blocks: JSON.stringify(blocks) },
      true,
    );
    expect(res.body).toMatchObject({ ok: true, channel: 'C1', ts: '1767261600.000100' });
    expect(fake.posted()[0]!.blocks).toEqual(blocks);
    const noToken = await fetch(`${fake.apiUrl}auth.test`, { method: 'POST' });
    expect(await noToken.json()).toEqual({ ok: false, error: 'not_authed' });
    expect((await call('nope.method', {})).body).toEqual({ ok: false, error: 'unknown_method' });
  });

  it('answers errors Slack would: no_text, message_not_found', async () => {
    fake = await startFakeSlack({ token: TOKEN });
    expect((await call('chat.postMessage', { channel: 'C1' })).body.error).toBe('no_text');
    expect(
      (await call('chat.update', { channel: 'C1', ts: '1.000001', text: 'x' })).body.error,
    ).toBe('message_not_found');
    expect((await call('views.open', { trigger_id: 't' })).body.error).toBe('invalid_arguments');
  });
});
