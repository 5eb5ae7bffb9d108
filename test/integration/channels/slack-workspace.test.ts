import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../../adapters/slack/verify.js';
import { type FakeSlack, startFakeSlack } from '../../fakes/slack-api.js';
import { type FakeTelegram, apiError, startFakeTelegram } from '../../fakes/telegram-api.js';
import { outboxDrained, sharedFixture, waitFor } from '../../support/chat-driver.js';
import { type TestParley, startTestParley } from '../../support/test-parley.js';
import { postTelegramWebhook, telegramWebhookEnv } from '../../support/telegram-env.js';

const SLACK_TOKEN = 'xoxb-test-token';
const SIGNING = 'slack-signing-secret-for-tests';
const TRIAGE = 'C0TESTSUP1';
const AGENT_SLACK_ID = 'U0TESTAGTB';
const TG_TOKEN = '777:TEST-slack-suite';
const TG_SECRET = 'tg_secret_for_slack_suite';

let slack: FakeSlack;
let telegram: FakeTelegram;
let parley: TestParley;
let update = 700000000;
let tgMessage = 9000;

beforeAll(async () => {
  slack = await startFakeSlack({
    token: SLACK_TOKEN,
    users: { U0TESTOUTS: { name: 'outsider', email: 'outsider@example.test' } },
  });
  telegram = await startFakeTelegram({ token: TG_TOKEN });
  parley = await startTestParley({
    // Slack's pace is one message per second per channel; the fake has no limit, so keep tests quick.
    channels: { slackPaceIntervalMs: 20 },
    env: {
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING,
      SLACK_API_URL: slack.apiUrl,
      SLACK_TRIAGE_CHANNEL: TRIAGE,
      SLACK_THREAD_REPLIES: 'customer',
      ...telegramWebhookEnv(TG_TOKEN, TG_SECRET, telegram.apiRoot),
    },
  });
  await parley.api('POST', '/agents', {
    body: { name: 'Agent B', role: 'agent', slack_user_id: AGENT_SLACK_ID },
  });
});
afterAll(async () => {
  await parley?.close();
  await slack?.close();
  await telegram?.close();
});

const drained = () => outboxDrained(parley.database.pool);

async function customerSays(text: string) {
  const base = sharedFixture('telegram/message_text.json');
  base.update_id = update++;
  base.message.message_id = tgMessage++;
  base.message.text = text;
  const res = await postTelegramWebhook(parley.url, TG_SECRET, base);
  expect(res.status).toBe(200);
  await drained();
}

async function slackPost(
  body: string,
  contentType: string,
  opts: { ts?: number; retry?: number; sign?: boolean } = {},
) {
  const ts = opts.ts ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-slack-request-timestamp': String(ts),
  };
  if (opts.sign !== false) headers['x-slack-signature'] = signSlackRequest(SIGNING, ts, body);
  if (opts.retry) headers['x-slack-retry-num'] = String(opts.retry);
  const res = await fetch(`${parley.url}/slack/events`, { method: 'POST', headers, body });
  return { status: res.status, body: await res.text() };
}

function threadEvent(threadTs: string, text: string, eventId: string, user = AGENT_SLACK_ID) {
  const e = sharedFixture('slack/event_message_in_thread.json');
  Object.assign(e.event, {
    text,
    thread_ts: threadTs,
    channel: TRIAGE,
    user,
    ts: `${Date.now() / 1000}`,
  });
  delete e.event.blocks;
  e.event_id = eventId;
  return JSON.stringify(e);
}

function slashCommand(text: string, user = AGENT_SLACK_ID) {
  const raw = readFileSync(
    fileURLToPath(new URL('../../../../shared/fixtures/slack/slash_command.txt', import.meta.url)),
    'utf8',
  );
  const form = new URLSearchParams(raw);
  form.set('text', text);
  form.set('user_id', user);
  return form.toString();
}

const card = () => slack.posted(TRIAGE).find((m) => !m.thread_ts)!;
const sentToCustomer = () => telegram.calls('sendMessage').map((r) => String(r.body.text));

describe('the Slack workspace', () => {
  let number = '';

  it("posts a Telegram customer's ticket as a card, and the next customer message as a thread reply", async () => {
    await customerSays('agent');
    const posted = await waitFor(() => slack.posted(TRIAGE)[0]);
    number = /TK-\d{4}-\d{5}/.exec(JSON.stringify(posted.blocks) + posted.text)![0];
    expect(JSON.stringify(posted.blocks)).toContain('ticket_claim');
    await customerSays('My parcel never came');
    await drained();
    const replies = slack.posted(TRIAGE).filter((m) => m.thread_ts === card().ts);
    expect(replies.map((m) => m.text).join('\n')).toContain('My parcel never came');
  });

  it("sends an agent's thread reply to the customer, never a note:, and handles a retried event once", async () => {
    const before = sentToCustomer().length;
    const reply = threadEvent(card().ts, 'We are sending a new one today', 'Ev0REPLY01');
    expect((await slackPost(reply, 'application/json')).status).toBe(200);
    expect((await slackPost(reply, 'application/json', { retry: 1 })).status).toBe(200);
    expect(
      (
        await slackPost(
          threadEvent(card().ts, 'note: courier is slow here', 'Ev0NOTE01'),
          'application/json',
        )
      ).status,
    ).toBe(200);
    await drained();
    const sent = sentToCustomer().slice(before);
    expect(sent).toEqual(['We are sending a new one today']);
    const messages = (await parley.api('GET', `/tickets/${number}/messages`)).body.data as {
      body: string;
      internal: boolean;
    }[];
    expect(messages.filter((m) => m.body === 'We are sending a new one today')).toHaveLength(1);
    expect(messages.find((m) => m.body === 'courier is slow here')?.internal).toBe(true);
  });

  it('changes status with /ticket and updates the card in place; Claim assigns', async () => {
    const claim = sharedFixture('slack/block_actions.json');
    claim.actions = [
      { action_id: 'ticket_claim', block_id: 'x', type: 'button', value: number, action_ts: '1' },
    ];
    claim.response_url = slack.responseUrl('claim');
    const claimBody = `payload=${encodeURIComponent(JSON.stringify(claim))}`;
    expect((await slackPost(claimBody, 'application/x-www-form-urlencoded')).status).toBe(200);
    await waitFor(async () =>
      (await parley.api('GET', `/tickets/${number}`)).body.assignee ? true : undefined,
    );
    expect((await parley.api('GET', `/tickets/${number}`)).body.assignee.name).toBe('Agent B');

    await parley.api('PATCH', `/tickets/${number}`, { body: { status: 'in_progress' } });
    const res = await slackPost(
      slashCommand(`status ${number} awaiting_customer`),
      'application/x-www-form-urlencoded',
    );
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).response_type).toBe('ephemeral');
    expect((await parley.api('GET', `/tickets/${number}`)).body.status).toBe('awaiting_customer');
    await drained();
    expect(card().edits).toBeGreaterThan(0);
    expect(JSON.stringify(card().blocks)).toMatch(/awaiting/i);
  });

  it('refuses a non-agent, and an unsigned or stale request gets 401 and changes nothing', async () => {
    const res = await slackPost(
      slashCommand(`close ${number}`, 'U0TESTOUTS'),
      'application/x-www-form-urlencoded',
    );
    expect(JSON.parse(res.body).text).toBe('You are not an agent of this team.');
    expect(
      (
        await slackPost(slashCommand(`close ${number}`), 'application/x-www-form-urlencoded', {
          sign: false,
        })
      ).status,
    ).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 600;
    expect(
      (
        await slackPost(slashCommand(`close ${number}`), 'application/x-www-form-urlencoded', {
          ts: stale,
        })
      ).status,
    ).toBe(401);
    expect((await parley.api('GET', `/tickets/${number}`)).body.status).toBe('awaiting_customer');
  });

  it("puts a customer delivery that failed for good into the ticket's thread", async () => {
    telegram.script('sendMessage', [apiError(403, 'Forbidden: bot was blocked by the user')]);
    const reply = await parley.api('POST', `/tickets/${number}/messages`, {
      body: { body: 'Your replacement ships tomorrow.' },
    });
    expect(reply.status).toBe(201);
    await drained();
    const thread = slack.posted(TRIAGE).filter((m) => m.thread_ts === card().ts);
    const warning = thread.find((m) => m.text.includes('Not delivered to the customer'));
    expect(warning?.text).toContain('telegram');
    expect(warning?.text).toContain('blocked');
  });
});
