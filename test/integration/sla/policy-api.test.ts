import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/domain/clock.js';
import {
  type ApiClient,
  type TestParley,
  apiClient,
  startTestParley,
} from '../../support/test-parley.js';

const clock = new ManualClock('2026-03-03T10:00:00Z'); // a Tuesday
let parley: TestParley;
let agent: ApiClient;
let supervisor: ApiClient;

const HOUR = 3600;
const DEFAULT_TARGETS = {
  urgent: { first_response_seconds: 900, resolution_seconds: 7200 },
  high: { first_response_seconds: 3600, resolution_seconds: 14400 },
  medium: { first_response_seconds: 14400, resolution_seconds: 86400 },
  low: { first_response_seconds: 28800, resolution_seconds: 172800 },
};
const WEEKDAYS_9_TO_6 = {
  timezone: 'Europe/Madrid',
  hours: {
    mon: [['09:00', '18:00']],
    tue: [['09:00', '18:00']],
    wed: [['09:00', '18:00']],
    thu: [['09:00', '18:00']],
    fri: [['09:00', '14:00']],
  },
  holidays: ['2026-12-25'],
};

async function staffKey(role: string, name: string): Promise<ApiClient> {
  const created = await parley.api('POST', '/agents', {
    body: { name, role, email: `${name}@example.test`, groups: ['returns'] },
  });
  expect(created.status).toBe(201);
  const key = await parley.api('POST', `/agents/${created.body.id}/api-keys`);
  return apiClient(`${parley.url}/api/v1`, key.body.api_key);
}

async function open(category: string, priority = 'high') {
  const res = await parley.api('POST', '/tickets', {
    body: { customer: { name: 'Noa' }, subject: 'Help', category, priority },
  });
  expect(res.status).toBe(201);
  return res.body;
}

const secondsAfter = (iso: string, start: Date) => (Date.parse(iso) - start.getTime()) / 1000;

beforeAll(async () => {
  parley = await startTestParley({ clock });
  agent = await staffKey('agent', 'ada');
  supervisor = await staffKey('supervisor', 'sol');
});
afterAll(() => parley?.close());

describe('GET|PUT /sla-policy', () => {
  it('answers the defaults to any staff member, escalation settings included', async () => {
    const res = await agent('GET', '/sla-policy');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      targets: DEFAULT_TARGETS,
      calendar: null,
      pause_when_awaiting_customer: true,
      escalation: { warning_ratio: 0.75, climb_after_seconds: 1800, bump_priority_on_breach: true },
    });
  });

  it('refuses a PUT from an agent (403) and changes nothing', async () => {
    const res = await agent('PUT', '/sla-policy', {
      body: { targets: {}, calendar: null, pause_when_awaiting_customer: false },
    });
    expect(res.status).toBe(403);
    expect((await parley.api('GET', '/sla-policy')).body.pause_when_awaiting_customer).toBe(true);
  });

  it('rejects a calendar it cannot use with 422 and the problems', async () => {
    const overlapping = {
      ...WEEKDAYS_9_TO_6,
      hours: {
        mon: [
          ['09:00', '13:00'],
          ['12:00', '18:00'],
        ],
      },
    };
    const res = await supervisor('PUT', '/sla-policy', {
      body: { targets: {}, calendar: overlapping, pause_when_awaiting_customer: true },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invalid_calendar');
    expect(res.body.error.details.problems.join(' ')).toMatch(/overlap/i);

    const closedAllWeek = { timezone: 'Europe/Madrid', hours: {}, holidays: [] };
    const none = await supervisor('PUT', '/sla-policy', {
      body: { targets: {}, calendar: closedAllWeek, pause_when_awaiting_customer: true },
    });
    expect(none.status).toBe(422);
    expect((await parley.api('GET', '/sla-policy')).body.calendar).toBeNull();
  });

  it('stores a supervisor PUT (missing priorities keep the defaults), audits it, and reads it back', async () => {
    const body = {
      targets: { urgent: { first_response_seconds: 600, resolution_seconds: 3 * HOUR } },
      calendar: WEEKDAYS_9_TO_6,
      pause_when_awaiting_customer: false,
      escalation: { warning_ratio: 0.5 },
    };
    const put = await supervisor('PUT', '/sla-policy', { body });
    expect(put.status).toBe(200);
    const expected = {
      targets: { ...DEFAULT_TARGETS, urgent: body.targets.urgent },
      calendar: WEEKDAYS_9_TO_6,
      pause_when_awaiting_customer: false,
      escalation: { warning_ratio: 0.5, climb_after_seconds: 1800, bump_priority_on_breach: true },
    };
    expect(put.body).toEqual(expected);
    expect((await agent('GET', '/sla-policy')).body).toEqual(expected);

    // A PUT without escalation keeps the escalation settings.
    const again = await parley.api('PUT', '/sla-policy', {
      body: { ...body, escalation: undefined, pause_when_awaiting_customer: true },
    });
    expect(again.body.escalation.warning_ratio).toBe(0.5);
    expect(again.body.pause_when_awaiting_customer).toBe(true);

    const { rows } = await parley.database.pool.query(
      `select actor_type, changes from audit_events
       where entity_type = 'tenant' and action = 'sla_policy_changed' order by id`,
    );
    expect(rows).toHaveLength(2);
    expect(rows[0].actor_type).toBe('agent');
    expect(rows[0].changes.calendar).toEqual({ from: null, to: WEEKDAYS_9_TO_6 });
    expect(rows[0].changes.targets.to.urgent.first_response_seconds).toBe(600);
    expect(rows[1].changes).toEqual({
      pause_when_awaiting_customer: { from: false, to: true },
    });
  });

  it('times new tickets by the stored policy', async () => {
    // Tuesday 11:00 Madrid: urgent first response in 600 business seconds.
    const t = await open('general_inquiry', 'urgent');
    expect(secondsAfter(t.sla.first_response_due_at, clock.now())).toBe(600);
    // Reset to 24/7 for the override tests below.
    const reset = await parley.api('PUT', '/sla-policy', {
      body: { targets: {}, calendar: null, pause_when_awaiting_customer: true },
    });
    expect(reset.status).toBe(200);
  });
});

describe('/sla-policy/overrides', () => {
  it('lets a category override win over the tenant policy for new tickets, until deleted', async () => {
    const put = await supervisor('PUT', '/sla-policy/overrides/category/warranty', {
      body: { targets: { high: { first_response_seconds: 20 * 60 } } },
    });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({
      scope: 'category',
      value: 'warranty',
      policy: { targets: { high: { first_response_seconds: 1200 } } },
    });

    const warranty = await open('warranty');
    const billing = await open('billing');
    expect(secondsAfter(warranty.sla.first_response_due_at, clock.now())).toBe(1200);
    expect(secondsAfter(warranty.sla.resolution_due_at, clock.now())).toBe(4 * HOUR);
    expect(secondsAfter(billing.sla.first_response_due_at, clock.now())).toBe(HOUR);

    const list = await agent('GET', '/sla-policy/overrides');
    expect(list.status).toBe(200);
    expect(list.body.data).toEqual([put.body]);

    const removed = await supervisor('DELETE', '/sla-policy/overrides/category/warranty');
    expect(removed.status).toBe(200);
    expect(removed.body.data).toEqual([]);
    const after = await open('warranty');
    expect(secondsAfter(after.sla.first_response_due_at, clock.now())).toBe(HOUR);
    expect((await supervisor('DELETE', '/sla-policy/overrides/category/warranty')).status).toBe(
      404,
    );
  });

  it('re-times an open ticket whose category moves it under (or out of) an override', async () => {
    const put = await supervisor('PUT', '/sla-policy/overrides/category/technical', {
      body: { targets: { high: { first_response_seconds: 15 * 60, resolution_seconds: HOUR } } },
    });
    expect(put.status).toBe(200);
    const created = clock.now();
    const t = await open('billing'); // tenant policy: high is 1 h / 4 h
    expect(secondsAfter(t.sla.first_response_due_at, created)).toBe(HOUR);
    clock.advance(5 * 60_000);

    const moved = await agent('PATCH', `/tickets/${t.id}`, { body: { category: 'technical' } });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    // Counted from creation under the override, not from the change.
    expect(secondsAfter(moved.body.sla.first_response_due_at, created)).toBe(15 * 60);
    expect(secondsAfter(moved.body.sla.resolution_due_at, created)).toBe(HOUR);

    const back = await agent('PATCH', `/tickets/${t.id}`, { body: { category: 'billing' } });
    expect(back.status).toBe(200);
    expect(secondsAfter(back.body.sla.first_response_due_at, created)).toBe(HOUR);
    expect(secondsAfter(back.body.sla.resolution_due_at, created)).toBe(4 * HOUR);

    // A category without an override of its own keeps the due times as they are.
    const other = await agent('PATCH', `/tickets/${t.id}`, {
      body: { category: 'general_inquiry' },
    });
    expect(other.status).toBe(200);
    expect(other.body.sla.first_response_due_at).toBe(back.body.sla.first_response_due_at);
    await supervisor('DELETE', '/sla-policy/overrides/category/technical');
  });

  it('applies a tier override over a category override (precedence tenant < group < category < tier)', async () => {
    await parley.api('PUT', '/sla-policy/overrides/category/billing', {
      body: { targets: { high: { first_response_seconds: 1800 } } },
    });
    await parley.api('PUT', '/sla-policy/overrides/tier/gold', {
      body: { targets: { high: { first_response_seconds: 300 } } },
    });
    const gil = { name: 'Gil', email: 'gil@example.test' };
    const before = await parley.api('POST', '/tickets', {
      body: { customer: gil, subject: 'Invoice', category: 'billing', priority: 'high' },
    });
    // No tier yet: the category override.
    expect(secondsAfter(before.body.sla.first_response_due_at, clock.now())).toBe(1800);
    await parley.database.pool.query(`update customers set tier = 'gold' where id = $1`, [
      before.body.customer.id,
    ]);
    const gold = await parley.api('POST', '/tickets', {
      body: { customer: gil, subject: 'Invoice again', category: 'billing', priority: 'high' },
    });
    expect(gold.body.customer.id).toBe(before.body.customer.id);
    expect(secondsAfter(gold.body.sla.first_response_due_at, clock.now())).toBe(300);
  });

  it('answers 422 for an unknown category or group, 403 for an agent, and resolves groups by name', async () => {
    const cat = await parley.api('PUT', '/sla-policy/overrides/category/nonsense', {
      body: { pause_when_awaiting_customer: false },
    });
    expect(cat.status).toBe(422);
    expect(cat.body.error.code).toBe('unknown_category');
    const group = await parley.api('PUT', '/sla-policy/overrides/group/nobody', {
      body: { pause_when_awaiting_customer: false },
    });
    expect(group.status).toBe(422);
    const byAgent = await agent('PUT', '/sla-policy/overrides/tier/gold', { body: {} });
    expect(byAgent.status).toBe(403);
    const badScope = await parley.api('PUT', '/sla-policy/overrides/planet/mars', { body: {} });
    expect(badScope.status).toBe(404);

    const returns = await parley.api('PUT', '/sla-policy/overrides/group/returns', {
      body: { calendar: WEEKDAYS_9_TO_6 },
    });
    expect(returns.status).toBe(200);
    expect(returns.body.value).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await parley.api('GET', '/openapi.json', { key: null })).body;
    expect(doc.paths['/sla-policy/overrides'].get).toBeDefined();
    expect(doc.paths['/sla-policy/overrides/{scope}/{value}'].put).toBeDefined();
    expect(doc.paths['/sla-policy/overrides/{scope}/{value}'].delete).toBeDefined();
  });
});
