import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleInbound } from '../../../src/app/inbound/handle-inbound.js';
import { runWhatsappWindowWarnings } from '../../../src/app/whatsapp-window-timer.js';
import { ManualClock } from '../../../src/domain/clock.js';
import type { Tenant } from '../../../src/domain/records.js';
import { type FakeStaffPlatforms, startFakeStaffPlatforms } from '../../support/staff-platforms.js';
import { type TestParley, startTestParley } from '../../support/test-parley.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const clock = new ManualClock('2026-05-04T08:00:00Z');
let parley: TestParley;
/** A second Parley process on the same database, for the exactly-once races. */
let other: TestParley;
/** Slack and Telegram wired: a notice is a row for each. */
let staff: FakeStaffPlatforms;
let ana: { id: string };
let anaKey: string;

beforeAll(async () => {
  staff = await startFakeStaffPlatforms();
  parley = await startTestParley({
    clock,
    env: { ...staff.env, DEFAULT_TIMEZONE: 'Europe/Berlin' },
    channels: staff.channels,
  });
  other = await startTestParley({
    clock,
    database: parley.database,
    env: staff.env,
    channels: staff.channels,
  });
  ana = (await parley.api('POST', '/agents', { body: { name: 'Ana', role: 'agent' } })).body;
  anaKey = (await parley.api('POST', `/agents/${ana.id}/api-keys`)).body.api_key;
});
afterAll(async () => {
  await other?.close();
  await parley?.close();
  await staff?.close();
});

const tenant = async (): Promise<Tenant> =>
  (await parley.deps.uow.read.tenants.findBySlug('default'))!;

async function whatsappTicket(waId: string, assignee?: string) {
  const res = await parley.api('POST', '/tickets', {
    body: {
      customer: { name: 'Jo', whatsapp_id: waId, phone: `+${waId}` },
      subject: 'Where is my order?',
      category: 'order_issue',
      channel: 'whatsapp',
    },
  });
  expect(res.status).toBe(201);
  if (assignee) {
    const patched = await parley.api('PATCH', `/tickets/${res.body.id}`, {
      body: { assignee_id: assignee },
    });
    expect(patched.status).toBe(200);
  }
  return res.body as { id: string; number: string };
}

let messageSeq = 0;
async function customerWrites(waId: string, text = 'any news?') {
  messageSeq += 1;
  await handleInbound(parley.deps, await tenant(), {
    channel: 'whatsapp',
    kind: 'text',
    externalId: `wamid.window-${messageSeq}`,
    chatId: waId,
    from: { id: waId, phone: `+${waId}`, name: 'Jo' },
    sentAt: clock.now(),
    text,
  });
}

async function warnAt(waId: string): Promise<Date | null> {
  const { rows } = await parley.database.pool.query(
    "select window_warn_at from conversations where channel = 'whatsapp' and chat_id = $1",
    [waId],
  );
  return rows[0]?.window_warn_at ?? null;
}

async function windowNotices(ticketId: string) {
  const { rows } = await parley.database.pool.query(
    `select destination, payload from outbox
     where ticket_id = $1 and payload->>'type' = 'staff.notice'
       and payload->>'text' like '%WhatsApp window%' order by id`,
    [ticketId],
  );
  return rows as { destination: string; payload: any }[];
}

describe('WhatsApp 24-hour window timer', () => {
  it('warns the assignee an hour before the window closes, once', async () => {
    const t = await whatsappTicket('4915700000001', ana.id);
    const sentAt = clock.now();
    await customerWrites('4915700000001');
    expect((await warnAt('4915700000001'))?.toISOString()).toBe(
      new Date(sentAt.getTime() + 23 * HOUR).toISOString(),
    );

    clock.advance(23 * HOUR - MINUTE);
    expect(await parley.jobs.runNow('whatsapp:window')).toEqual({ warned: 0, skipped: 0 });
    clock.advance(2 * MINUTE);
    expect(await parley.jobs.runNow('whatsapp:window')).toEqual({ warned: 1, skipped: 0 });
    expect(await parley.jobs.runNow('whatsapp:window')).toEqual({ warned: 0, skipped: 0 });
    expect(await warnAt('4915700000001')).toBeNull();

    const notices = await windowNotices(t.id);
    expect(notices.map((n) => n.destination).sort()).toEqual(['staff:slack', 'staff:telegram']);
    expect(notices[0]!.payload.audience).toEqual({ kind: 'agent', agentId: ana.id });
    // 08:00 UTC + 24 h = 10:00 in Berlin (CEST).
    expect(notices[0]!.payload.text).toBe(
      `The WhatsApp window for ${t.number} closes at 10:00 (Europe/Berlin); after that only the template can be sent.`,
    );
  });

  it('stays quiet when an agent has replied since the last customer message', async () => {
    const t = await whatsappTicket('4915700000002', ana.id);
    await customerWrites('4915700000002');
    clock.advance(2 * HOUR);
    const reply = await parley.api('POST', `/tickets/${t.id}/messages`, {
      key: anaKey,
      body: { body: 'It ships tomorrow.' },
    });
    expect(reply.status).toBe(201);
    clock.advance(22 * HOUR);
    expect(await parley.jobs.runNow('whatsapp:window')).toEqual({ warned: 0, skipped: 1 });
    expect(await windowNotices(t.id)).toEqual([]);

    // The customer writes again: a new window, a new timer; no reply this time → warned.
    await customerWrites('4915700000002', 'thanks, and the invoice?');
    clock.advance(23 * HOUR + MINUTE);
    expect(await parley.jobs.runNow('whatsapp:window')).toEqual({ warned: 1, skipped: 0 });
    expect(await windowNotices(t.id)).toHaveLength(2);
  });

  it("posts in the ticket's thread when nobody is assigned; no timer when the tenant turns it off", async () => {
    const t = await whatsappTicket('4915700000003');
    await customerWrites('4915700000003');
    clock.advance(23 * HOUR + MINUTE);
    expect(await parley.jobs.runNow('whatsapp:window')).toEqual({ warned: 1, skipped: 0 });
    const notices = await windowNotices(t.id);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({
      destination: 'staff:slack',
      payload: { audience: { kind: 'ticket_thread', ticketId: t.id } },
    });

    await parley.api('PATCH', '/settings', { body: { whatsapp_window_warning_minutes: null } });
    await customerWrites('4915700000003');
    expect(await warnAt('4915700000003')).toBeNull();
    await parley.api('PATCH', '/settings', { body: { whatsapp_window_warning_minutes: 30 } });
    const sentAt = clock.now();
    await customerWrites('4915700000003');
    expect((await warnAt('4915700000003'))?.getTime()).toBe(sentAt.getTime() + 23.5 * HOUR);
  });

  it('two processes sweeping at once warn each conversation exactly once', async () => {
    await parley.database.pool.query('update conversations set window_warn_at = null');
    const tickets = [];
    for (let i = 0; i < 10; i += 1) {
      const waId = `49157000001${String(i).padStart(2, '0')}`;
      tickets.push(await whatsappTicket(waId));
      await customerWrites(waId);
    }
    clock.advance(23.5 * HOUR + MINUTE); // the tenant warns 30 minutes ahead now
    const results = await Promise.all([
      runWhatsappWindowWarnings(parley.deps, 2),
      runWhatsappWindowWarnings(other.deps, 2),
      runWhatsappWindowWarnings(parley.deps, 3),
      runWhatsappWindowWarnings(other.deps, 3),
    ]);
    results.push(await runWhatsappWindowWarnings(parley.deps));
    expect(results.reduce((n, r) => n + r.warned, 0)).toBe(10);
    const { rows } = await parley.database.pool.query(
      `select ticket_id, count(*)::int as n from outbox
       where ticket_id = any($1::uuid[]) and payload->>'type' = 'staff.notice' group by ticket_id`,
      [tickets.map((t) => t.id)],
    );
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r.n === 1)).toBe(true);
  });
});
