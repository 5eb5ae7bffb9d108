import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/domain/clock.js';
import { type FakeStaffPlatforms, startFakeStaffPlatforms } from '../../support/staff-platforms.js';
import { PLATFORM_KEY, type TestParley, startTestParley } from '../../support/test-parley.js';

const MINUTE = 60_000;
// 06:30 in Asia/Kolkata (UTC+05:30) on 10 March 2026; the report goes out at 08:30 local.
const clock = new ManualClock('2026-03-10T01:00:00Z');
let parley: TestParley;
/** A second Parley process on the same database, for the exactly-once races. */
let other: TestParley;
/** Slack and Telegram wired: a notice is a row for each. */
let staff: FakeStaffPlatforms;
let key: string;
let tenantId: string;
let anaKey: string;
const supervisors: string[] = [];

const api = (method: string, path: string, body?: unknown) =>
  parley.api(method, path, { key, ...(body === undefined ? {} : { body }) });

async function ticket(subject: string, category: string): Promise<{ id: string }> {
  const res = await api('POST', '/tickets', { customer: { name: 'Ravi' }, subject, category });
  expect(res.status).toBe(201);
  return res.body;
}

async function reportNotices(): Promise<{ destination: string; payload: any }[]> {
  const { rows } = await parley.database.pool.query(
    `select destination, payload from outbox
     where tenant_id = $1 and payload->>'type' = 'staff.notice' order by id`,
    [tenantId],
  );
  return rows;
}

beforeAll(async () => {
  staff = await startFakeStaffPlatforms();
  const wiring = { env: staff.env, channels: staff.channels };
  parley = await startTestParley({ clock, ...wiring });
  other = await startTestParley({ clock, database: parley.database, ...wiring });
  const created = await parley.api('POST', '/tenants', {
    key: PLATFORM_KEY,
    body: { name: 'Kolkata Stores', slug: 'kolkata', timezone: 'Asia/Kolkata' },
  });
  expect(created.status).toBe(201);
  key = created.body.api_key;
  tenantId = created.body.tenant.id;
  for (const name of ['Sup One', 'Sup Two']) {
    supervisors.push((await api('POST', '/agents', { name, role: 'supervisor' })).body.id);
  }
  const ana = (await api('POST', '/agents', { name: 'Ana', role: 'agent', groups: ['returns'] }))
    .body;
  anaKey = (await api('POST', `/agents/${ana.id}/api-keys`)).body.api_key;
  await api('POST', '/agents', { name: 'Raj', role: 'agent', groups: ['billing'] });
  await api('PATCH', '/settings', { routing: { return_refund: 'returns' } });
  // The test Parley's own tenant (UTC) reports too; keep it quiet here.
  await parley.api('PATCH', '/settings', { body: { daily_report_time: null } });
});
afterAll(async () => {
  await other?.close();
  await parley?.close();
  await staff?.close();
});

describe('daily queue report', () => {
  it('is sent once at the local report time with per-queue figures, to each supervisor and the managers', async () => {
    const pool = parley.database.pool;
    // Yesterday (local): resolved then, so not "resolved today".
    clock.set('2026-03-09T10:00:00Z');
    const yesterday = await ticket('resolved yesterday', 'general_inquiry');
    await api('PATCH', `/tickets/${yesterday.id}`, { status: 'in_progress' });
    await api('PATCH', `/tickets/${yesterday.id}`, { resolution: { code: 'answered' } });

    clock.set('2026-03-10T01:00:00Z'); // 06:30 local
    const r1 = await ticket('returns, resolved today', 'return_refund');
    const r2 = await ticket('returns, open and overdue', 'return_refund');
    const n1 = await ticket('no group, resolved today', 'general_inquiry');
    await ticket('no group, open', 'general_inquiry');
    clock.advance(10 * MINUTE); // 06:40: first reply on r1
    const reply = await parley.api('POST', `/tickets/${r1.id}/messages`, {
      key: anaKey,
      body: { body: 'Looking into it' },
    });
    expect(reply.status).toBe(201);
    await api('PATCH', `/tickets/${n1.id}`, { status: 'in_progress' });
    clock.advance(50 * MINUTE); // 07:30: both resolved
    await api('PATCH', `/tickets/${r1.id}`, { status: 'in_progress' });
    await api('PATCH', `/tickets/${r1.id}`, { resolution: { code: 'refund' } });
    await api('PATCH', `/tickets/${n1.id}`, { resolution: { code: 'answered' } });
    // Stored SLA figures win over timestamps; r2 breached its SLA.
    await pool.query(
      'update tickets set first_response_seconds = 120, resolution_seconds = 1800 where id = $1',
      [n1.id],
    );
    await pool.query('update tickets set sla_breached = true where id = $1', [r2.id]);

    expect(await parley.jobs.runNow('reports:daily')).toMatchObject({ sent: 0 }); // 07:30 local
    clock.set('2026-03-10T03:01:00Z'); // 08:31 local
    const [a, b] = (await Promise.all([
      parley.jobs.runNow('reports:daily'),
      other.jobs.runNow('reports:daily'),
    ])) as { sent: number }[];
    expect(a!.sent + b!.sent).toBe(1);
    expect(await parley.jobs.runNow('reports:daily')).toMatchObject({ sent: 0 });

    const res = await api('GET', '/reports/daily?date=2026-03-10');
    expect(res.status).toBe(200);
    const report = res.body.report;
    expect(report.date).toBe('2026-03-10');
    expect(report.timezone).toBe('Asia/Kolkata');
    const byName = Object.fromEntries(
      report.queues.map((q: { group_name: string | null }) => [q.group_name ?? '(none)', q]),
    );
    expect(Object.keys(byName).sort()).toEqual(['(none)', 'billing', 'returns']);
    expect(byName.returns).toMatchObject({
      open: 1,
      overdue: 1,
      resolved_today: 1,
      avg_first_response_seconds: 600,
      avg_resolution_seconds: 3600,
    });
    expect(byName['(none)']).toMatchObject({
      open: 1,
      overdue: 0,
      resolved_today: 1,
      avg_first_response_seconds: 120,
      avg_resolution_seconds: 1800,
    });
    expect(byName.billing).toMatchObject({
      open: 0,
      resolved_today: 0,
      avg_first_response_seconds: null,
    });
    expect(report.totals).toEqual({
      open: 2,
      overdue: 1,
      resolved_today: 2,
      avg_first_response_seconds: 360,
      avg_resolution_seconds: 2700,
    });

    const notices = await reportNotices();
    const audiences = notices.map((n) => `${n.destination} ${JSON.stringify(n.payload.audience)}`);
    for (const platform of ['staff:slack', 'staff:telegram']) {
      for (const id of supervisors) {
        expect(audiences).toContain(`${platform} {"kind":"agent","agentId":"${id}"}`);
      }
      expect(audiences).toContain(`${platform} {"kind":"manager_channel"}`);
    }
    expect(notices).toHaveLength(6); // (2 supervisors + managers) × 2 platforms, once
    expect(notices[0]!.payload.text).toContain('Daily queue report for 2026-03-10');
    expect(notices[0]!.payload.text).toMatch(/returns: 1 open · 1 overdue · 1 resolved today/);
  });

  it('goes out again the next local day, not before the report time, and never when off', async () => {
    clock.set('2026-03-11T02:59:00Z'); // 08:29 local
    expect(await parley.jobs.runNow('reports:daily')).toMatchObject({ sent: 0 });
    clock.set('2026-03-11T03:00:00Z'); // 08:30 local
    expect(await parley.jobs.runNow('reports:daily')).toMatchObject({ sent: 1 });
    const next = await api('GET', '/reports/daily');
    expect(next.body.date).toBe('2026-03-11');
    expect(next.body.report.totals.resolved_today).toBe(0);

    await api('PATCH', '/settings', { daily_report_time: null });
    clock.set('2026-03-12T12:00:00Z');
    expect(await parley.jobs.runNow('reports:daily')).toMatchObject({ sent: 0 });
    expect((await api('GET', '/reports/daily?date=2026-03-12')).status).toBe(404);
    expect((await api('PATCH', '/settings', { daily_report_time: '25:00' })).status).toBe(400);
  });

  it('is readable by supervisors and admins only', async () => {
    const agent = (await api('POST', '/agents', { name: 'Plain', role: 'agent' })).body;
    const agentKey = (await api('POST', `/agents/${agent.id}/api-keys`)).body.api_key;
    const denied = await parley.api('GET', '/reports/daily?date=2026-03-10', { key: agentKey });
    expect(denied.status).toBe(403);
    const supKey = (await api('POST', `/agents/${supervisors[0]}/api-keys`)).body.api_key;
    const allowed = await parley.api('GET', '/reports/daily?date=2026-03-10', { key: supKey });
    expect(allowed.status).toBe(200);
    expect((await api('GET', '/reports/daily?date=10-03-2026')).status).toBe(400);
  });
});
