/**
 * Delivery marks (issue 4): an agent's reply is marked in Slack once the platform took it
 * (📤 `outbox_tray`), once WhatsApp says delivered (✔️ `heavy_check_mark`), or when it failed for
 * good (❌ `x`, next to the thread notice with the reason). The marks are the bot's own
 * reactions, through the outbox, and never run a reaction shortcut.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGraph, startFakeGraph } from '../../fakes/graph-api.js';
import { type FakeSlack, startFakeSlack } from '../../fakes/slack-api.js';
import { type FakeTelegram, apiError, startFakeTelegram } from '../../fakes/telegram-api.js';
import { outboxDrained, sharedFixture, waitFor } from '../../support/chat-driver.js';
import { slackDriver, slashCommandForm, threadReplyEnvelope } from '../../support/slack-driver.js';
import { type TestParley, startTestParley } from '../../support/test-parley.js';
import { systemClock } from '../../../src/domain/clock.js';
import { clickSlackButton } from '../sla/sla-helpers.js';
import { postTelegramWebhook, telegramWebhookEnv } from '../../support/telegram-env.js';

const SLACK_TOKEN = 'xoxb-marks';
const SIGNING = 'marks-signing-secret';
const TRIAGE = 'C0TESTSUP1';
const AGENT = 'U0TESTAGTB';
const BOT = 'U0TESTBOT1';
const TG_TOKEN = '778:TEST-marks';
const TG_SECRET = 'tg_secret_for_marks';
const WA_TOKEN = 'EAAG-marks';
const WA_SECRET = 'whatsapp-app-secret-marks';
const PHONE_NUMBER_ID = '100000000000002';

let slack: FakeSlack;
let telegram: FakeTelegram;
let graph: FakeGraph;
let parley: TestParley;
let seq = 0;

beforeAll(async () => {
  slack = await startFakeSlack({ token: SLACK_TOKEN, botUserId: BOT });
  telegram = await startFakeTelegram({ token: TG_TOKEN });
  graph = await startFakeGraph({ token: WA_TOKEN });
  parley = await startTestParley({
    channels: { slackPaceIntervalMs: 10 },
    env: {
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING,
      SLACK_API_URL: slack.apiUrl,
      SLACK_TRIAGE_CHANNEL: TRIAGE,
      SLACK_THREAD_REPLIES: 'customer',
      ...telegramWebhookEnv(TG_TOKEN, TG_SECRET, telegram.apiRoot),
      WHATSAPP_MODE: 'cloud',
      WHATSAPP_TOKEN: WA_TOKEN,
      WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
      WHATSAPP_APP_SECRET: WA_SECRET,
      WHATSAPP_VERIFY_TOKEN: 'verify-marks',
      WHATSAPP_GRAPH_URL: graph.baseUrl,
    },
  });
  await parley.api('POST', '/agents', {
    body: { name: 'Agent B', role: 'agent', slack_user_id: AGENT },
  });
});
afterAll(async () => {
  await parley?.close();
  await slack?.close();
  await telegram?.close();
  await graph?.close();
});

const drained = () => outboxDrained(parley.database.pool);
const driver = slackDriver(() => parley.url, SIGNING);

async function telegramCustomerSays(text: string, chatId: number) {
  const base = sharedFixture('telegram/message_text.json');
  base.update_id = 800000000 + seq++;
  base.message.message_id = 5000 + seq;
  base.message.chat.id = chatId;
  base.message.from.id = chatId;
  base.message.text = text;
  const res = await postTelegramWebhook(parley.url, TG_SECRET, base);
  expect(res.status).toBe(200);
  await drained();
}

/** A signed WhatsApp notification, as Meta sends it (the signature covers the bytes sent). */
async function whatsappPost(notification: unknown) {
  const body = JSON.stringify(notification);
  const res = await fetch(`${parley.url}/webhooks/whatsapp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': `sha256=${createHmac('sha256', WA_SECRET).update(body).digest('hex')}`,
    },
    body,
  });
  expect(res.status).toBe(200);
  await drained();
}

async function whatsappCustomerSays(waId: string, text: string) {
  const base = sharedFixture('whatsapp/text.json');
  const value = base.entry[0].changes[0].value;
  value.contacts = [{ profile: { name: 'Cust W' }, wa_id: waId }];
  value.messages = [
    {
      from: waId,
      id: `wamid.MARKS${Date.now()}${seq++}`,
      timestamp: String(Math.floor(Date.now() / 1000)),
      type: 'text',
      text: { body: text },
    },
  ];
  await whatsappPost(base);
}

/** The card (thread parent) of the newest ticket in triage, and its number. */
async function newestCard(before: number) {
  const card = await waitFor(() => slack.posted(TRIAGE).filter((m) => !m.thread_ts)[before]);
  const number = /TK-\d{4}-\d{5}/.exec(JSON.stringify(card.blocks) + card.text)![0];
  return { card, number };
}
const cardCount = () => slack.posted(TRIAGE).filter((m) => !m.thread_ts).length;

/** Agent B writes in the card's thread in Slack, and Slack tells Parley. */
async function agentRepliesInThread(cardTs: string, text: string) {
  const ts = slack.userPosts(TRIAGE, { user: AGENT, text, thread_ts: cardTs });
  const envelope = threadReplyEnvelope({
    channel: TRIAGE,
    threadTs: cardTs,
    ts,
    user: AGENT,
    text,
    eventId: `Ev0MARK${seq++}`,
  });
  expect((await driver.postEvent(envelope)).status).toBe(200);
  await drained();
  return ts;
}

const reactionCalls = () => slack.requests.filter((r) => r.method === 'reactions.add');

describe('delivery marks in Slack', () => {
  it("marks an agent's thread reply to a Telegram customer as sent, on the agent's own message", async () => {
    const before = cardCount();
    await telegramCustomerSays('agent', 100000101);
    const { card } = await newestCard(before);
    const ts = await agentRepliesInThread(card.ts, 'Your parcel left the warehouse');
    expect(telegram.calls('sendMessage').map((c) => String(c.body.text))).toContain(
      'Your parcel left the warehouse',
    );
    await waitFor(() => (slack.reactionsOn(TRIAGE, ts).length > 0 ? true : undefined));
    expect(slack.reactionsOn(TRIAGE, ts)).toEqual(['outbox_tray']);
    const call = reactionCalls().find((r) => r.params.timestamp === ts)!;
    expect(call.params).toMatchObject({ channel: TRIAGE, name: 'outbox_tray' });
  });

  it('marks a /ticket reply on its copy in the thread', async () => {
    const before = cardCount();
    await telegramCustomerSays('agent', 100000102);
    const { card, number } = await newestCard(before);
    const res = await driver.postCommand(
      slashCommandForm(`reply ${number} A courier calls you tomorrow`, AGENT),
    );
    expect(res.status).toBe(200);
    await drained();
    const copy = await waitFor(() =>
      slack
        .posted(TRIAGE)
        .find((m) => m.thread_ts === card.ts && m.text.includes('A courier calls you tomorrow')),
    );
    await waitFor(() => (slack.reactionsOn(TRIAGE, copy.ts).length > 0 ? true : undefined));
    expect(slack.reactionsOn(TRIAGE, copy.ts)).toEqual(['outbox_tray']);
  });

  it('marks a reply that failed for good with x, next to the notice with the reason', async () => {
    const before = cardCount();
    await telegramCustomerSays('agent', 100000103);
    const { card } = await newestCard(before);
    telegram.script('sendMessage', [apiError(403, 'Forbidden: bot was blocked by the user')]);
    const ts = await agentRepliesInThread(card.ts, 'Are you still there?');
    await waitFor(() => (slack.reactionsOn(TRIAGE, ts).length > 0 ? true : undefined));
    expect(slack.reactionsOn(TRIAGE, ts)).toEqual(['x']);
    const notice = slack
      .posted(TRIAGE)
      .find((m) => m.thread_ts === card.ts && m.text.includes('Not delivered'));
    expect(notice?.text).toContain('blocked');

    // The customer unblocks the bot; the agent presses Retry on the notice: sent again, once.
    const button = ((notice?.blocks ?? []) as any[])
      .flatMap((b: any) => b.elements ?? [])
      .find((e: any) => e.action_id === 'delivery_retry');
    expect(button?.value).toMatch(/\|/);
    const sentCount = () =>
      telegram
        .calls('sendMessage')
        .filter((c) => String(c.body.text).includes('Are you still there?')).length;
    expect(sentCount()).toBe(1);
    const click = (user: string, id: string) =>
      clickSlackButton({
        url: parley.url,
        signingSecret: SIGNING,
        clock: systemClock,
        user,
        action: { action_id: 'delivery_retry', value: button.value },
        responseUrl: slack.responseUrl(id),
      });
    expect(await click('U0NOTANAGENT', 'stranger')).toBe(200);
    const refused = await waitFor(() => slack.responses('stranger')[0]);
    expect(JSON.stringify(refused.body)).toContain('not an agent');
    expect(await click(AGENT, 'retry')).toBe(200);
    const answer = await waitFor(() => slack.responses('retry')[0]);
    expect(JSON.stringify(answer.body)).toContain('again');
    await drained();
    expect(sentCount()).toBe(2);
    await waitFor(() => (slack.reactionsOn(TRIAGE, ts).includes('outbox_tray') ? true : undefined));
    // A second press: nothing failed any more, nothing sent.
    expect(await click(AGENT, 'again')).toBe(200);
    const twice = await waitFor(() => slack.responses('again')[0]);
    expect(JSON.stringify(twice.body)).toContain('Only a message whose delivery failed');
    await drained();
    expect(sentCount()).toBe(2);
  });

  it('marks a WhatsApp reply as sent, then as delivered when the signed status webhook says so', async () => {
    const wa = '919900000077';
    const before = cardCount();
    await whatsappCustomerSays(wa, 'agent');
    const { card } = await newestCard(before);
    const ts = await agentRepliesInThread(card.ts, 'We refunded you today');
    const sent = graph.sentMessages().filter((m) => m.to === wa);
    expect(sent.map((m: any) => m.text?.body)).toContain('We refunded you today');
    await waitFor(() => (slack.reactionsOn(TRIAGE, ts).length > 0 ? true : undefined));
    expect(slack.reactionsOn(TRIAGE, ts)).toEqual(['outbox_tray']);

    const { rows } = await parley.database.pool.query(
      'select external_id from messages where body = $1',
      ['We refunded you today'],
    );
    const wamid = String(rows[0].external_id);
    expect(wamid).toMatch(/^wamid\./);
    const status = sharedFixture('whatsapp/status_delivered.json');
    Object.assign(status.entry[0].changes[0].value.statuses[0], {
      id: wamid,
      recipient_id: wa,
      timestamp: String(Math.floor(Date.now() / 1000)),
    });
    await whatsappPost(status);
    await whatsappPost(status); // a redelivered receipt marks once
    await waitFor(() => (slack.reactionsOn(TRIAGE, ts).length > 1 ? true : undefined));
    expect(slack.reactionsOn(TRIAGE, ts)).toEqual(['outbox_tray', 'heavy_check_mark']);
    expect(reactionCalls().filter((r) => r.params.timestamp === ts)).toHaveLength(2);
  });

  it("does not run a shortcut for the bot's own reaction", async () => {
    const before = cardCount();
    await telegramCustomerSays('agent', 100000104);
    const { card, number } = await newestCard(before);
    const event = {
      ...sharedFixture('slack/event_app_mention.json'),
      event_id: `Ev0BOTREACT${seq++}`,
      event: {
        type: 'reaction_added',
        user: BOT,
        reaction: 'eyes', // the default "claim" shortcut
        item: { type: 'message', channel: TRIAGE, ts: card.ts },
        item_user: BOT,
        event_ts: `${Date.now() / 1000}`,
      },
    };
    expect((await driver.postEvent(event)).status).toBe(200);
    await drained();
    expect((await parley.api('GET', `/tickets/${number}`)).body.assignee).toBeNull();
    // The same reaction from the agent does claim it: the test could fail.
    expect(
      (
        await driver.postEvent({
          ...event,
          event_id: `Ev0AGREACT${seq++}`,
          event: { ...event.event, user: AGENT },
        })
      ).status,
    ).toBe(200);
    await drained();
    expect((await parley.api('GET', `/tickets/${number}`)).body.assignee?.name).toBe('Agent B');
  });
});
