import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTicket } from '../../../src/app/create-ticket.js';
import { runScheduledTickets } from '../../../src/app/scheduled-tickets.js';
import { SYSTEM_ACTOR } from '../../../src/domain/actor.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { type TestParley, startTestParley } from '../../support/test-parley.js';

const DAY = 86_400_000;
const clock = new ManualClock('2026-01-15T10:00:00Z');
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

const inDays = (days: number) => new Date(clock.now().getTime() + days * DAY).toISOString();

function checkIn(subject: string) {
  return {
    customer: { name: 'Lena', phone: '+4915112345678' },
    subject,
    category: 'warranty',
    links: { product_sku: 'WM-2000', invoice_ref: 'INV-77' },
  };
}

const schedule = (body: unknown) => parley.api('POST', '/scheduled-tickets', { body });

describe('scheduling', () => {
  it('is idempotent on the external key: same body → 200 with the same schedule, another → 409', async () => {
    const body = {
      external_key: 'purchase-1001:service-6m',
      run_at: inDays(181),
      ticket: checkIn('Service check-in for your washing machine'),
    };
    const first = await schedule(body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      external_key: 'purchase-1001:service-6m',
      run_at: body.run_at,
      status: 'scheduled',
      ticket_id: null,
      attempts: 0,
    });
    const again = await schedule({ ...body, ticket: { ...body.ticket } });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);

    const changed = await schedule({ ...body, run_at: inDays(182) });
    expect(changed.status).toBe(409);
    expect(changed.body.error.code).toBe('external_key_reused');
    const otherBody = await schedule({ ...body, ticket: checkIn('Something else') });
    expect(otherBody.body.error.code).toBe('external_key_reused');

    const byKey = await parley.api('GET', '/scheduled-tickets/purchase-1001%3Aservice-6m');
    expect(byKey.body.id).toBe(first.body.id);
    expect((await parley.api('GET', `/scheduled-tickets/${first.body.id}`)).body.external_key).toBe(
      'purchase-1001:service-6m',
    );
    expect((await parley.api('GET', '/scheduled-tickets/nope')).status).toBe(404);
  });

  it('checks the ticket now, not in six months', async () => {
    const base = { external_key: 'bad-1', run_at: inDays(30) };
    expect((await schedule({ ...base, ticket: { ...checkIn('x'), subject: '' } })).status).toBe(
      400,
    );
    const unknownCategory = await schedule({
      ...base,
      ticket: { ...checkIn('x'), category: 'nope' },
    });
    expect(unknownCategory.status).toBe(400);
    const needsPhoto = await schedule({
      ...base,
      ticket: { ...checkIn('x'), category: 'quality_issue' },
    });
    expect(needsPhoto.status).toBe(422);
    expect(needsPhoto.body.error.code).toBe('photo_required');
    const past = await schedule({
      ...base,
      run_at: new Date(clock.now().getTime() - 1000).toISOString(),
      ticket: checkIn('x'),
    });
    expect(past.status).toBe(400);
    expect((await parley.api('GET', '/scheduled-tickets/bad-1')).status).toBe(404);
  });

  it('lists by run_at with a status filter and keyset pages', async () => {
    for (const [key, days] of [
      ['list-b', 20],
      ['list-a', 10],
      ['list-c', 40],
    ] as const) {
      expect(
        (await schedule({ external_key: key, run_at: inDays(days), ticket: checkIn(key) })).status,
      ).toBe(201);
    }
    await parley.api('DELETE', '/scheduled-tickets/list-c');
    const keys: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: { external_key: string }[]; next_cursor: string | null } } =
        await parley.api(
          'GET',
          `/scheduled-tickets?status=scheduled&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        );
      keys.push(...page.body.data.map((d) => d.external_key));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(keys.filter((k) => k.startsWith('list-'))).toEqual(['list-a', 'list-b']);
    const cancelled = await parley.api('GET', '/scheduled-tickets?status=cancelled');
    expect(cancelled.body.data.map((d: { external_key: string }) => d.external_key)).toEqual([
      'list-c',
    ]);
    expect((await parley.api('GET', '/scheduled-tickets?status=bogus')).status).toBe(400);
  });
});

describe('the sweep', () => {
  it('opens a due ticket once, through the normal create path; cancelled ones never', async () => {
    const opened = await schedule({
      external_key: 'sweep-1',
      run_at: inDays(1),
      ticket: checkIn('Warranty follow-up'),
    });
    const cancelled = await schedule({
      external_key: 'sweep-2',
      run_at: inDays(1),
      ticket: checkIn('Cancelled follow-up'),
    });
    const del = await parley.api('DELETE', '/scheduled-tickets/sweep-2');
    expect(del.status).toBe(200);
    expect(del.body.status).toBe('cancelled');
    expect((await parley.api('DELETE', '/scheduled-tickets/sweep-2')).status).toBe(200);

    expect(await runScheduledTickets(parley.deps)).toEqual({ opened: 0, retrying: 0, failed: 0 });
    clock.advance(DAY + 1000);
    // sweep-1 plus the earlier list-a/list-b are not due yet (10+ days); only sweep-1 opens.
    expect(await parley.jobs.runNow('tickets:scheduled')).toEqual({
      opened: 1,
      retrying: 0,
      failed: 0,
    });
    expect(await parley.jobs.runNow('tickets:scheduled')).toEqual({
      opened: 0,
      retrying: 0,
      failed: 0,
    });

    const row = (await parley.api('GET', '/scheduled-tickets/sweep-1')).body;
    expect(row).toMatchObject({ id: opened.body.id, status: 'opened', attempts: 1, error: null });
    const ticket = (await parley.api('GET', `/tickets/${row.ticket_id}`)).body;
    expect(ticket).toMatchObject({
      subject: 'Warranty follow-up',
      category: 'warranty',
      status: 'new',
      channel: 'api',
      links: { product_sku: 'WM-2000', invoice_ref: 'INV-77' },
    });
    const events = (await parley.api('GET', `/tickets/${row.ticket_id}/events`)).body.data;
    expect(events[0]).toMatchObject({ action: 'created', actor_type: 'system' });
    const del2 = await parley.api('DELETE', '/scheduled-tickets/sweep-1');
    expect(del2.status).toBe(409);
    expect(del2.body.error.code).toBe('scheduled_ticket_opened');
    expect((await parley.api('GET', `/scheduled-tickets/${cancelled.body.id}`)).body.status).toBe(
      'cancelled',
    );
  });

  it('after a crash between creating the ticket and marking the row, the retry returns the same ticket', async () => {
    const s = await schedule({
      external_key: 'crash-1',
      run_at: inDays(1),
      ticket: checkIn('Crash test'),
    });
    clock.advance(DAY + 1000);
    const tenant = (await parley.deps.uow.read.tenants.findBySlug('default'))!;
    const row = (await parley.deps.uow.read.scheduledTickets.findById(tenant.id, s.body.id))!;
    // What the sweep did before "crashing": the ticket committed, the row still `scheduled`.
    const early = await createTicket(
      parley.deps,
      { tenant, actor: SYSTEM_ACTOR },
      row.ticket as never,
      { idempotencyKey: `scheduled:${row.id}` },
    );
    expect(await runScheduledTickets(parley.deps)).toMatchObject({ opened: 1 });
    expect((await parley.api('GET', '/scheduled-tickets/crash-1')).body.ticket_id).toBe(early.id);
    const { rows } = await parley.database.pool.query(
      "select count(*)::int as n from tickets where subject = 'Crash test'",
    );
    expect(rows[0].n).toBe(1);
  });

  it('counts failures with back-off and gives up after 5 attempts, with the reason', async () => {
    await schedule({ external_key: 'fail-1', run_at: inDays(1), ticket: checkIn('Will fail') });
    // The category disappears from the vocabulary before the ticket is due.
    await parley.api('PATCH', '/settings', { body: { categories: ['general_inquiry'] } });
    clock.advance(DAY + 1000);
    const results = [];
    for (let i = 0; i < 5; i += 1) {
      results.push(await runScheduledTickets(parley.deps));
      expect(await runScheduledTickets(parley.deps)).toMatchObject({ retrying: 0, failed: 0 }); // backing off
      clock.advance(60 * 60_000);
    }
    expect(results.map((r) => r.retrying)).toEqual([1, 1, 1, 1, 0]);
    expect(results[4]).toMatchObject({ failed: 1 });
    const row = (await parley.api('GET', '/scheduled-tickets/fail-1')).body;
    expect(row).toMatchObject({ status: 'failed', attempts: 5, ticket_id: null });
    expect(row.error).toMatch(/category/i);
    await parley.api('PATCH', '/settings', {
      body: { categories: ['general_inquiry', 'warranty', 'quality_issue'] },
    });
  });

  it('two processes sweeping at once open each due ticket exactly once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i += 1) {
      const res = await schedule({
        external_key: `race-${i}`,
        run_at: inDays(1),
        ticket: checkIn(`Race ${i}`),
      });
      ids.push(res.body.id);
    }
    clock.advance(DAY + 1000);
    const [a, b] = await Promise.all([
      runScheduledTickets(parley.deps, { limit: 3 }),
      runScheduledTickets(other.deps, { limit: 3 }),
    ]);
    expect(a.opened + b.opened).toBe(12);
    const { rows } = await parley.database.pool.query(
      `select status, ticket_id from scheduled_tickets where id = any($1::uuid[])`,
      [ids],
    );
    expect(rows.every((r) => r.status === 'opened')).toBe(true);
    expect(new Set(rows.map((r) => r.ticket_id)).size).toBe(12);
    const tickets = await parley.database.pool.query(
      "select count(*)::int as n from tickets where subject like 'Race %'",
    );
    expect(tickets.rows[0].n).toBe(12);
  });
});
