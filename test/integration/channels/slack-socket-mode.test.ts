/**
 * Socket Mode (issue 4, local use): with SLACK_APP_TOKEN set and no signing secret, Parley opens
 * a Socket Mode connection through `apps.connections.open` on the fake Slack API, gets `hello`
 * from the fake Socket Mode server, and handles envelopes with the same handlers as
 * `/slack/events`: a thread reply (events_api) reaches the Telegram customer once even when
 * redelivered, a slash command's answer comes back in its acknowledgement, and a Claim button
 * (interactive) assigns. Every envelope is acknowledged by its envelope_id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../fakes/slack-api.js';
import { type FakeSocketMode, startFakeSocketMode } from '../../fakes/slack-socket-mode.js';
import { type FakeTelegram, startFakeTelegram } from '../../fakes/telegram-api.js';
import { outboxDrained, sharedFixture, waitFor } from '../../support/chat-driver.js';
import { slashCommandFields, threadReplyEnvelope } from '../../support/slack-driver.js';
import { type TestParley, startTestParley } from '../../support/test-parley.js';
import { postTelegramWebhook, telegramWebhookEnv } from '../../support/telegram-env.js';

const BOT_TOKEN = 'xoxb-socket';
const APP_TOKEN = 'xapp-1-A0TESTHD01-socket';
const TRIAGE = 'C0TESTSUP1';
const AGENT = 'U0TESTAGTB';
const TG_TOKEN = '779:TEST-socket';
const TG_SECRET = 'tg_secret_for_socket';

let socket: FakeSocketMode;
let slack: FakeSlack;
let telegram: FakeTelegram;
let parley: TestParley;

beforeAll(async () => {
  socket = await startFakeSocketMode();
  slack = await startFakeSlack({
    token: BOT_TOKEN,
    appToken: APP_TOKEN,
    socketModeUrl: () => socket.url,
  });
  telegram = await startFakeTelegram({ token: TG_TOKEN });
  parley = await startTestParley({
    channels: { slackPaceIntervalMs: 10 },
    env: {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_APP_TOKEN: APP_TOKEN,
      SLACK_API_URL: slack.apiUrl,
      SLACK_TRIAGE_CHANNEL: TRIAGE,
      SLACK_THREAD_REPLIES: 'customer',
      ...telegramWebhookEnv(TG_TOKEN, TG_SECRET, telegram.apiRoot),
    },
  });
  await parley.api('POST', '/agents', {
    body: { name: 'Agent B', role: 'agent', slack_user_id: AGENT },
  });
  await socket.connected();
});
afterAll(async () => {
  await parley?.close();
  await socket?.close();
  await slack?.close();
  await telegram?.close();
});

const drained = () => outboxDrained(parley.database.pool);
const sentToCustomer = () => telegram.calls('sendMessage').map((c) => String(c.body.text));

async function customerSays(text: string) {
  const base = sharedFixture('telegram/message_text.json');
  base.update_id = 710000000 + Math.floor(Math.random() * 1000000);
  base.message.message_id = Math.floor(Math.random() * 1000000);
  base.message.text = text;
  const res = await postTelegramWebhook(parley.url, TG_SECRET, base);
  expect(res.status).toBe(200);
  await drained();
}

describe('Slack Socket Mode', () => {
  let cardTs = '';
  let number = '';

  it('connects with the app-level token through apps.connections.open', async () => {
    const open = slack.requests.filter((r) => r.method === 'apps.connections.open');
    expect(open.length).toBeGreaterThanOrEqual(1);
    expect(open[0]!.headers.authorization).toBe(`Bearer ${APP_TOKEN}`);
    // Without a signing secret there is no HTTP route to forge events through.
    const res = await fetch(`${parley.url}/slack/events`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
    await customerSays('agent');
    const card = await waitFor(() => slack.posted(TRIAGE).find((m) => !m.thread_ts));
    cardTs = card.ts;
    number = /TK-\d{4}-\d{5}/.exec(JSON.stringify(card.blocks) + card.text)![0];
  });

  it("sends an agent's thread reply (events_api) to the customer once, even redelivered", async () => {
    const before = sentToCustomer().length;
    const text = 'Your replacement left our warehouse today';
    const ts = slack.userPosts(TRIAGE, { user: AGENT, text, thread_ts: cardTs });
    const envelope = threadReplyEnvelope({
      channel: TRIAGE,
      threadTs: cardTs,
      ts,
      user: AGENT,
      text,
      eventId: 'Ev0SOCKET01',
    });
    const first = socket.send('events_api', envelope);
    expect((await socket.ackOf(first)).envelope_id).toBe(first);
    await waitFor(() => (sentToCustomer().length > before ? true : undefined));
    const again = socket.send('events_api', envelope, { retryAttempt: 1 });
    await socket.ackOf(again);
    await drained();
    expect(sentToCustomer().slice(before)).toEqual([text]);
    // The delivery mark works over the socket too.
    await waitFor(() => (slack.reactionsOn(TRIAGE, ts).includes('outbox_tray') ? true : undefined));
  });

  it("answers a slash command (slash_commands) in the envelope's acknowledgement", async () => {
    const id = socket.send(
      'slash_commands',
      slashCommandFields(`status ${number} in_progress`, AGENT),
    );
    const ack = await socket.ackOf(id);
    expect(ack.payload?.response_type).toBe('ephemeral');
    expect(String(ack.payload?.text)).toContain(number);
    expect((await parley.api('GET', `/tickets/${number}`)).body.status).toBe('in_progress');

    const outsider = socket.send(
      'slash_commands',
      slashCommandFields(`close ${number}`, 'U0NOBODY1'),
    );
    expect((await socket.ackOf(outsider)).payload?.text).toBe('You are not an agent of this team.');
  });

  it('runs a Claim button (interactive) as the agent', async () => {
    const claim = sharedFixture('slack/block_actions.json');
    claim.actions = [
      { action_id: 'ticket_claim', block_id: 'x', type: 'button', value: number, action_ts: '1' },
    ];
    claim.response_url = slack.responseUrl('socket-claim');
    const id = socket.send('interactive', claim);
    await socket.ackOf(id);
    await waitFor(async () =>
      (await parley.api('GET', `/tickets/${number}`)).body.assignee ? true : undefined,
    );
    expect((await parley.api('GET', `/tickets/${number}`)).body.assignee.name).toBe('Agent B');
  });
});
