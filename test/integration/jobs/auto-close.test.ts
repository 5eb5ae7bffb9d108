import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAutoClose } from '../../../src/app/auto-close.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { type TestParley, startTestParley } from '../../support/test-parley.js';

const HOUR = 3_600_000;
const clock = new ManualClock('2026-03-02T09:00:00Z');
let parley: TestParley;
/** A second Parley process on the same database, for the exactly-once races. */
let other: TestParley;

beforeAll(async () => {
  parley = await startTestParley({ clock });
  other = await startTestParley({ clock, database: parley.database });
});
afterAll(async () => {
  await other?.close();
  await parley?.close();
});

async function openTicket(subject: string): Promise<{ id: string; number: string }> {
  const res = await parley.api('POST', '/tickets', {
    body: { customer: { name: 'Mia' }, subject, category: 'general_inquiry' },
  });
  expect(res.status).toBe(201);
  return res.body;
}

async function resolvedTicket(subject: string): Promise<{ id: string; number: string }> {
  const t = await openTicket(subject);
  expect(
    (await parley.api('PATCH', `/tickets/${t.id}`, { body: { status: 'in_progress' } })).status,
  ).toBe(200);
  const res = await parley.api('PATCH', `/tickets/${t.id}`, {
    body: { resolution: { code: 'answered' } },
  });
  expect(res.body.status).toBe('resolved');
  return t;
}

const statusOf = async (id: string) => (await parley.api('GET', `/tickets/${id}`)).body.status;

async function autoCloseEvents(id: string) {
  const events = (await parley.api('GET', `/tickets/${id}/events`)).body.data;
  return events.filter((e: { action: string }) => e.action === 'auto_closed');
}

describe('auto-close', () => {
  it("closes resolved tickets once the tenant's delay (default 96 h) has passed, as the system", async () => {
    const early = await resolvedTicket('resolved first');
    clock.advance(2 * HOUR);
    const later = await resolvedTicket('resolved two hours later');
    const unresolved = await openTicket('still being worked on');
    await parley.api('PATCH', `/tickets/${unresolved.id}`, { body: { status: 'in_progress' } });

    clock.advance(93 * HOUR); // early: 95 h
    expect(await parley.jobs.runNow('tickets:auto-close')).toMatchObject({ closed: 0 });
    clock.advance(1 * HOUR + 60_000); // early: 96 h 1 min; later: 94 h
    expect(await parley.jobs.runNow('tickets:auto-close')).toMatchObject({ closed: 1 });
    expect(await statusOf(early.id)).toBe('closed');
    expect(await statusOf(later.id)).toBe('resolved');

    const [event] = await autoCloseEvents(early.id);
    expect(event).toMatchObject({ actor_type: 'system' });
    expect(event.changes.status).toEqual({ from: 'resolved', to: 'closed' });
    const closed = (await parley.api('GET', `/tickets/${early.id}`)).body;
    expect(closed.closed_at).toBe(clock.now().toISOString());

    expect(await parley.jobs.runNow('tickets:auto-close')).toMatchObject({ closed: 0 });
    clock.advance(2 * HOUR);
    expect(await parley.jobs.runNow('tickets:auto-close')).toMatchObject({ closed: 1 });
    expect(await statusOf(later.id)).toBe('closed');

    clock.advance(400 * HOUR);
    await parley.jobs.runNow('tickets:auto-close');
    expect(await statusOf(unresolved.id)).toBe('in_progress'); // never resolved: left alone
    expect(await autoCloseEvents(early.id)).toHaveLength(1);
  });

  it("follows the tenant's setting: a shorter delay, or null for never", async () => {
    expect(
      (await parley.api('PATCH', '/settings', { body: { auto_close_after_hours: 2 } })).status,
    ).toBe(200);
    const t = await resolvedTicket('short delay');
    clock.advance(HOUR);
    expect(await parley.jobs.runNow('tickets:auto-close')).toMatchObject({ closed: 0 });
    clock.advance(HOUR + 1000);
    expect(await parley.jobs.runNow('tickets:auto-close')).toMatchObject({ closed: 1 });
    expect(await statusOf(t.id)).toBe('closed');

    await parley.api('PATCH', '/settings', { body: { auto_close_after_hours: null } });
    const kept = await resolvedTicket('never auto-closed');
    clock.advance(1000 * HOUR);
    expect(await parley.jobs.runNow('tickets:auto-close')).toMatchObject({ closed: 0 });
    expect(await statusOf(kept.id)).toBe('resolved');
    await parley.api('PATCH', '/settings', { body: { auto_close_after_hours: 2 } });
    expect(await parley.jobs.runNow('tickets:auto-close')).toMatchObject({ closed: 1 });
    expect(
      (await parley.api('PATCH', '/settings', { body: { auto_close_after_hours: 0 } })).status,
    ).toBe(400);
  });

  it("drops the customer's unanswered CSAT question, and waits while their chat is busy", async () => {
    const t = await resolvedTicket('asked for feedback');
    const pool = parley.database.pool;
    const customer = (await pool.query('select customer_id from tickets where id = $1', [t.id]))
      .rows[0].customer_id;
    const tenant = (await pool.query('select tenant_id from tickets where id = $1', [t.id])).rows[0]
      .tenant_id;
    const conversation = (
      await pool.query(
        `insert into conversations (tenant_id, channel, chat_id, customer_id, language, csat_ticket_id)
         values ($1, 'telegram', 'csat-chat', $2, 'en', $3) returning id`,
        [tenant, customer, t.id],
      )
    ).rows[0].id;
    await pool.query('update tickets set conversation_id = $1 where id = $2', [conversation, t.id]);
    clock.advance(3 * HOUR);

    // A customer message holds the conversation's lock: the ticket waits for the next sweep.
    const busy = await pool.connect();
    try {
      await busy.query('begin');
      await busy.query('select 1 from conversations where id = $1 for update', [conversation]);
      expect(await parley.jobs.runNow('tickets:auto-close')).toMatchObject({
        closed: 0,
        deferred: 1,
      });
      expect(await statusOf(t.id)).toBe('resolved');
    } finally {
      await busy.query('rollback');
      busy.release();
    }

    expect(await parley.jobs.runNow('tickets:auto-close')).toMatchObject({ closed: 1 });
    expect(await statusOf(t.id)).toBe('closed');
    const after = await pool.query('select csat_ticket_id from conversations where id = $1', [
      conversation,
    ]);
    expect(after.rows[0].csat_ticket_id).toBeNull();
  });

  it('closes each ticket exactly once when two processes sweep at the same time', async () => {
    const tickets = [];
    for (let i = 0; i < 24; i += 1) tickets.push(await resolvedTicket(`race ${i}`));
    clock.advance(3 * HOUR);
    const [a, b] = await Promise.all([
      runAutoClose(parley.deps, { limit: 4 }),
      runAutoClose(other.deps, { limit: 4 }),
    ]);
    expect(a.closed + b.closed).toBe(24);
    expect(a.failed + b.failed).toBe(0);
    const { rows } = await parley.database.pool.query(
      `select entity_id, count(*)::int as n from audit_events
       where action = 'auto_closed' and entity_id = any($1::uuid[]) group by entity_id`,
      [tickets.map((t) => t.id)],
    );
    expect(rows).toHaveLength(24);
    expect(rows.every((r) => r.n === 1)).toBe(true);
    expect(await runAutoClose(parley.deps)).toMatchObject({ closed: 0 });
  });
});
