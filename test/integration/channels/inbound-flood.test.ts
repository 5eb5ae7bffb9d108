/**
 * Issue 6: spam on WhatsApp must not flood agents. Signed WhatsApp webhooks against a fake Graph
 * API and a fake Slack; the tenant's inbound flood limit (default 20 per 60 s) decides what is
 * announced one by one. Every acknowledged message is on the ticket either way.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/domain/clock.js';
import { type FakeGraph, startFakeGraph } from '../../fakes/graph-api.js';
import { type FakeSlack, startFakeSlack } from '../../fakes/slack-api.js';
import { sharedFixture, waitFor } from '../../support/chat-driver.js';
import { type TestParley, startTestParley } from '../../support/test-parley.js';

const TOKEN = 'EAAG-flood-token';
const APP_SECRET = 'whatsapp-app-secret-flood';
const SLACK_TOKEN = 'xoxb-flood';
const TRIAGE = 'C0FLOOD001';
const WATCHER_SLACK_ID = 'U0FLOODW01';
const NOTICE = /We have your messages\. An agent will read them all/;

const clock = new ManualClock('2026-05-04T10:00:00Z');
let graph: FakeGraph;
let slack: FakeSlack;
let parley: TestParley;
let seq = 0;
/** A second Parley process on the same database (the last test). */
let other: TestParley | undefined;

const env = () => ({
  WHATSAPP_MODE: 'cloud',
  WHATSAPP_TOKEN: TOKEN,
  WHATSAPP_PHONE_NUMBER_ID: '100000000000002',
  WHATSAPP_APP_SECRET: APP_SECRET,
  WHATSAPP_VERIFY_TOKEN: 'verify-flood',
  WHATSAPP_GRAPH_URL: graph.baseUrl,
  SLACK_BOT_TOKEN: SLACK_TOKEN,
  SLACK_SIGNING_SECRET: 'flood-signing-secret',
  SLACK_API_URL: slack.apiUrl,
  SLACK_TRIAGE_CHANNEL: TRIAGE,
});

beforeAll(async () => {
  graph = await startFakeGraph({ token: TOKEN });
  slack = await startFakeSlack({ token: SLACK_TOKEN });
  parley = await startTestParley({ clock, channels: { slackPaceIntervalMs: 5 }, env: env() });
}, 60_000);
afterAll(async () => {
  await other?.close();
  await parley?.close();
  await graph?.close();
  await slack?.close();
});

/** Every queued inbound event and outbound message handled (the flood adds no delayed rows). */
const drained = () =>
  waitFor(async () => {
    const { rows } = await parley.database.pool.query(
      "select count(*)::int as n from outbox where status in ('pending','sending')",
    );
    return rows[0].n === 0 ? true : undefined;
  }, 60_000);

function notification(waId: string, text: string) {
  const base = sharedFixture('whatsapp/text.json');
  const value = base.entry[0].changes[0].value;
  value.contacts = [{ profile: { name: `Cust ${waId}` }, wa_id: waId }];
  value.messages = [
    {
      from: waId,
      id: `wamid.FLOOD${seq++}`,
      timestamp: String(Math.floor(clock.now().getTime() / 1000)),
      type: 'text',
      text: { body: text },
    },
  ];
  return base;
}

async function post(waId: string, text: string, to: TestParley = parley): Promise<number> {
  const body = JSON.stringify(notification(waId, text));
  const res = await fetch(`${to.url}/webhooks/whatsapp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}`,
    },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}

/** `count` messages from `waId`, `inFlight` webhooks at a time; returns the HTTP statuses. */
async function burst(
  waId: string,
  count: number,
  label: string,
  inFlight = 20,
  targets: TestParley[] = [parley],
) {
  const statuses: number[] = [];
  for (let i = 0; i < count; i += inFlight) {
    const batch = Array.from({ length: Math.min(inFlight, count - i) }, (_, j) =>
      post(waId, `${label} ${i + j + 1}`, targets[(i + j) % targets.length]),
    );
    statuses.push(...(await Promise.all(batch)));
  }
  return statuses;
}

async function openTicket(waId: string) {
  const res = await parley.api('POST', '/tickets', {
    body: {
      customer: { name: `Cust ${waId}`, whatsapp_id: waId, phone: `+${waId}` },
      subject: `Order of ${waId} never arrived`,
      category: 'order_issue',
      channel: 'whatsapp',
    },
  });
  expect(res.status).toBe(201);
  return res.body as { id: string; number: string };
}

/** The ticket's Slack thread: the texts posted under its card. */
async function thread(ticketId: string): Promise<string[]> {
  const { rows } = await parley.database.pool.query(
    'select channel, ts from slack_cards where ticket_id = $1',
    [ticketId],
  );
  const card = rows[0] as { channel: string; ts: string } | undefined;
  if (!card) return [];
  return slack
    .posted(card.channel)
    .filter((m) => m.thread_ts === card.ts)
    .map((m) => m.text);
}
const customerPosts = (texts: string[]) => texts.filter((t) => t.startsWith('*Customer:*'));
const summaries = (texts: string[]) => texts.filter((t) => /held from this thread/.test(t));

const noticesTo = (waId: string) =>
  graph
    .sentMessages()
    .filter((m) => m.to === waId && NOTICE.test(String((m.text as { body?: string })?.body)));

async function customerMessages(ticketId: string): Promise<string[]> {
  const res = await parley.api('GET', `/tickets/${ticketId}/messages`);
  expect(res.status).toBe(200);
  return (res.body.data as { author_type: string; body: string }[])
    .filter((m) => m.author_type === 'customer')
    .map((m) => m.body);
}

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${parley.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{channel="whatsapp"}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('the inbound flood limit', () => {
  const spammer = '919800000001';
  const neighbour = '919800000002';
  let spammerTicket: { id: string; number: string };
  let neighbourTicket: { id: string; number: string };

  it('keeps all 200 messages of a burst on the ticket but posts only the first 20 to Slack', async () => {
    spammerTicket = await openTicket(spammer);
    neighbourTicket = await openTicket(neighbour);
    const agent = (
      await parley.api('POST', '/agents', {
        body: { name: 'Wanda', role: 'agent', slack_user_id: WATCHER_SLACK_ID },
      })
    ).body;
    expect(
      (await parley.api('PUT', `/tickets/${spammerTicket.id}/watchers/${agent.id}`, { body: {} }))
        .status,
    ).toBeLessThan(300);
    await drained();

    // The neighbour writes in the middle of the spammer's burst.
    const [statuses, neighbourStatuses] = await Promise.all([
      burst(spammer, 200, 'spam'),
      burst(neighbour, 5, 'hello from next door', 1),
    ]);
    expect(statuses).toEqual(Array(200).fill(200)); // every message acknowledged
    expect(neighbourStatuses).toEqual(Array(5).fill(200));
    await drained();

    const stored = await customerMessages(spammerTicket.id);
    expect(stored).toHaveLength(200);
    expect(new Set(stored)).toEqual(
      new Set(Array.from({ length: 200 }, (_, i) => `spam ${i + 1}`)),
    );

    const posted = await thread(spammerTicket.id);
    expect(customerPosts(posted)).toHaveLength(20);
    expect(summaries(posted)).toEqual([]); // the hold has not ended yet
    expect(noticesTo(spammer)).toHaveLength(1);
    // The watcher heard of the first 20 only.
    const dms = slack.posted(WATCHER_SLACK_ID).map((m) => m.text);
    expect(dms.filter((t) => t.includes('the customer wrote'))).toHaveLength(20);

    const events = (await parley.api('GET', `/tickets/${spammerTicket.id}/events`)).body.data as {
      action: string;
    }[];
    expect(events.filter((e) => e.action === 'inbound_flood_limited')).toHaveLength(1);
    expect(await metric('parley_inbound_flood_trips_total')).toBe(1);
    expect(await metric('parley_inbound_flood_held_messages_total')).toBe(180);
  }, 120_000);

  it('leaves another customer of the tenant unaffected', async () => {
    expect(await customerMessages(neighbourTicket.id)).toHaveLength(5);
    expect(customerPosts(await thread(neighbourTicket.id))).toHaveLength(5);
    expect(noticesTo(neighbour)).toEqual([]);
  });

  it('sums up the held messages once, when the window is over', async () => {
    expect(await parley.jobs.runNow('inbound:flood-summaries')).toEqual({
      summarized: 0,
      skipped: 0,
    });
    clock.advance(61_000);
    expect(await parley.jobs.runNow('inbound:flood-summaries')).toEqual({
      summarized: 1,
      skipped: 0,
    });
    expect(await parley.jobs.runNow('inbound:flood-summaries')).toEqual({
      summarized: 0,
      skipped: 0,
    });
    await drained();
    const held = summaries(await thread(spammerTicket.id));
    expect(held).toHaveLength(1);
    expect(held[0]).toContain(`${spammerTicket.number}: 180 more messages from the customer`);
    expect(held[0]).toContain('1 minute');
    const dms = slack.posted(WATCHER_SLACK_ID).map((m) => m.text);
    expect(dms.filter((t) => t.includes('180 more messages'))).toHaveLength(1);
  });

  it('lets messages through again after the window, and notices once per window', async () => {
    // 60 s after the burst the window is empty: 20 more pass, 5 are held with a second notice.
    expect(await burst(spammer, 25, 'again', 1)).toEqual(Array(25).fill(200));
    await drained();
    expect(customerPosts(await thread(spammerTicket.id))).toHaveLength(40);
    expect(noticesTo(spammer)).toHaveLength(2);
    expect(await customerMessages(spammerTicket.id)).toHaveLength(225);

    clock.advance(61_000);
    expect(await parley.jobs.runNow('inbound:flood-summaries')).toMatchObject({ summarized: 1 });
    await drained();
    const held = summaries(await thread(spammerTicket.id));
    expect(held).toHaveLength(2);
    expect(held[1]).toContain('5 more messages');
  }, 60_000);

  it('hands a customer with no ticket to a person instead of running the bot for each message', async () => {
    const stranger = '919800000003';
    const botRepliesBefore = graph.sentMessages().filter((m) => m.to === stranger).length;
    expect(await burst(stranger, 30, 'hello?', 1)).toEqual(Array(30).fill(200));
    await drained();
    const customer = (
      await parley.database.pool.query(
        "select customer_id from conversations where channel = 'whatsapp' and chat_id = $1",
        [stranger],
      )
    ).rows[0].customer_id as string;
    const tickets = (await parley.api('GET', `/customers/${customer}/tickets`)).body.data as {
      id: string;
    }[];
    expect(tickets).toHaveLength(1);
    expect(await customerMessages(tickets[0]!.id)).toHaveLength(30);
    expect(noticesTo(stranger)).toHaveLength(1);
    // The bot answered the first 20 (intake), then only the notice: not one reply per message.
    const sent = graph
      .sentMessages()
      .filter((m) => m.to === stranger)
      .slice(botRepliesBefore);
    expect(sent.length).toBeGreaterThan(1);
    expect(String((sent.at(-1)!.text as { body?: string })?.body)).toMatch(NOTICE);
    const { rows } = await parley.database.pool.query(
      "select flow from conversations where channel = 'whatsapp' and chat_id = $1",
      [stranger],
    );
    expect(rows[0].flow).toBeNull();
    clock.advance(61_000);
    await parley.jobs.runNow('inbound:flood-summaries');
  }, 60_000);

  it('posts every message when the tenant turns the limit off', async () => {
    const patched = await parley.api('PATCH', '/settings', { body: { inbound_flood_limit: null } });
    expect(patched.status).toBe(200);
    expect(patched.body.inbound_flood_limit).toBeNull();
    const chatty = '919800000004';
    const ticket = await openTicket(chatty);
    expect(await burst(chatty, 30, 'chatty')).toEqual(Array(30).fill(200));
    await drained();
    expect(await customerMessages(ticket.id)).toHaveLength(30);
    expect(customerPosts(await thread(ticket.id))).toHaveLength(30);
    expect(noticesTo(chatty)).toEqual([]);
  }, 60_000);

  it('takes a tighter limit from the settings, and refuses a malformed one', async () => {
    const bad = await parley.api('PATCH', '/settings', {
      body: { inbound_flood_limit: { messages: 0, per_seconds: 60 } },
    });
    expect(bad.status).toBe(400);
    const ok = await parley.api('PATCH', '/settings', {
      body: { inbound_flood_limit: { messages: 3, per_seconds: 10 } },
    });
    expect(ok.status).toBe(200);
    const terse = '919800000005';
    const ticket = await openTicket(terse);
    expect(await burst(terse, 8, 'terse', 1)).toEqual(Array(8).fill(200));
    await drained();
    expect(await customerMessages(ticket.id)).toHaveLength(8);
    expect(customerPosts(await thread(ticket.id))).toHaveLength(3);
    clock.advance(10_000);
    expect(await parley.jobs.runNow('inbound:flood-summaries')).toMatchObject({ summarized: 1 });
    await drained();
    const held = summaries(await thread(ticket.id));
    expect(held).toHaveLength(1);
    expect(held[0]).toContain('5 more messages');
    expect(held[0]).toContain('10 seconds');
  }, 60_000);

  it('counts from the database, so two processes sharing a burst hold it the same way', async () => {
    other = await startTestParley({
      clock,
      database: parley.database,
      channels: { slackPaceIntervalMs: 5 },
      env: env(),
    });
    clock.advance(3_600_000);
    const set = await parley.api('PATCH', '/settings', {
      body: { inbound_flood_limit: { messages: 10, per_seconds: 60 } },
    });
    expect(set.status).toBe(200);
    const shared = '919800000006';
    const ticket = await openTicket(shared);
    // Webhooks alternate between the two processes; both dispatchers process the inbox.
    expect(await burst(shared, 40, 'shared', 10, [parley, other])).toEqual(Array(40).fill(200));
    await drained();
    expect(await customerMessages(ticket.id)).toHaveLength(40);
    expect(customerPosts(await thread(ticket.id))).toHaveLength(10);
    expect(noticesTo(shared)).toHaveLength(1);
    clock.advance(61_000);
    const runs = await Promise.all([
      parley.jobs.runNow('inbound:flood-summaries'),
      other.jobs.runNow('inbound:flood-summaries'),
    ]);
    const summarized = runs.map((r) => (r as { summarized: number }).summarized);
    expect(summarized[0]! + summarized[1]!).toBe(1);
    await drained();
    const held = summaries(await thread(ticket.id));
    expect(held).toHaveLength(1);
    expect(held[0]).toContain('30 more messages');
  }, 90_000);
});
