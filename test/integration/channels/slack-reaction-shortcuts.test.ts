/**
 * Reaction shortcuts on Slack cards: 👀 claims, ✅ resolves as answered (or what the tenant
 * configured), as the reacting agent; a retried event runs once; people who are not agents,
 * unmapped emoji and messages that are not cards are ignored. There is no reaction_added
 * fixture in /work/shared/fixtures/slack, so the event is built from Slack's documented shape
 * (https://docs.slack.dev/reference/events/reaction_added) inside the fixtures' envelope.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../../adapters/slack/verify.js';
import { type FakeSlack, startFakeSlack } from '../../fakes/slack-api.js';
import { outboxDrained, sharedFixture, waitFor } from '../../support/chat-driver.js';
import { type TestParley, startTestParley } from '../../support/test-parley.js';

const TOKEN = 'xoxb-reactions';
const SIGNING = 'reactions-signing-secret';
const TRIAGE = 'C0TESTSUP1';
const AGENT = 'U0TESTAGTB';
const OUTSIDER = 'U0TESTOUTS';

let slack: FakeSlack;
let parley: TestParley;
let nextEvent = 1;

beforeAll(async () => {
  slack = await startFakeSlack({
    token: TOKEN,
    users: { [OUTSIDER]: { name: 'outsider', email: 'outsider@example.test' } },
  });
  parley = await startTestParley({
    channels: { slackPaceIntervalMs: 10 },
    env: {
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: SIGNING,
      SLACK_API_URL: slack.apiUrl,
      SLACK_TRIAGE_CHANNEL: TRIAGE,
    },
  });
  await parley.api('POST', '/agents', {
    body: { name: 'Agent B', role: 'agent', slack_user_id: AGENT },
  });
});
afterAll(async () => {
  await parley?.close();
  await slack?.close();
});

const drained = () => outboxDrained(parley.database.pool);

async function openTicketWithCard(subject: string) {
  const ticket = (
    await parley.api('POST', '/tickets', {
      body: { customer: { name: 'Cust' }, subject, category: 'order_issue' },
    })
  ).body as { id: string; number: string };
  await drained();
  const card = await waitFor(() =>
    slack.posted(TRIAGE).find((m) => !m.thread_ts && m.text.includes(ticket.number)),
  );
  return { ...ticket, cardTs: card.ts };
}

/** Slack's `reaction_added` event callback, in the envelope of the shared fixtures. */
function reactionEvent(reaction: string, ts: string, user = AGENT, eventId?: string) {
  const envelope = sharedFixture('slack/event_app_mention.json');
  envelope.event_id = eventId ?? `Ev0REACT${String(nextEvent++).padStart(4, '0')}`;
  envelope.event = {
    type: 'reaction_added',
    user,
    reaction,
    item_user: 'U0TESTBOT1',
    item: { type: 'message', channel: TRIAGE, ts },
    event_ts: `${Date.now() / 1000}`,
  };
  return JSON.stringify(envelope);
}

async function post(body: string, retry?: number) {
  const ts = Math.floor(Date.now() / 1000);
  const res = await fetch(`${parley.url}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': signSlackRequest(SIGNING, ts, body),
      ...(retry
        ? { 'x-slack-retry-num': String(retry), 'x-slack-retry-reason': 'http_timeout' }
        : {}),
    },
    body,
  });
  expect(res.status).toBe(200);
}

const ephemerals = (user: string) =>
  slack.requests
    .filter((r) => r.method === 'chat.postEphemeral' && r.params.user === user)
    .map((r) => String(r.params.text));

const ticket = async (id: string) => (await parley.api('GET', `/tickets/${id}`)).body;

describe('reaction shortcuts on a ticket card', () => {
  it('👀 claims the ticket for the reacting agent (told ephemerally), once per event even when retried', async () => {
    const t = await openTicketWithCard('Where is my order');
    const before = ephemerals(AGENT).length;
    const event = reactionEvent('eyes', t.cardTs, AGENT, 'Ev0REACTEYES');
    await post(event);
    await post(event, 1);
    await post(event, 2);
    await drained();
    expect((await ticket(t.id)).assignee?.name).toBe('Agent B');
    // A second run would have answered "already yours".
    expect(ephemerals(AGENT).slice(before)).toEqual([`*${t.number}* is yours now (assigned).`]);
    const eph = slack.requests.filter((r) => r.method === 'chat.postEphemeral').at(-1)!;
    expect(eph.params.channel).toBe(TRIAGE);
  });

  it('✅ resolves it as answered', async () => {
    const t = await openTicketWithCard('Is the shop open on Sunday');
    await post(reactionEvent('eyes', t.cardTs));
    await post(reactionEvent('white_check_mark', t.cardTs));
    await drained();
    const after = await ticket(t.id);
    expect(after.status).toBe('resolved');
    expect(after.resolution).toMatchObject({ code: 'answered' });
    expect(ephemerals(AGENT).at(-1)).toBe(`*${t.number}* resolved (answered).`);
  });

  it("ignores a non-agent's reaction, unmapped emoji and messages that are not cards", async () => {
    const t = await openTicketWithCard('Broken zip');
    const requestsBefore = slack.requests.length;
    await post(reactionEvent('eyes', t.cardTs, OUTSIDER));
    await post(reactionEvent('tada', t.cardTs));
    await post(reactionEvent('eyes', '1767261600.999999'));
    await drained();
    const after = await ticket(t.id);
    expect(after.assignee).toBeNull();
    expect(after.status).toBe('new');
    const answered = slack.requests
      .slice(requestsBefore)
      .filter((r) => r.method === 'chat.postEphemeral');
    expect(answered).toEqual([]);
  });

  it("runs the tenant's own shortcuts instead of the defaults, which are validated", async () => {
    const bad = await parley.api('PATCH', '/settings', {
      body: { reaction_shortcuts: { rotating_light: 'priority', ':eyes:': 'claim' } },
    });
    expect(bad.status).toBe(400);
    const paths = (bad.body.error.details as { path: string }[]).map((d) => d.path).sort();
    expect(paths).toEqual(['reaction_shortcuts.:eyes:', 'reaction_shortcuts.rotating_light']);
    const ok = await parley.api('PATCH', '/settings', {
      body: { reaction_shortcuts: { rotating_light: 'priority urgent' } },
    });
    expect(ok.status).toBe(200);

    const t = await openTicketWithCard('Leaking bottle');
    await post(reactionEvent('eyes', t.cardTs));
    await post(reactionEvent('rotating_light', t.cardTs));
    await drained();
    const after = await ticket(t.id);
    expect(after.assignee).toBeNull(); // 👀 is no longer a shortcut here
    expect(after.priority).toBe('urgent');
  });
});
