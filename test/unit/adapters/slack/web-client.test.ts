import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlackApiError, toSlackApiError } from '../../../../adapters/slack/errors.js';
import { renderModal } from '../../../../adapters/slack/modals.js';
import { renderTicketCard } from '../../../../adapters/slack/ticket-card.js';
import {
  createSlackWebClient,
  type SlackWebClient,
} from '../../../../adapters/slack/web-client.js';
import { slackError, startFakeSlack, type FakeSlack } from '../../../fakes/slack-api.js';
import { fixtureJson } from './fixtures.js';

const TOKEN = 'xoxb-test-token';
const CHANNEL = 'C0TESTSUP1';

let fake: FakeSlack;
let client: SlackWebClient;

beforeEach(async () => {
  fake = await startFakeSlack({
    token: TOKEN,
    channels: [CHANNEL, 'C0TESTMGR1'],
    users: { U0TESTAGTB: { name: 'agent.b', real_name: 'Agent B', email: 'agent.b@example.test' } },
  });
  client = createSlackWebClient({ token: TOKEN, apiUrl: fake.apiUrl });
});

afterEach(async () => {
  await fake.close();
});

async function failure(p: Promise<unknown>): Promise<SlackApiError> {
  const err = await p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SlackApiError);
  return err as SlackApiError;
}

const card = renderTicketCard(
  {
    number: 'TK-2026-00042',
    subject: 'Order 1042 not delivered',
    customerName: 'Cust A',
    channel: 'whatsapp',
    category: 'order_issue',
    priority: 'high',
    status: 'new',
    assigneeName: null,
    slaDueAt: null,
    breached: false,
    links: {},
  },
  { replyMode: 'replies_to_customer' },
);

describe('createSlackWebClient against the fake', () => {
  it('posts a card, replies in its thread and updates the card', async () => {
    const root = await client.postMessage({ channel: CHANNEL, ...card });
    expect(root).toEqual({ channel: CHANNEL, ts: '1767261600.000100' });
    const reply = await client.postMessage({
      channel: CHANNEL,
      text: 'Cust A: any news?',
      thread_ts: root.ts,
    });
    expect(reply.ts > root.ts).toBe(true);
    const updated = await client.update({
      channel: CHANNEL,
      ts: root.ts,
      text: 'claimed',
      blocks: card.blocks,
    });
    expect(updated).toEqual(root);

    const [posted, threaded] = fake.posted(CHANNEL);
    expect(posted).toMatchObject({ ts: root.ts, text: 'claimed', edits: 1, blocks: card.blocks });
    expect(threaded).toMatchObject({ ts: reply.ts, thread_ts: root.ts, text: 'Cust A: any news?' });
    const request = fake.requests.find((r) => r.method === 'chat.postMessage')!;
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('the fake answers postMessage in the documented shape', async () => {
    const root = await client.postMessage({ channel: CHANNEL, text: 'root' });
    const raw = await client.web.apiCall('chat.postMessage', {
      channel: CHANNEL,
      text: 'reply',
      thread_ts: root.ts,
    });
    const documented = fixtureJson('chat_postMessage_response.json');
    expect(
      Object.keys(raw)
        .filter((k) => k !== 'response_metadata')
        .sort(),
    ).toEqual(Object.keys(documented).sort());
    expect((raw as any).message).toMatchObject({
      thread_ts: root.ts,
      parent_user_id: 'U0TESTBOT1',
      bot_id: 'B0TESTBOT1',
    });
  });

  it('a 429 is a SlackApiError with retryAfterMs, not a retry or a wait', async () => {
    fake.script('chat.postMessage', [slackError('ratelimited', { status: 429, retryAfter: '7' })]);
    const err = await failure(client.postMessage({ channel: CHANNEL, text: 'hi' }));
    expect(err).toMatchObject({
      method: 'chat.postMessage',
      status: 429,
      code: 'ratelimited',
      retryAfterMs: 7000,
      permanent: false,
    });
    expect(fake.requests.filter((r) => r.method === 'chat.postMessage')).toHaveLength(1);
    expect(fake.rateLimitedCount).toBe(1);
  });

  it("the fake's per-channel rate limit surfaces as retryAfterMs 1000", async () => {
    const limited = await startFakeSlack({ token: TOKEN, rateLimitPerChannelPerSecond: 1 });
    try {
      const c = createSlackWebClient({ token: TOKEN, apiUrl: limited.apiUrl });
      await c.postMessage({ channel: CHANNEL, text: 'one' });
      const err = await failure(c.postMessage({ channel: CHANNEL, text: 'two' }));
      expect(err).toMatchObject({ status: 429, code: 'ratelimited', retryAfterMs: 1000 });
      expect(limited.rateLimitedCount).toBe(1);
      expect(limited.posted(CHANNEL)).toHaveLength(1);
    } finally {
      await limited.close();
    }
  });

  it('channel_not_found, invalid_auth, msg_too_long are permanent', async () => {
    const lost = await failure(client.postMessage({ channel: 'C0GONE', text: 'hi' }));
    expect(lost).toMatchObject({
      method: 'chat.postMessage',
      code: 'channel_not_found',
      permanent: true,
    });
    expect(lost.retryAfterMs).toBeUndefined();
    const long = await failure(client.postMessage({ channel: CHANNEL, text: 'x'.repeat(40001) }));
    expect(long).toMatchObject({ code: 'msg_too_long', permanent: true });
    const badToken = createSlackWebClient({ token: 'xoxb-wrong', apiUrl: fake.apiUrl });
    expect(await failure(badToken.authTest())).toMatchObject({
      code: 'invalid_auth',
      permanent: true,
    });
  });

  it('server trouble and network failures are retryable', async () => {
    fake.script('chat.update', [{ status: 503, body: 'unavailable' }]);
    expect(await failure(client.update({ channel: CHANNEL, ts: '1.2', text: 'x' }))).toMatchObject({
      method: 'chat.update',
      status: 503,
      code: 'http_503',
      permanent: false,
    });
    fake.script('chat.postMessage', [slackError('internal_error')]);
    expect(await failure(client.postMessage({ channel: CHANNEL, text: 'x' }))).toMatchObject({
      code: 'internal_error',
      permanent: false,
    });
    const down = createSlackWebClient({
      token: TOKEN,
      apiUrl: 'http://127.0.0.1:9/api/',
      timeoutMs: 2000,
    });
    expect(await failure(down.postMessage({ channel: CHANNEL, text: 'x' }))).toMatchObject({
      code: 'request_error',
      permanent: false,
    });
  });

  it('respond POSTs JSON to the response_url', async () => {
    const url = fake.responseUrl('cmd1');
    await client.respond(url, { text: 'Ticket TK-2026-00042 claimed', response_type: 'ephemeral' });
    expect(fake.responses('cmd1')).toEqual([
      { id: 'cmd1', body: { text: 'Ticket TK-2026-00042 claimed', response_type: 'ephemeral' } },
    ]);
    fake.script('response_url', [{ status: 404, body: { ok: false, error: 'expired_url' } }]);
    expect(await failure(client.respond(url, { text: 'late' }))).toMatchObject({
      method: 'response_url',
      status: 404,
      code: 'expired_url',
      permanent: true,
    });
    fake.script('response_url', [{ status: 429, headers: { 'retry-after': '2' } }]);
    expect(await failure(client.respond(url, { text: 'x' }))).toMatchObject({
      retryAfterMs: 2000,
      permanent: false,
    });
  });

  it('respond refuses URLs off Slack and off the configured API host', async () => {
    const err = await failure(client.respond('http://169.254.169.254/latest', { text: 'x' }));
    expect(err).toMatchObject({ code: 'response_url_not_allowed', permanent: true });
    expect(await failure(client.respond('not a url', { text: 'x' }))).toMatchObject({
      code: 'response_url_not_allowed',
    });
  });

  it('authTest, usersInfo, postEphemeral, openView, addReaction', async () => {
    expect(await client.authTest()).toEqual({
      user_id: 'U0TESTBOT1',
      bot_id: 'B0TESTBOT1',
      team_id: 'T0TESTHD01',
      team: 'Example Helpdesk Test',
      url: 'https://example-helpdesk-test.slack.com/',
    });
    expect(await client.usersInfo('U0TESTAGTB')).toEqual({
      id: 'U0TESTAGTB',
      name: 'agent.b',
      real_name: 'Agent B',
      display_name: 'agent.b',
      email: 'agent.b@example.test',
      is_bot: false,
      deleted: false,
      tz: 'Asia/Kolkata',
    });
    expect(await failure(client.usersInfo('U0NOBODY'))).toMatchObject({
      code: 'user_not_found',
      permanent: true,
    });
    expect(
      (await client.postEphemeral({ channel: CHANNEL, user: 'U0TESTAGTB', text: 'only you' }))
        .message_ts,
    ).toMatch(/^\d+\.\d{6}$/);
    const view = renderModal('resolve', 'TK-2026-00042');
    expect(await client.openView('trigger-1', view)).toEqual({ view_id: 'V0FAKE1' });
    expect(fake.views()[0]).toMatchObject({
      callback_id: 'ticket_resolve',
      private_metadata: 'TK-2026-00042',
    });
    const root = await client.postMessage({ channel: CHANNEL, text: 'root' });
    await client.addReaction({ channel: CHANNEL, timestamp: root.ts, name: 'eyes' });
    expect(
      await failure(client.addReaction({ channel: CHANNEL, timestamp: root.ts, name: 'eyes' })),
    ).toMatchObject({
      code: 'already_reacted',
    });
  });
});

describe('toSlackApiError', () => {
  it('keeps a SlackApiError and wraps anything else as retryable', () => {
    const e = new SlackApiError('x', { method: 'm', code: 'c', permanent: true });
    expect(toSlackApiError('m', e)).toBe(e);
    expect(toSlackApiError('m', new TypeError('boom'))).toMatchObject({
      code: 'request_error',
      permanent: false,
    });
  });
});
