import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueStaffNotice, type StaffNotice } from '../../../src/app/staff-notices.js';
import { type FakeSlack, startFakeSlack } from '../../fakes/slack-api.js';
import { type FakeTelegram, startFakeTelegram } from '../../fakes/telegram-api.js';
import { outboxDrained } from '../../support/chat-driver.js';
import { type TestParley, startTestParley } from '../../support/test-parley.js';

const SLACK_TOKEN = 'xoxb-staff-notices';
const TG_TOKEN = '778:TEST-staff-notices';
const MANAGERS = 'C0MANAGERS';
const AGENTS_CHAT = '-1001234567890';

let slack: FakeSlack;
let telegram: FakeTelegram;
let parley: TestParley;
let lead: { id: string };
let noIds: { id: string };

beforeAll(async () => {
  slack = await startFakeSlack({ token: SLACK_TOKEN });
  telegram = await startFakeTelegram({ token: TG_TOKEN });
  parley = await startTestParley({
    channels: { slackPaceIntervalMs: 10 },
    env: {
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_SIGNING_SECRET: 'staff-notices-signing',
      SLACK_API_URL: slack.apiUrl,
      SLACK_TRIAGE_CHANNEL: 'C0TRIAGE01',
      SLACK_MANAGER_CHANNEL: MANAGERS,
      TELEGRAM_BOT_TOKEN: TG_TOKEN,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET: 'staff_notices_secret',
      TELEGRAM_AGENT_CHAT_ID: AGENTS_CHAT,
    },
  });
  lead = (
    await parley.api('POST', '/agents', {
      body: {
        name: 'Lead',
        role: 'supervisor',
        slack_user_id: 'U0LEAD0001',
        telegram_user_id: '4242',
      },
    })
  ).body;
  noIds = (await parley.api('POST', '/agents', { body: { name: 'Offline', role: 'agent' } })).body;
});
afterAll(async () => {
  await parley?.close();
  await slack?.close();
  await telegram?.close();
});

async function notify(...notices: Omit<StaffNotice, 'tenantId'>[]) {
  const tenantId = await tenantIdOf();
  await parley.deps.uow.transaction(async (s) => {
    for (const n of notices) await enqueueStaffNotice(parley.deps, s, { tenantId, ...n });
  });
  await outboxDrained(parley.database.pool);
}

async function tenantIdOf(): Promise<string> {
  const { rows } = await parley.database.pool.query('select id from tenants limit 1');
  return rows[0].id;
}

describe('staff notices', () => {
  it('reach an agent by Slack DM and Telegram, and the managers in both, with buttons on Slack', async () => {
    await notify(
      { audience: { kind: 'agent', agentId: lead.id }, text: 'TK-2026-00001 breached <!channel>' },
      {
        audience: { kind: 'manager_channel' },
        text: 'TK-2026-00001 needs a manager',
        actions: [
          { id: 'sla_ack', value: 'esc-1', label: 'Acknowledge' },
          { id: 'sla_take_over', value: 'esc-1', label: 'Take over' },
        ],
      },
    );
    const dm = slack.posted('U0LEAD0001');
    expect(dm).toHaveLength(1);
    expect(dm[0]!.text).toContain('&lt;!channel&gt;'); // a quoted subject cannot ping everyone
    const managers = slack.posted(MANAGERS);
    expect(managers).toHaveLength(1);
    const actions = (managers[0]!.blocks as any[]).find((b) => b.type === 'actions');
    expect(actions.elements.map((e: any) => [e.action_id, e.value])).toEqual([
      ['sla_ack', 'esc-1'],
      ['sla_take_over', 'esc-1'],
    ]);
    const tg = telegram.calls('sendMessage').map((c) => [String(c.body.chat_id), c.body.text]);
    expect(tg).toContainEqual(['4242', 'TK-2026-00001 breached <!channel>']);
    expect(tg).toContainEqual([
      AGENTS_CHAT,
      'TK-2026-00001 needs a manager\n(Acknowledge · Take over: in Slack or with /ticket)',
    ]);
  });

  it('skips an agent without platform ids and a thread that does not exist, without failing', async () => {
    const before = slack.requests.length + telegram.requests.length;
    await notify(
      { audience: { kind: 'agent', agentId: noIds.id }, text: 'nobody to tell' },
      {
        audience: { kind: 'ticket_thread', ticketId: '00000000-0000-4000-8000-000000000000' },
        text: 'no card',
      },
    );
    expect(slack.requests.length + telegram.requests.length).toBe(before);
    const { rows } = await parley.database.pool.query(
      `select destination, status from outbox where destination like 'staff:%' and payload->>'text' in ('nobody to tell', 'no card') order by id`,
    );
    expect(rows.map((r) => r.destination)).toEqual([
      'staff:slack',
      'staff:telegram',
      'staff:slack',
    ]);
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['sent']));
  });

  it('keeps one notice per dedupe key', async () => {
    const n = {
      audience: { kind: 'manager_channel' as const },
      text: 'once',
      dedupeKey: 'daily:2026-11-24',
    };
    await notify(n);
    await notify(n);
    expect(slack.posted(MANAGERS).filter((m) => m.text === 'once')).toHaveLength(1);
  });
});
