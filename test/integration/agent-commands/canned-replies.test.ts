/**
 * Canned replies end to end: admins set them in the settings (validated), `canned <ref> <name>`
 * sends one to the customer in their language through the normal reply path, and the card's
 * "Canned reply" button opens a modal whose submission sends the chosen one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../../adapters/slack/verify.js';
import { type CommandResult, runAgentCommand } from '../../../src/app/run-agent-command.js';
import type { Agent, Tenant } from '../../../src/domain/records.js';
import { isParseError, parseAgentCommand } from '../../../src/engine/agent-commands/parse.js';
import { type FakeSlack, startFakeSlack } from '../../fakes/slack-api.js';
import { type FakeTelegram, startFakeTelegram } from '../../fakes/telegram-api.js';
import { outboxDrained, sharedFixture, waitFor } from '../../support/chat-driver.js';
import { type TestParley, startTestParley } from '../../support/test-parley.js';
import { postTelegramWebhook, telegramWebhookEnv } from '../../support/telegram-env.js';

const SLACK_TOKEN = 'xoxb-canned-token';
const SIGNING = 'canned-signing-secret';
const TRIAGE = 'C0TESTSUP1';
const AGENT_SLACK_ID = 'U0TESTAGTB';
const TG_TOKEN = '778:TEST-canned-suite';
const TG_SECRET = 'tg_secret_for_canned_suite';

const CANNED = {
  thanks: {
    en: 'Thanks {{customer_name}}! Ticket {{ticket_number}} is with {{agent_name}}.',
    es: '¡Gracias {{customer_name}}! El ticket {{ticket_number}} lo lleva {{agent_name}}.',
  },
  delay: { en: 'Your parcel is delayed; we are on it ({{ticket_number}}).' },
};

let slack: FakeSlack;
let telegram: FakeTelegram;
let parley: TestParley;
let tenant: Tenant;
let agent: Agent;
let nextUpdate = 710000000;
let nextMessage = 7000;

beforeAll(async () => {
  slack = await startFakeSlack({ token: SLACK_TOKEN });
  telegram = await startFakeTelegram({ token: TG_TOKEN });
  parley = await startTestParley({
    channels: { slackPaceIntervalMs: 20 },
    env: {
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING,
      SLACK_API_URL: slack.apiUrl,
      SLACK_TRIAGE_CHANNEL: TRIAGE,
      ...telegramWebhookEnv(TG_TOKEN, TG_SECRET, telegram.apiRoot),
    },
  });
  const created = await parley.api('POST', '/agents', {
    body: { name: 'Ravi', role: 'agent', slack_user_id: AGENT_SLACK_ID },
  });
  tenant = (await parley.deps.uow.read.tenants.findBySlug('default'))!;
  agent = (await parley.deps.uow.read.agents.findById(tenant.id, created.body.id))!;
});
afterAll(async () => {
  await parley?.close();
  await slack?.close();
  await telegram?.close();
});

const drained = () => outboxDrained(parley.database.pool);

/** A Telegram customer writes; returns what the bot sent them since. */
async function customerSays(chatId: number, firstName: string, language: string, text: string) {
  const base = sharedFixture('telegram/message_text.json');
  base.update_id = nextUpdate++;
  Object.assign(base.message, { message_id: nextMessage++, text });
  Object.assign(base.message.from, { id: chatId, first_name: firstName, language_code: language });
  Object.assign(base.message.chat, { id: chatId, first_name: firstName });
  const res = await postTelegramWebhook(parley.url, TG_SECRET, base);
  expect(res.status).toBe(200);
  await drained();
}

const sentTo = (chatId: number) =>
  telegram
    .calls('sendMessage')
    .filter((r) => String(r.body.chat_id) === String(chatId))
    .map((r) => String(r.body.text));

/** The customer's open ticket, by their Telegram id. */
async function ticketOf(chatId: number): Promise<{ id: string; number: string }> {
  const { rows } = await parley.database.pool.query(
    `select t.id, t.number from tickets t join customer_identities ci on ci.customer_id = t.customer_id
     where ci.kind = 'telegram' and ci.value = $1 order by t.created_at desc limit 1`,
    [String(chatId)],
  );
  return rows[0];
}

async function run(text: string): Promise<CommandResult> {
  const parsed = parseAgentCommand(text);
  if (isParseError(parsed)) throw new Error(parsed.text);
  const fresh = (await parley.deps.uow.read.tenants.findBySlug('default'))!;
  return runAgentCommand(
    parley.deps,
    { tenant: fresh, agent, surface: 'cli' },
    parsed,
    async () => null,
  );
}

async function slackPost(payload: unknown) {
  const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const ts = Math.floor(Date.now() / 1000);
  const res = await fetch(`${parley.url}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': signSlackRequest(SIGNING, ts, body),
    },
    body,
  });
  expect(res.status).toBe(200);
}

describe('canned reply settings', () => {
  it('refuses a bad name, a missing English text, an unknown language or placeholder (400)', async () => {
    const patch = (canned_replies: unknown) =>
      parley.api('PATCH', '/settings', { body: { canned_replies } });
    const badName = await patch({ 'Thank You': { en: 'Thanks' } });
    expect(badName.status).toBe(400);
    expect(JSON.stringify(badName.body)).toContain('Thank You');
    const noEnglish = await patch({ thanks: { es: 'Gracias' } });
    expect(noEnglish.status).toBe(400);
    expect(noEnglish.body.error.details).toEqual([
      expect.objectContaining({
        path: 'canned_replies.thanks',
        message: 'an "en" text is required (the fallback)',
      }),
    ]);
    expect((await patch({ thanks: { en: 'Thanks', fr: 'Merci' } })).status).toBe(400);
    expect((await patch({ thanks: { en: 'Hi {{custmer_name}}' } })).status).toBe(400);
    expect((await patch({ thanks: { en: 'x'.repeat(4001) } })).status).toBe(400);
    const tooMany = Object.fromEntries(
      Array.from({ length: 201 }, (_, i) => [`r${i}`, { en: 'x' }]),
    );
    expect((await patch(tooMany)).status).toBe(400);
    expect((await parley.api('GET', '/settings')).body.canned_replies).toBeUndefined();

    const ok = await patch(CANNED);
    expect(ok.status).toBe(200);
    expect(ok.body.canned_replies).toEqual(CANNED);
  });
});

describe('canned <ref> <name>', () => {
  const lucia = 100000501;

  it('reaches a Spanish-speaking Telegram customer in Spanish, placeholders filled, as the first response', async () => {
    await customerSays(lucia, 'Lucía', 'es', 'agent');
    const ticket = await ticketOf(lucia);
    expect(ticket).toBeDefined();
    const before = sentTo(lucia).length;
    const res = await run(`canned ${ticket.number} thanks`);
    expect(res.ok).toBe(true);
    expect(res.text).toContain('Canned reply "thanks" (es)');
    await drained();
    expect(sentTo(lucia).slice(before)).toEqual([
      `¡Gracias Lucía A! El ticket ${ticket.number} lo lleva Ravi.`,
    ]);
    const stored = await parley.api('GET', `/tickets/${ticket.number}`);
    expect(stored.body.first_response_at).not.toBeNull();
    const messages = (await parley.api('GET', `/tickets/${ticket.number}/messages`)).body.data;
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          body: `¡Gracias Lucía A! El ticket ${ticket.number} lo lleva Ravi.`,
          internal: false,
          delivery_status: 'sent',
        }),
      ]),
    );
  });

  it('falls back to English when the reply has no text in the customer language', async () => {
    const ticket = await ticketOf(lucia);
    const before = sentTo(lucia).length;
    expect((await run(`canned ${ticket.number} DELAY`)).text).toContain('(en)');
    await drained();
    expect(sentTo(lucia).slice(before)).toEqual([
      `Your parcel is delayed; we are on it (${ticket.number}).`,
    ]);
  });

  it('lists the names for an unknown name or none, and sends nothing', async () => {
    const ticket = await ticketOf(lucia);
    const before = sentTo(lucia).length;
    const unknown = await run(`canned ${ticket.number} thx`);
    expect(unknown).toMatchObject({
      ok: false,
      text: 'There is no canned reply "thx". Canned replies: delay, thanks.',
    });
    const list = await run(`canned ${ticket.number}`);
    expect(list.ok).toBe(true);
    expect(list.text).toContain('Canned replies: delay, thanks.');
    await drained();
    expect(sentTo(lucia).length).toBe(before);
  });
});

describe('the Canned reply modal on the Slack card', () => {
  it('opens with the tenant names and sends the chosen reply to the customer', async () => {
    const omar = 100000502;
    await customerSays(omar, 'Omar', 'en', 'agent');
    const ticket = await ticketOf(omar);
    const card = await waitFor(() =>
      slack.posted(TRIAGE).find((m) => !m.thread_ts && m.text.includes(ticket.number)),
    );
    expect(JSON.stringify(card.blocks)).toContain('ticket_canned');

    const click = sharedFixture('slack/block_actions.json');
    click.actions = [
      {
        action_id: 'ticket_canned',
        block_id: 'x',
        type: 'button',
        value: ticket.number,
        action_ts: '1',
      },
    ];
    click.response_url = slack.responseUrl('canned');
    const viewsBefore = slack.views().length;
    await slackPost(click);
    const view = (await waitFor(() => slack.views()[viewsBefore])) as any;
    expect(view.callback_id).toBe('ticket_canned');
    expect(view.private_metadata).toBe(ticket.number);
    const select = view.blocks.find((b: any) => b.type === 'input').element;
    expect(select.options.map((o: any) => o.value)).toEqual(['delay', 'thanks']);

    const submit = sharedFixture('slack/view_submission.json');
    submit.view = {
      ...submit.view,
      id: view.id,
      callback_id: view.callback_id,
      private_metadata: view.private_metadata,
      state: {
        values: {
          canned_reply: {
            name: { type: 'static_select', selected_option: { value: 'thanks' } },
          },
        },
      },
    };
    const before = sentTo(omar).length;
    await slackPost(submit);
    await drained();
    expect(sentTo(omar).slice(before)).toEqual([
      `Thanks Omar A! Ticket ${ticket.number} is with Ravi.`,
    ]);
    // Like a typed reply, it shows in the card's thread.
    await waitFor(() =>
      slack
        .posted(TRIAGE)
        .find((m) => m.thread_ts === card.ts && m.text.includes(`Thanks Omar A!`)),
    );
  });
});
