/**
 * Team notices are written only for the platforms the configuration wires: with Slack wired and
 * Telegram not, a breach and a notice written by either process of a web + worker deployment get
 * `staff:slack` rows and no `staff:telegram` rows, and the worker delivers them. A `staff:telegram`
 * row written under an earlier configuration is marked sent without a call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryFailureNotifier } from '../../../src/app/delivery-failure-notice.js';
import { enqueueStaffNotice } from '../../../src/app/staff-notices.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { outboxDrained, waitFor } from '../../support/chat-driver.js';
import {
  type FakeStaffPlatforms,
  STAFF_MANAGER_CHANNEL,
  startFakeStaffPlatforms,
} from '../../support/staff-platforms.js';
import { type TestDatabase, createTestDatabase } from '../../support/test-database.js';
import { type TestParley, startTestParley } from '../../support/test-parley.js';

const clock = new ManualClock('2026-03-02T10:00:00Z');
const LEAD_SLACK = 'U0PLATLEAD';
let staff: FakeStaffPlatforms;
let database: TestDatabase;
let web: TestParley;
let worker: TestParley;
let tenantId: string;
let leadId: string;
let ticketId: string;

beforeAll(async () => {
  staff = await startFakeStaffPlatforms({ slack: true }); // Telegram: not wired
  database = await createTestDatabase();
  const start = (role: string) =>
    startTestParley({
      clock,
      database,
      env: { ...staff.env, PARLEY_ROLE: role },
      channels: staff.channels,
    });
  web = await start('web');
  worker = await start('worker');
  const lead = await web.api('POST', '/agents', {
    body: { name: 'Lead', role: 'supervisor', slack_user_id: LEAD_SLACK, telegram_user_id: '4343' },
  });
  expect(lead.status).toBe(201);
  leadId = lead.body.id;
  tenantId = (await database.pool.query('select id from tenants limit 1')).rows[0].id;
});
afterAll(async () => {
  await worker?.close();
  await web?.close();
  await database?.close();
  await staff?.close();
});

async function staffRowsOf(ticketId: string | null) {
  const { rows } = await database.pool.query(
    `select destination, status, payload from outbox
      where destination like 'staff:%' and ticket_id is not distinct from $1 order by id`,
    [ticketId],
  );
  return rows as { destination: string; status: string; payload: any }[];
}

describe('staff notices per wired platform', () => {
  it('both processes read the wired platforms from the configuration, not from what they run', () => {
    expect(web.deps.staffPlatforms).toEqual(['slack']);
    expect(worker.deps.staffPlatforms).toEqual(['slack']);
  });

  it('a breach pings on Slack only, and the worker delivers it', async () => {
    const res = await web.api('POST', '/tickets', {
      body: {
        customer: { name: 'Cust', email: 'platforms@example.test' },
        subject: 'Urgent',
        category: 'order_issue',
        priority: 'urgent',
      },
    });
    expect(res.status).toBe(201);
    ticketId = res.body.id as string;
    clock.set(new Date(clock.now().getTime() + 16 * 60_000)); // past the 15 min first response
    await worker.jobs.runNow('sla:sweep');

    const rows = await staffRowsOf(ticketId);
    const toLead = rows.filter((r) => r.payload.audience.agentId === leadId);
    expect(toLead.map((r) => r.destination)).toEqual(['staff:slack']);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.destination !== 'staff:slack')).toEqual([]);
    await outboxDrained(database.pool);
    expect(staff.slack!.posted(LEAD_SLACK).map((m) => m.text)).toEqual([
      expect.stringContaining('breached'),
    ]);
  });

  it('a notice written by the web process gets the same rows', async () => {
    await web.deps.uow.transaction((s) =>
      enqueueStaffNotice(web.deps, s, {
        tenantId,
        audience: { kind: 'manager_channel' },
        text: 'Written by web',
        dedupeKey: 'platforms:web',
      }),
    );
    const rows = (await staffRowsOf(null)).filter((r) => r.payload.text === 'Written by web');
    expect(rows.map((r) => r.destination)).toEqual(['staff:slack']);
    await waitFor(() =>
      staff.slack!.posted(STAFF_MANAGER_CHANNEL).some((m) => m.text === 'Written by web')
        ? true
        : undefined,
    );
  });

  it("a customer message given up on is noticed in the ticket's Slack thread", async () => {
    await deliveryFailureNotifier(worker.deps)(
      {
        id: 987654,
        tenantId,
        ticketId,
        messageId: null,
        destination: 'customer:telegram',
        orderingKey: 'customer:telegram:1',
        payload: {},
        attempts: 3,
        maxAttempts: 3,
      },
      'HTTP 500 (gave up after 3 attempts)',
    );
    const { rows } = await database.pool.query(
      "select destination from outbox where dedupe_key like '%delivery-failed:987654'",
    );
    expect(rows.map((r) => r.destination)).toEqual(['staff:slack']);
  });

  it('a row of a platform no longer wired is marked sent without a call', async () => {
    // As a process configured with Telegram wrote it before the configuration changed.
    await worker.deps.uow.transaction((s) =>
      enqueueStaffNotice({ staffPlatforms: ['slack', 'telegram'] }, s, {
        tenantId,
        audience: { kind: 'agent', agentId: leadId },
        text: 'Written under the old configuration',
        dedupeKey: 'platforms:old',
      }),
    );
    await outboxDrained(database.pool);
    const rows = (await staffRowsOf(null)).filter(
      (r) => r.payload.text === 'Written under the old configuration',
    );
    expect(rows.map((r) => [r.destination, r.status])).toEqual([
      ['staff:slack', 'sent'],
      ['staff:telegram', 'sent'],
    ]);
  });
});
