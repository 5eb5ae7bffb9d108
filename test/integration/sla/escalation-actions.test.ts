/** Take over and Reassign on a breach ping, through signed Slack button clicks. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/domain/clock.js';
import { type FakeSlack, startFakeSlack } from '../../fakes/slack-api.js';
import { outboxDrained, waitFor } from '../../support/chat-driver.js';
import { type TestParley, startTestParley } from '../../support/test-parley.js';
import { clickSlackButton, rungRows, staffRows, ticketIdOf } from './sla-helpers.js';

const SLACK_TOKEN = 'xoxb-sla-actions';
const SIGNING = 'sla-actions-signing-secret';
const TRIAGE = 'C0ACTTRIAGE';
const AGENT = 'U0ACTAGENT';
const LEAD = 'U0ACTLEAD';

const clock = new ManualClock('2026-03-02T10:00:00Z');
let slack: FakeSlack;
let parley: TestParley;
let agentId: string;
let leadId: string;
const db = () => parley.database.pool;

beforeAll(async () => {
  slack = await startFakeSlack({ token: SLACK_TOKEN });
  parley = await startTestParley({
    clock,
    channels: { slackPaceIntervalMs: 5 },
    env: {
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING,
      SLACK_API_URL: slack.apiUrl,
      SLACK_TRIAGE_CHANNEL: TRIAGE,
      SLACK_MANAGER_CHANNEL: 'C0ACTMGR',
    },
  });
  agentId = (
    await parley.api('POST', '/agents', {
      body: { name: 'Ari Agent', role: 'agent', slack_user_id: AGENT },
    })
  ).body.id;
  leadId = (
    await parley.api('POST', '/agents', {
      body: { name: 'Lina Lead', role: 'supervisor', slack_user_id: LEAD },
    })
  ).body.id;
});
afterAll(async () => {
  await parley?.close();
  await slack?.close();
});

/** An urgent ticket of Ari's whose first response breached just now; returns the lead's ping. */
async function breachedTicket(subject: string) {
  const created = await parley.api('POST', '/tickets', {
    body: {
      customer: { name: 'Cust', email: 'c@example.test' },
      subject,
      category: 'order_issue',
      priority: 'urgent',
    },
  });
  const number = created.body.number as string;
  await parley.api('PATCH', `/tickets/${number}`, { body: { assignee_id: agentId } });
  const id = await ticketIdOf(db(), number);
  clock.advance(15 * 60_000);
  await parley.jobs.runNow('sla:sweep');
  const ping = (await staffRows(db(), id)).find((r) => r.audience.agentId === leadId);
  expect(ping?.actions.map((a) => a.id)).toEqual(['sla_ack', 'sla_take_over', 'sla_reassign']);
  return { number, id, ping: ping! };
}

const click = (actionId: string, value: string, responseId: string) =>
  clickSlackButton({
    url: parley.url,
    signingSecret: SIGNING,
    clock,
    user: LEAD,
    action: { action_id: actionId, value },
    responseUrl: slack.responseUrl(responseId),
  });

describe('answering a breach from Slack', () => {
  it('Take over makes the lead the assignee and acknowledges the ladder', async () => {
    const t = await breachedTicket('Parcel lost');
    expect(await click('sla_take_over', t.ping.actions[1]!.value, 'take')).toBe(200);
    const answer = await waitFor(() => slack.responses('take')[0]);
    expect(JSON.stringify(answer.body)).toContain(`You now own ${t.number}`);

    const ticket = (await parley.api('GET', `/tickets/${t.number}`)).body;
    expect(ticket.assignee.id).toBe(leadId);
    const rungs = await rungRows(db(), t.id);
    expect(rungs.map((r) => [r.rung, r.acknowledgement, r.acknowledged_by])).toEqual([
      [1, 'taken_over', leadId],
    ]);
    const events = (await parley.api('GET', `/tickets/${t.number}/events`)).body.data as {
      action: string;
    }[];
    expect(events.map((e) => e.action)).toContain('sla_acknowledged');

    // Acknowledged: no manager ping 30 minutes later.
    clock.advance(31 * 60_000);
    await parley.jobs.runNow('sla:sweep');
    expect((await rungRows(db(), t.id)).filter((r) => r.target === 'first_response')).toHaveLength(
      1,
    );
    await outboxDrained(db());
    const thread = slack.posted(TRIAGE).filter((m) => m.thread_ts);
    expect(thread.map((m) => m.text).join('\n')).toContain('taken over by Lina Lead');
  });

  it('Reassign opens the Assign modal and acknowledges the ladder', async () => {
    const t = await breachedTicket('Damaged box');
    const viewsBefore = slack.views().length;
    expect(await click('sla_reassign', t.ping.actions[2]!.value, 'reassign')).toBe(200);
    await waitFor(() => slack.responses('reassign')[0]);
    const view = JSON.stringify(slack.views().slice(viewsBefore));
    expect(view).toContain('ticket_assign');
    expect(view).toContain(t.number);
    expect((await rungRows(db(), t.id)).map((r) => r.acknowledgement)).toEqual(['reassigned']);
  });

  it('ignores a button whose value was tampered with', async () => {
    const t = await breachedTicket('Late refund');
    expect(await click('sla_ack', 'not-a-ladder', 'tampered')).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(slack.responses('tampered')).toEqual([]);
    expect((await rungRows(db(), t.id)).every((r) => r.acknowledged_at === null)).toBe(true);
  });
});
