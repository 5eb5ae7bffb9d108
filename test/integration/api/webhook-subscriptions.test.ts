/**
 * Outbound webhooks: an admin subscribes the brand's CRM to ticket events; each event reaches the
 * receiver once, in order per ticket, signed with the subscription's secret; 5xx/429 are retried,
 * 410 switches the subscription off, a removed subscription hears nothing more.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../../../src/app/webhook-signature.js';
import type { Clock } from '../../../src/domain/clock.js';
import { outboxDrained, waitFor } from '../../support/chat-driver.js';
import { type TestParley, apiClient, startTestParley } from '../../support/test-parley.js';

interface Delivery {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  raw: string;
  body: any;
}

/** A CRM's endpoints: record every delivery; each path answers its queued statuses, then 200. */
function startReceiver(): Promise<{
  server: Server;
  url: (path: string) => string;
  deliveries: Delivery[];
  answers: Map<string, { status: number; headers?: Record<string, string> }[]>;
}> {
  const deliveries: Delivery[] = [];
  const answers = new Map<string, { status: number; headers?: Record<string, string> }[]>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      deliveries.push({ path: req.url ?? '', headers: req.headers, raw, body: JSON.parse(raw) });
      const answer = answers.get(req.url ?? '')?.shift() ?? { status: 200 };
      res.writeHead(answer.status, answer.headers ?? {}).end('ok');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({ server, url: (p) => `http://127.0.0.1:${port}${p}`, deliveries, answers });
    }),
  );
}

/** Real time, which the last test moves ahead to make a ticket breach. */
let offsetMs = 0;
const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };
let parley: TestParley;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  receiver = await startReceiver();
  parley = await startTestParley({ clock, env: { OUTBOUND_WEBHOOKS_ALLOW_HTTP: 'true' } });
});
afterAll(async () => {
  await parley?.close();
  await new Promise((r) => receiver?.server.close(r));
});

const drained = () => outboxDrained(parley.database.pool);
const at = (path: string) => receiver.deliveries.filter((d) => d.path === path);

async function subscribe(path: string, events?: string[]) {
  const res = await parley.api('POST', '/webhook-subscriptions', {
    body: { url: receiver.url(path), ...(events ? { events } : {}) },
  });
  expect(res.status).toBe(201);
  return res.body as { id: string; secret: string; events: string[]; active: boolean };
}

async function openTicket(subject: string) {
  const res = await parley.api('POST', '/tickets', {
    body: { customer: { name: 'Mira', email: 'mira@example.test' }, subject, category: 'billing' },
  });
  expect(res.status).toBe(201);
  return res.body as { id: string; number: string };
}

describe('webhook subscriptions', () => {
  it('are managed by admins, and show their secret only once', async () => {
    const created = await subscribe('/crm/admin');
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{40,}$/);
    expect(created).toMatchObject({ events: [], active: true });
    const list = await parley.api('GET', '/webhook-subscriptions');
    const listed = list.body.data.find((s: { id: string }) => s.id === created.id);
    expect(listed).toMatchObject({ url: receiver.url('/crm/admin'), active: true });
    expect(JSON.stringify(list.body)).not.toContain(created.secret);

    const agent = await parley.api('POST', '/agents', { body: { name: 'Ana', role: 'agent' } });
    const key = await parley.api('POST', `/agents/${agent.body.id}/api-keys`);
    const asAgent = apiClient(`${parley.url}/api/v1`, key.body.api_key);
    expect((await asAgent('GET', '/webhook-subscriptions')).status).toBe(403);
    const refused = await asAgent('POST', '/webhook-subscriptions', {
      body: { url: receiver.url('/x') },
    });
    expect(refused.status).toBe(403);

    for (const url of ['ftp://crm.example/x', 'https://user:pw@crm.example/x', 'not a url']) {
      const bad = await parley.api('POST', '/webhook-subscriptions', { body: { url } });
      expect(bad.status, url).toBe(400);
      expect(bad.body.error.code).toBe('invalid_request');
    }
    const events = await parley.api('POST', '/webhook-subscriptions', {
      body: { url: receiver.url('/x'), events: ['ticket.exploded'] },
    });
    expect(events.status).toBe(400);

    expect((await parley.api('DELETE', `/webhook-subscriptions/${created.id}`)).status).toBe(200);
    expect((await parley.api('DELETE', `/webhook-subscriptions/${created.id}`)).status).toBe(404);
  });

  it('delivers each ticket event once, in order, signed with the secret', async () => {
    const { secret } = await subscribe('/crm/all');
    const ticket = await openTicket('Invoice shows the wrong address');
    await parley.api('PATCH', `/tickets/${ticket.id}`, { body: { priority: 'high' } });
    await parley.api('POST', `/tickets/${ticket.id}/messages`, {
      body: { body: 'We are on it', internal: false },
    });
    await drained();
    const got = at('/crm/all').filter((d) => d.body.ticket.id === ticket.id);
    expect(got.map((d) => d.body.type)).toEqual([
      'ticket.created',
      'ticket.updated',
      'ticket.message',
    ]);
    for (const d of got) {
      expect(d.headers['x-parley-event']).toBe(d.body.type);
      expect(d.headers['x-parley-delivery']).toBe(d.body.delivery_id);
      const header = String(d.headers['x-parley-signature']);
      const nowSeconds = Math.floor(Date.now() / 1000);
      expect(verifyWebhookSignature({ secret, header, body: d.raw, nowSeconds })).toBe(true);
      expect(
        verifyWebhookSignature({ secret: 'whsec_wrong', header, body: d.raw, nowSeconds }),
      ).toBe(false);
      expect(verifyWebhookSignature({ secret, header, body: `${d.raw} `, nowSeconds })).toBe(false);
      expect(d.body.ticket).toMatchObject({ id: ticket.id, number: ticket.number });
    }
    expect(got[1]!.body.changes).toMatchObject({ priority: { to: 'high' } });
    expect(got[2]!.body.message).toMatchObject({ body: 'We are on it', internal: false });
  });

  it('delivers only the events a subscription asked for', async () => {
    await subscribe('/crm/created-only', ['ticket.created']);
    const ticket = await openTicket('Only its creation');
    await parley.api('PATCH', `/tickets/${ticket.id}`, { body: { priority: 'low' } });
    await drained();
    const got = at('/crm/created-only').filter((d) => d.body.ticket.id === ticket.id);
    expect(got.map((d) => d.body.type)).toEqual(['ticket.created']);
  });

  it('retries a 503 and a 429 and delivers once the receiver is back', async () => {
    const sub = await subscribe('/crm/flaky', ['ticket.created']);
    receiver.answers.set('/crm/flaky', [
      { status: 503 },
      { status: 429, headers: { 'retry-after': '1' } },
    ]);
    const ticket = await openTicket('Receiver is flaky');
    await waitFor(
      () =>
        at('/crm/flaky').filter((d) => d.body.ticket.id === ticket.id).length === 3
          ? true
          : undefined,
      15_000,
    );
    await drained();
    const got = at('/crm/flaky').filter((d) => d.body.ticket.id === ticket.id);
    expect(new Set(got.map((d) => d.body.delivery_id)).size).toBe(1); // one delivery, retried
    const { rows } = await parley.database.pool.query(
      `select status, attempts from outbox where destination = $1 and ticket_id = $2`,
      [`webhook:${sub.id}`, ticket.id],
    );
    expect(rows).toEqual([{ status: 'sent', attempts: 3 }]);
    // What an admin sees of it.
    const deliveries = await parley.api('GET', `/webhook-subscriptions/${sub.id}/deliveries`);
    expect(deliveries.status).toBe(200);
    expect(deliveries.body.data).toEqual([
      expect.objectContaining({
        delivery_id: got[0]!.body.delivery_id,
        type: 'ticket.created',
        ticket_id: ticket.id,
        status: 'sent',
        attempts: 3,
        next_attempt_at: null,
      }),
    ]);
  });

  it('switches a subscription off when the receiver answers 410 Gone', async () => {
    const sub = await subscribe('/crm/gone', ['ticket.created']);
    receiver.answers.set('/crm/gone', [{ status: 410 }]);
    await openTicket('Receiver is gone');
    await drained();
    const list = await parley.api('GET', '/webhook-subscriptions');
    const after = list.body.data.find((s: { id: string }) => s.id === sub.id);
    expect(after).toMatchObject({ active: false });
    expect(after.disabled_reason).toContain('410');
    const deliveries = await parley.api('GET', `/webhook-subscriptions/${sub.id}/deliveries`);
    expect(deliveries.body.data[0]).toMatchObject({ status: 'failed', attempts: 1 });
    expect(deliveries.body.data[0].last_error).toContain('HTTP 410');
    const before = at('/crm/gone').length;
    await openTicket('Nobody hears this one');
    await drained();
    expect(at('/crm/gone').length).toBe(before);
  });

  it('stops delivering to a removed subscription', async () => {
    const sub = await subscribe('/crm/removed', ['ticket.created']);
    await parley.api('DELETE', `/webhook-subscriptions/${sub.id}`);
    await openTicket('After removal');
    await drained();
    expect(at('/crm/removed')).toEqual([]);
    const audit = await parley.database.pool.query(
      `select action from audit_events where entity_id = $1 order by created_at`,
      [sub.id],
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'webhook_subscription_created',
      'webhook_subscription_deleted',
    ]);
  });

  it('tells the subscribers of ticket.updated of an SLA breach (last: it moves the clock)', async () => {
    await subscribe('/crm/sla', ['ticket.updated']);
    const ticket = await openTicket('Nobody answers');
    await drained();
    offsetMs += 30 * 86_400_000; // far past every first-response target
    await parley.jobs.runNow('sla:sweep');
    await drained();
    const got = at('/crm/sla').filter((d) => d.body.ticket.id === ticket.id);
    expect(got).toHaveLength(1);
    expect(got[0]!.body.type).toBe('ticket.updated');
    expect(got[0]!.body.ticket.sla.breached).toBe(true);
  });
});
