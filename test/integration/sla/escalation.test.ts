/**
 * The escalation ladder end to end, with a moved clock: sweep (`sla:sweep`), outbox, fake Slack,
 * and a signed Acknowledge click. Monday 2 March 2026, UTC.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/domain/clock.js';
import { type FakeSlack, startFakeSlack } from '../../fakes/slack-api.js';
import { type FakeTelegram, startFakeTelegram } from '../../fakes/telegram-api.js';
import { outboxDrained, waitFor } from '../../support/chat-driver.js';
import { type TestParley, startTestParley } from '../../support/test-parley.js';
import { clickSlackButton, rungRows, staffRows, ticketIdOf } from './sla-helpers.js';

const SLACK_TOKEN = 'xoxb-sla-escalation';
const SIGNING = 'sla-escalation-signing-secret';
const TRIAGE = 'C0SLATRIAGE';
const MANAGERS = 'C0SLAMANAGERS';
const TG_TOKEN = '780:TEST-sla-escalation';
const AGENTS_CHAT = '-1005550001111';
const SLACK = { agent: 'U0SLAAGENT', lead: 'U0SLALEAD', manager: 'U0SLAMGR', other: 'U0SLASUP' };

const clock = new ManualClock('2026-03-02T10:00:00Z');
let slack: FakeSlack;
/** The Telegram agents' chat is wired too: the ladder's notices go to both platforms. */
let telegram: FakeTelegram;
let parley: TestParley;
const agents: Record<string, string> = {};
const db = () => parley.database.pool;
const sweep = () => parley.jobs.runNow('sla:sweep');
const setTime = (iso: string) => clock.set(iso.length <= 8 ? `2026-03-02T${iso}Z` : iso);

async function addAgent(
  key: string,
  name: string,
  role: string,
  slackId: string,
  groups: string[],
) {
  const res = await parley.api('POST', '/agents', {
    body: { name, role, slack_user_id: slackId, groups },
  });
  expect(res.status).toBe(201);
  agents[key] = res.body.id;
}

async function openTicket(body: Record<string, unknown>): Promise<{ number: string; id: string }> {
  const res = await parley.api('POST', '/tickets', {
    body: { customer: { name: 'Cust', email: 'cust@example.test' }, ...body },
  });
  expect(res.status).toBe(201);
  return { number: res.body.number, id: await ticketIdOf(db(), res.body.number) };
}

beforeAll(async () => {
  slack = await startFakeSlack({ token: SLACK_TOKEN });
  telegram = await startFakeTelegram({ token: TG_TOKEN });
  parley = await startTestParley({
    clock,
    channels: { slackPaceIntervalMs: 5 },
    env: {
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING,
      SLACK_API_URL: slack.apiUrl,
      SLACK_TRIAGE_CHANNEL: TRIAGE,
      SLACK_MANAGER_CHANNEL: MANAGERS,
      TELEGRAM_BOT_TOKEN: TG_TOKEN,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET: 'sla_escalation_secret',
      TELEGRAM_AGENT_CHAT_ID: AGENTS_CHAT,
    },
  });
  await addAgent('agent', 'Asha Agent', 'agent', SLACK.agent, ['Returns']);
  await addAgent('lead', 'Lena Lead', 'supervisor', SLACK.lead, ['Returns']);
  await addAgent('manager', 'Mo Manager', 'supervisor', SLACK.manager, []);
  await addAgent('other', 'Sam Supervisor', 'supervisor', SLACK.other, ['Stores']);
  const routed = await parley.api('PATCH', '/settings', {
    body: { routing: { return_refund: 'Returns' } },
  });
  expect(routed.status).toBe(200);
});
afterAll(async () => {
  await parley?.close();
  await slack?.close();
  await telegram?.close();
});

describe('an urgent ticket climbs the ladder once, and an acknowledgement stops it', () => {
  let urgent: { number: string; id: string };
  let paused: { number: string; id: string };

  it('warns the assignee at 11 min 15 s, not before', async () => {
    urgent = await openTicket({
      subject: 'Wrong size delivered',
      category: 'return_refund',
      priority: 'urgent',
    });
    const assigned = await parley.api('PATCH', `/tickets/${urgent.number}`, {
      body: { assignee_id: agents.agent },
    });
    expect(assigned.status).toBe(200);
    // A paused ticket (awaiting the customer) alongside: it must never breach.
    paused = await openTicket({
      subject: 'Where is my order?',
      category: 'general_inquiry',
      priority: 'urgent',
    });
    for (const status of ['in_progress', 'awaiting_customer']) {
      const res = await parley.api('PATCH', `/tickets/${paused.number}`, { body: { status } });
      expect(res.status).toBe(200);
    }

    await sweep();
    setTime('10:11:14');
    await sweep();
    expect(await staffRows(db(), urgent.id)).toEqual([]);

    setTime('10:11:15');
    await sweep();
    const rows = await staffRows(db(), urgent.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.audience).toEqual({ kind: 'agent', agentId: agents.agent });
    expect(rows[0]!.text).toContain(urgent.number);
    expect(rows[0]!.text).toContain('first response due in 3 min');
    expect(rows[0]!.actions).toEqual([]);
    await outboxDrained(db());
    expect(
      slack
        .posted(SLACK.agent)
        .map((m) => m.text)
        .join('\n'),
    ).toContain(urgent.number);
  });

  it('at the breach pings the group lead only, with the three buttons, and bumps nothing', async () => {
    const watch = (agent: string, events: string[]) =>
      parley.api('PUT', `/tickets/${urgent.number}/watchers/${agents[agent]}`, {
        body: { notify: { slack_dm: true, events } },
      });
    expect((await watch('other', ['sla'])).status).toBe(200);
    expect((await watch('manager', ['status'])).status).toBe(200);
    setTime('10:15:00');
    await sweep();
    const rows = (await staffRows(db(), urgent.id)).slice(1);
    expect(rows.map((r) => r.audience)).toEqual([{ kind: 'agent', agentId: agents.lead }]);
    expect(rows[0]!.text).toMatch(/SLA breached.*first response was due just now/);
    expect(rows[0]!.actions.map((a) => a.id)).toEqual(['sla_ack', 'sla_take_over', 'sla_reassign']);

    const ticket = (await parley.api('GET', `/tickets/${urgent.number}`)).body;
    expect(ticket.priority).toBe('urgent');
    expect(ticket.sla.breached).toBe(true);
    const events = (await parley.api('GET', `/tickets/${urgent.number}/events`)).body.data as {
      action: string;
      changes: Record<string, { to: unknown }>;
    }[];
    const breach = events.find((e) => e.action === 'sla_breached')!;
    expect(breach.changes.first_response_breached_at!.to).toBe('2026-03-02T10:15:00.000Z');
    expect(breach.changes.priority).toBeUndefined();
    expect(
      events.filter((e) => e.action === 'sla_escalation').map((e) => e.changes.rung!.to),
    ).toEqual([0, 1]);
    await outboxDrained(db());
    expect(slack.posted(SLACK.lead)).toHaveLength(1);
    expect(slack.posted(MANAGERS)).toHaveLength(0);
    // Watchers who asked for SLA events hear of the breach once (the assignee watches by default).
    const watched = /SLA breached on a ticket you watch.*first response was due just now/;
    expect(slack.posted(SLACK.other).map((m) => m.text)).toEqual([expect.stringMatching(watched)]);
    expect(slack.posted(SLACK.agent).filter((m) => watched.test(m.text ?? ''))).toHaveLength(1);
    expect(slack.posted(SLACK.manager)).toHaveLength(0);
    await sweep();
    await outboxDrained(db());
    expect(slack.posted(SLACK.other)).toHaveLength(1);
  });

  it('pings the manager channel exactly once at 45 min, however often the sweep runs', async () => {
    setTime('10:44:59');
    await sweep();
    setTime('10:45:00');
    await sweep();
    await sweep();
    await sweep();
    const rungs = await rungRows(db(), urgent.id);
    expect(rungs.map((r) => `${r.target}#${r.rung}`)).toEqual([
      'first_response#0',
      'first_response#1',
      'first_response#2',
    ]);
    const managerRows = (await staffRows(db(), urgent.id)).filter(
      (r) => r.audience.kind === 'manager_channel',
    );
    expect(managerRows).toHaveLength(1);
    expect(await staffRows(db(), urgent.id, 'telegram')).toHaveLength(3); // agent, lead, managers
    await outboxDrained(db());
    const posted = slack.posted(MANAGERS);
    expect(posted).toHaveLength(1);
    // The agents' chat hears it too (the agent and the lead have no Telegram id: skipped).
    const toAgentsChat = telegram
      .calls('sendMessage')
      .filter((c) => String(c.body.chat_id) === AGENTS_CHAT);
    expect(toAgentsChat).toHaveLength(1);
    const buttons = JSON.stringify(posted[0]!.blocks);
    for (const id of ['sla_ack', 'sla_take_over', 'sla_reassign']) expect(buttons).toContain(id);
  });

  it('refuses an acknowledgement from a plain agent, takes the manager’s, and stops the climb', async () => {
    const value = (await staffRows(db(), urgent.id)).at(-1)!.actions[0]!.value;
    const click = (user: string, id: string) =>
      clickSlackButton({
        url: parley.url,
        signingSecret: SIGNING,
        clock,
        user,
        action: { action_id: 'sla_ack', value },
        responseUrl: slack.responseUrl(id),
      });

    expect(await click(SLACK.agent, 'by-agent')).toBe(200);
    const refused = await waitFor(() => slack.responses('by-agent')[0]);
    expect(JSON.stringify(refused.body)).toContain('Only a supervisor');
    expect((await rungRows(db(), urgent.id)).every((r) => r.acknowledged_at === null)).toBe(true);

    expect(await click(SLACK.manager, 'by-manager')).toBe(200);
    const answered = await waitFor(() => slack.responses('by-manager')[0]);
    expect(JSON.stringify(answered.body)).toContain('Acknowledged');
    const acked = await rungRows(db(), urgent.id);
    expect(acked.every((r) => r.acknowledged_by === agents.manager)).toBe(true);
    expect(acked.every((r) => r.acknowledgement === 'acknowledged')).toBe(true);
    const events = (await parley.api('GET', `/tickets/${urgent.number}/events`)).body.data as {
      action: string;
      actor_id?: string;
      actor?: { id?: string };
    }[];
    expect(events.filter((e) => e.action === 'sla_acknowledged')).toHaveLength(1);

    for (const time of ['11:15:00', '11:20:00']) {
      setTime(time);
      await sweep();
    }
    const rungs = await rungRows(db(), urgent.id);
    expect(rungs.filter((r) => r.target === 'first_response').map((r) => r.rung)).toEqual([
      0, 1, 2,
    ]);
    await outboxDrained(db());
    expect(slack.posted(MANAGERS)).toHaveLength(1);
  });

  it('a paused ticket never breaches, however far the clock moves', async () => {
    for (const time of ['12:00:00', '2026-03-03T10:00:00Z']) {
      setTime(time);
      await sweep();
    }
    expect(await rungRows(db(), paused.id)).toEqual([]);
    expect(await staffRows(db(), paused.id)).toEqual([]);
    const ticket = (await parley.api('GET', `/tickets/${paused.number}`)).body;
    expect(ticket.sla.breached).toBe(false);
    const { rows } = await db().query(
      `select (select next_check_at from sla_checks where ticket_id = t.id) as sla_next_check_at,
              first_response_breached_at
         from tickets t where id = $1`,
      [paused.id],
    );
    expect(rows[0]).toEqual({ sla_next_check_at: null, first_response_breached_at: null });
  });
});

describe('business hours', () => {
  it('a medium ticket breaching at 20:00 pings its leads at the next opening, not at night', async () => {
    const calendar = {
      timezone: 'UTC',
      hours: Object.fromEntries(
        ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '20:00']]]),
      ),
      holidays: [],
    };
    const put = await parley.api('PUT', '/sla-policy/overrides/category/billing', {
      body: { calendar },
    });
    expect(put.status).toBe(200);
    setTime('2026-03-03T16:00:00Z'); // Tuesday: 4 business hours → due 20:00, at closing
    const ticket = await openTicket({
      subject: 'Charged twice',
      category: 'billing',
      priority: 'medium',
    });
    await sweep();
    expect(
      (await parley.api('GET', `/tickets/${ticket.number}`)).body.sla.first_response_due_at,
    ).toBe('2026-03-03T20:00:00.000Z');

    setTime('2026-03-03T19:00:00Z');
    await sweep();
    const warning = await staffRows(db(), ticket.id);
    expect(warning.map((r) => r.audience)).toEqual([
      { kind: 'ticket_thread', ticketId: ticket.id },
    ]);

    for (const time of ['2026-03-03T20:00:00Z', '2026-03-03T23:30:00Z', '2026-03-04T08:59:59Z']) {
      setTime(time);
      await sweep();
    }
    expect(await staffRows(db(), ticket.id)).toHaveLength(1);
    const breached = (await parley.api('GET', `/tickets/${ticket.number}`)).body;
    expect(breached.sla.breached).toBe(true);
    expect(breached.priority).toBe('high'); // the breach bumped it once
    const { rows } = await db().query('select next_check_at from sla_checks where ticket_id = $1', [
      ticket.id,
    ]);
    expect(rows[0].next_check_at).toEqual(new Date('2026-03-04T09:00:00Z'));

    setTime('2026-03-04T09:00:00Z');
    await sweep();
    const lead = (await staffRows(db(), ticket.id)).filter((r) => r.text.includes('SLA breached'));
    // No group: every supervisor of the tenant.
    expect(lead.map((r) => r.audience.agentId).sort()).toEqual(
      [agents.lead, agents.manager, agents.other].sort(),
    );
    expect(lead[0]!.text).toContain(`${ticket.number} (high)`);
    const events = (await parley.api('GET', `/tickets/${ticket.number}/events`)).body.data as {
      action: string;
      created_at: string;
      changes: Record<string, { from: unknown; to: unknown }>;
    }[];
    const bumps = events.filter((e) => e.action === 'sla_breached');
    expect(bumps).toHaveLength(1);
    expect(bumps[0]!.changes.priority).toEqual({ from: 'medium', to: 'high' });
    expect(bumps[0]!.created_at).toBe('2026-03-03T20:00:00.000Z');
    // The bump re-timed the resolution (high: 4 h from creation, already past) to 1 business hour
    // after the breach, so its warning comes with the opening too; the first response kept its
    // breached deadline and did not start a new ladder.
    expect(breached.sla.resolution_due_at).toBe('2026-03-04T10:00:00.000Z');
    expect(
      (await rungRows(db(), ticket.id)).map((r) => [
        r.target,
        r.rung,
        r.due_at.toISOString(),
        r.fired_at.toISOString(),
      ]),
    ).toEqual([
      ['first_response', 0, '2026-03-03T20:00:00.000Z', '2026-03-03T19:00:00.000Z'],
      ['first_response', 1, '2026-03-03T20:00:00.000Z', '2026-03-04T09:00:00.000Z'],
      ['resolution', 0, '2026-03-04T10:00:00.000Z', '2026-03-04T09:00:00.000Z'],
    ]);
  });
});
