/**
 * The SLA clocks of real tickets under a business calendar (Mon–Fri 09:00–18:00, Madrid, UTC+1
 * in early March 2026): due times at creation, the pause while awaiting the customer, priority
 * changes, and the figures stored at first response and resolution.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/domain/clock.js';
import { waitFor } from '../../support/chat-driver.js';
import {
  type ApiClient,
  type TestParley,
  apiClient,
  startTestParley,
} from '../../support/test-parley.js';

const clock = new ManualClock('2026-03-02T08:00:00Z');
let parley: TestParley;
let agent: ApiClient;

const DAY = ['09:00', '18:00'];
const CALENDAR = {
  timezone: 'Europe/Madrid',
  hours: { mon: [DAY], tue: [DAY], wed: [DAY], thu: [DAY], fri: [DAY] },
  holidays: [],
};

async function ticketRow(id: string) {
  const { rows } = await parley.database.pool.query(
    `select sla_paused_at, (select next_check_at from sla_checks where ticket_id = t.id)
              as sla_next_check_at,
            sla_due_at, first_response_seconds, first_response_business_seconds,
            resolution_seconds, resolution_business_seconds
     from tickets t where id = $1`,
    [id],
  );
  return rows[0];
}

async function open(priority = 'medium') {
  const res = await parley.api('POST', '/tickets', {
    body: { customer: { name: 'Lia' }, subject: 'Late parcel', category: 'order_issue', priority },
  });
  expect(res.status).toBe(201);
  return res.body;
}

async function patch(id: string, body: Record<string, unknown>) {
  const res = await agent('PATCH', `/tickets/${id}`, { body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function webchat(path: string, token: string | null, body: unknown) {
  const res = await fetch(`${parley.url}/chat/api/${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  expect(res.status).toBeLessThan(300);
  return res.json() as Promise<any>;
}

beforeAll(async () => {
  parley = await startTestParley({ clock });
  const put = await parley.api('PUT', '/sla-policy', {
    body: { targets: {}, calendar: CALENDAR, pause_when_awaiting_customer: true },
  });
  expect(put.status).toBe(200);
  const created = await parley.api('POST', '/agents', { body: { name: 'Ana', role: 'agent' } });
  const key = await parley.api('POST', `/agents/${created.body.id}/api-keys`);
  agent = apiClient(`${parley.url}/api/v1`, key.body.api_key);
});
afterAll(() => parley?.close());

describe('due times at creation', () => {
  it('counts a Friday 17:30 ticket of a shop closed on weekends from Monday morning', async () => {
    clock.set('2026-03-06T16:30:00Z'); // Friday 17:30 in Madrid
    const t = await open('medium'); // 4 h first response, 24 h resolution (business time)
    // 30 min on Friday, 3 h 30 on Monday.
    expect(t.sla.first_response_due_at).toBe('2026-03-09T11:30:00.000Z');
    // 30 min Friday + 9 h Monday + 9 h Tuesday + 5 h 30 Wednesday.
    expect(t.sla.resolution_due_at).toBe('2026-03-11T13:30:00.000Z');
    expect(t.sla.next_due_at).toBe('2026-03-09T11:30:00.000Z');
    expect((await ticketRow(t.id)).sla_next_check_at).toEqual(clock.now());
  });
});

describe('priority changes', () => {
  it('recomputes the due times from creation under the new priority', async () => {
    clock.set('2026-03-09T09:00:00Z'); // Monday 10:00
    const t = await open('medium');
    expect(t.sla.first_response_due_at).toBe('2026-03-09T13:00:00.000Z');
    clock.advance(10 * 60_000);
    const high = await patch(t.id, { priority: 'high' }); // 1 h / 4 h
    expect(high.sla.first_response_due_at).toBe('2026-03-09T10:00:00.000Z');
    expect(high.sla.resolution_due_at).toBe('2026-03-09T13:00:00.000Z');
    expect(high.sla.next_due_at).toBe('2026-03-09T10:00:00.000Z');
    expect((await ticketRow(t.id)).sla_next_check_at).toEqual(clock.now());
  });
});

describe('awaiting the customer', () => {
  it('pauses the clocks and moves the due times by the paused business time when the customer writes back', async () => {
    clock.set('2026-03-09T09:00:00Z'); // Monday 10:00
    const { token } = await webchat('session', null, {});
    await webchat('messages', token, { client_message_id: 'c1', text: 'agent' });
    const ticket = await waitFor(async () => {
      const list = await parley.api('GET', '/tickets?limit=200');
      return list.body.data.find((t: { channel: string }) => t.channel === 'webchat');
    });
    // Medium: first response Monday 14:00, resolution Wednesday 16:00 (Madrid).
    expect(ticket.sla.first_response_due_at).toBe('2026-03-09T13:00:00.000Z');
    expect(ticket.sla.resolution_due_at).toBe('2026-03-11T15:00:00.000Z');

    await patch(ticket.id, { status: 'in_progress' });
    clock.set('2026-03-09T09:30:00Z'); // Monday 10:30
    const paused = await patch(ticket.id, { status: 'awaiting_customer' });
    expect(paused.sla.paused_at).toBe('2026-03-09T09:30:00.000Z');
    expect(paused.sla.next_due_at).toBeNull();
    const row = await ticketRow(ticket.id);
    expect(row.sla_next_check_at).toBeNull(); // the sweep leaves a paused ticket alone
    expect(row.sla_due_at).toBeNull();

    clock.set('2026-03-10T09:00:00Z'); // Tuesday 10:00: 7 h 30 + 1 h of business time later
    await webchat('messages', token, {
      client_message_id: 'c2',
      text: 'Here is the order number you asked for: 4471',
    });
    const resumed = await waitFor(async () => {
      const t = (await parley.api('GET', `/tickets/${ticket.id}`)).body;
      return t.status === 'in_progress' ? t : undefined;
    });
    expect(resumed.sla.paused_at).toBeNull();
    // 3 h 30 of first-response time were left: Tuesday 13:30.
    expect(resumed.sla.first_response_due_at).toBe('2026-03-10T12:30:00.000Z');
    // 23 h 30 of resolution time were left: Tuesday 8 h, Wednesday 9 h, Thursday 6 h 30.
    expect(resumed.sla.resolution_due_at).toBe('2026-03-12T14:30:00.000Z');
    expect(resumed.sla.next_due_at).toBe('2026-03-10T12:30:00.000Z');
    expect((await ticketRow(ticket.id)).sla_next_check_at).toEqual(clock.now());
  });

  it('resumes when an agent moves the ticket on, too', async () => {
    clock.set('2026-03-10T15:00:00Z'); // Tuesday 16:00
    const t = await open('high'); // first response Tuesday 17:00, resolution Wednesday 11:00
    await patch(t.id, { status: 'in_progress' });
    clock.set('2026-03-10T17:30:00Z'); // Tuesday 18:30, after closing
    await patch(t.id, { status: 'awaiting_customer' });
    clock.set('2026-03-11T07:00:00Z'); // Wednesday 08:00: no business time passed
    const back = await patch(t.id, { status: 'in_progress' });
    expect(back.sla.paused_at).toBeNull();
    expect(back.sla.first_response_due_at).toBe(t.sla.first_response_due_at);
    expect(back.sla.resolution_due_at).toBe(t.sla.resolution_due_at);
  });
});

describe('figures for reports', () => {
  it('stores wall and business seconds at the first response and the resolution', async () => {
    clock.set('2026-03-06T16:30:00Z'); // Friday 17:30
    const t = await open('low');
    expect((await ticketRow(t.id)).first_response_seconds).toBeNull();

    clock.set('2026-03-09T08:30:00Z'); // Monday 09:30
    const reply = await agent('POST', `/tickets/${t.id}/messages`, {
      body: { body: 'We are on it.' },
    });
    expect(reply.status).toBe(201);
    let row = await ticketRow(t.id);
    expect(row.first_response_seconds).toBe(64 * 3600);
    expect(row.first_response_business_seconds).toBe(3600); // 30 min Friday + 30 min Monday

    clock.set('2026-03-09T10:00:00Z'); // Monday 11:00
    await patch(t.id, { status: 'in_progress' });
    const resolved = await patch(t.id, { resolution: { code: 'answered' } });
    expect(resolved.status).toBe('resolved');
    row = await ticketRow(t.id);
    expect(row.resolution_seconds).toBe(65.5 * 3600);
    expect(row.resolution_business_seconds).toBe(2.5 * 3600);
    expect(row.sla_next_check_at).toBeNull();
    expect(row.sla_due_at).toBeNull();

    // Plain SQL reports: the average business time to first response of resolved tickets.
    const { rows } = await parley.database.pool.query(
      `select avg(first_response_business_seconds)::int as frt from tickets
       where status = 'resolved' and id = $1`,
      [t.id],
    );
    expect(rows[0].frt).toBe(3600);
  });
});
