import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeTelegram, startFakeTelegram } from '../../fakes/telegram-api.js';
import { outboxDrained, sharedFixture } from '../../support/chat-driver.js';
import { type TestParley, startTestParley } from '../../support/test-parley.js';
import { postTelegramWebhook, telegramWebhookEnv } from '../../support/telegram-env.js';

const TOKEN = '779:TEST-agents-group';
const SECRET = 'agents_group_secret';
const GROUP = '-1001777000111';
const AGENT_TG = 555000111;
const STRANGER_TG = 555000999;

let telegram: FakeTelegram;
let parley: TestParley;
let update = 910000000;
let messageId = 5000;

beforeAll(async () => {
  telegram = await startFakeTelegram({ token: TOKEN });
  parley = await startTestParley({
    env: {
      ...telegramWebhookEnv(TOKEN, SECRET, telegram.apiRoot),
      TELEGRAM_AGENT_CHAT_ID: GROUP,
    },
  });
  await parley.api('POST', '/agents', {
    body: { name: 'Tara', role: 'agent', telegram_user_id: String(AGENT_TG) },
  });
});
afterAll(async () => {
  await parley?.close();
  await telegram?.close();
});

/** A message in the agents' supergroup, shaped like the documented private-chat fixture. */
function groupMessage(text: string, fromId: number) {
  const u = sharedFixture('telegram/message_text.json');
  u.update_id = update++;
  u.message.message_id = messageId++;
  u.message.from = { ...u.message.from, id: fromId, first_name: 'Staff' };
  u.message.chat = { id: Number(GROUP), title: 'Support team', type: 'supergroup' };
  u.message.text = text;
  return u;
}

async function deliver(u: unknown) {
  const res = await postTelegramWebhook(parley.url, SECRET, u);
  expect(res.status).toBe(200);
  await outboxDrained(parley.database.pool);
}

const answers = () =>
  telegram
    .calls('sendMessage')
    .filter((c) => String(c.body.chat_id) === GROUP)
    .map((c) => String(c.body.text));

describe("the Telegram agents' group", () => {
  it('runs /ticket commands as the agent, answers in the group, once per message', async () => {
    const ticket = (
      await parley.api('POST', '/tickets', {
        body: { customer: { name: 'C' }, subject: 'Kettle leaks', category: 'order_issue' },
      })
    ).body;
    const claim = groupMessage(`/ticket claim ${ticket.number}`, AGENT_TG);
    await deliver(claim);
    await deliver(claim); // Telegram redelivers an update it thinks we missed
    const after = (await parley.api('GET', `/tickets/${ticket.id}`)).body;
    expect(after.assignee?.name).toBe('Tara');
    expect(answers()).toEqual([expect.stringContaining(ticket.number)]);
    const claims = await parley.database.pool.query(
      `select count(*)::int as n from audit_events where ticket_id = $1 and changes ? 'assignee_id'`,
      [ticket.id],
    );
    expect(claims.rows[0].n).toBe(1);
  });

  it('refuses someone who is not an agent, and ignores chatter', async () => {
    const before = await parley.database.pool.query('select count(*)::int as n from customers');
    await deliver(groupMessage('/ticket list', STRANGER_TG));
    expect(answers().at(-1)).toBe('You are not an agent of this team.');
    const sent = answers().length;
    await deliver(groupMessage('anyone seen the kettle ticket?', AGENT_TG));
    expect(answers()).toHaveLength(sent);
    const afterCount = await parley.database.pool.query('select count(*)::int as n from customers');
    expect(afterCount.rows[0].n).toBe(before.rows[0].n); // the group never becomes a customer
  });
});
