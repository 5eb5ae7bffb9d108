import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PLATFORM_KEY,
  type TestParley,
  apiClient,
  startTestParley,
} from '../../support/test-parley.js';

const PNG_1PX =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

let parley: TestParley;

beforeAll(async () => {
  parley = await startTestParley();
});
afterAll(() => parley?.close());

const newTicket = (over: Record<string, unknown> = {}) => ({
  customer: { name: 'Cust A', phone: '+91 99000 00001' },
  subject: 'Order 1042 not delivered',
  category: 'order_issue',
  ...over,
});

describe('POST /tickets', () => {
  it('creates a ticket with the contract fields and a TK-YYYY-NNNNN number', async () => {
    const res = await parley.api('POST', '/tickets', {
      body: newTicket({
        description: 'The parcel never came',
        priority: 'high',
        kind: 'b2c',
        links: { order_ref: 'ORD-1042', store_ref: 'STORE-7', product_sku: 'SKU-1' },
      }),
    });
    expect(res.status).toBe(201);
    const t = res.body;
    expect(t.number).toMatch(/^TK-\d{4}-\d{5}$/);
    expect(t).toMatchObject({
      subject: 'Order 1042 not delivered',
      description: 'The parcel never came',
      status: 'new',
      priority: 'high',
      category: 'order_issue',
      kind: 'b2c',
      channel: 'api',
      customer: { name: 'Cust A' },
      assignee: null,
      links: {
        order_ref: 'ORD-1042',
        store_ref: 'STORE-7',
        product_sku: 'SKU-1',
        invoice_ref: null,
      },
      delivery_date: null,
      within_policy_window: null,
      days_late: null,
      resolution: null,
    });
    const created = Date.parse(t.created_at);
    expect(Date.parse(t.sla.first_response_due_at) - created).toBe(3600_000);
    expect(Date.parse(t.sla.resolution_due_at) - created).toBe(4 * 3600_000);
    expect(t.sla.breached).toBe(false);
  });

  it('flags a claim raised after the delivery day, never rejects it', async () => {
    const res = await parley.api('POST', '/tickets', {
      body: newTicket({ delivery_date: '2020-01-01' }),
    });
    expect(res.status).toBe(201);
    expect(res.body.within_policy_window).toBe(false);
    expect(res.body.days_late).toBeGreaterThan(365);
  });

  it('refuses a quality_issue without a photo with 422 photo_required, and accepts one with', async () => {
    const without = await parley.api('POST', '/tickets', {
      body: newTicket({ category: 'quality_issue' }),
    });
    expect(without.status).toBe(422);
    expect(without.body.error.code).toBe('photo_required');

    const withPhoto = await parley.api('POST', '/tickets', {
      body: newTicket({
        category: 'quality_issue',
        description: 'Cracked lid',
        attachments: [
          { file_name: '../../etc/lid.png', mime_type: 'image/png', data_base64: PNG_1PX },
        ],
      }),
    });
    expect(withPhoto.status).toBe(201);
    const messages = await parley.api('GET', `/tickets/${withPhoto.body.number}/messages`);
    expect(messages.body.data ?? messages.body).toBeDefined();
    const list = (messages.body.data ?? messages.body) as {
      attachments: { file_name: string }[];
    }[];
    expect(list[0]!.attachments).toHaveLength(1);
    expect(list[0]!.attachments[0]!.file_name).toBe('lid.png');
  });

  it('refuses a spoofed image with 422 and records nothing', async () => {
    const before = await parley.database.pool.query('select count(*)::int as n from tickets');
    const res = await parley.api('POST', '/tickets', {
      body: newTicket({
        category: 'quality_issue',
        attachments: [
          {
            file_name: 'x.png',
            mime_type: 'image/png',
            data_base64: Buffer.from('MZ not a png').toString('base64'),
          },
        ],
      }),
    });
    expect(res.status).toBe(422);
    const after = await parley.database.pool.query('select count(*)::int as n from tickets');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('returns the same ticket for the same Idempotency-Key, and 409 when the body differs', async () => {
    const headers = { 'idempotency-key': `idem-${Date.now()}` };
    const first = await parley.api('POST', '/tickets', { body: newTicket(), headers });
    const second = await parley.api('POST', '/tickets', { body: newTicket(), headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(second.body.number).toBe(first.body.number);
    const different = await parley.api('POST', '/tickets', {
      body: newTicket({ subject: 'other' }),
      headers,
    });
    expect(different.status).toBe(409);
  });

  it('gives 50 concurrent creations 50 distinct consecutive numbers', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        parley.api('POST', '/tickets', { body: newTicket({ subject: `concurrent ${i}` }) }),
      ),
    );
    expect(results.every((r) => r.status === 201)).toBe(true);
    const seqs = results
      .map((r) => Number(String(r.body.number).split('-')[2]))
      .sort((a, b) => a - b);
    expect(new Set(seqs).size).toBe(50);
    expect(seqs[49]! - seqs[0]!).toBe(49);
  });

  it('rejects bad input with 400 invalid_request and field details', async () => {
    const res = await parley.api('POST', '/tickets', {
      body: { subject: 42, category: 'order_issue' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(JSON.stringify(res.body.error.details)).toContain('subject');
    const unknownCategory = await parley.api('POST', '/tickets', {
      body: newTicket({ category: 'nope' }),
    });
    expect(unknownCategory.status).toBe(400);
    const malformed = await parley.api('POST', '/tickets', {
      raw: '{"subject":',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
  });

  it('needs a valid API key', async () => {
    expect((await parley.api('GET', '/tickets', { key: null })).status).toBe(401);
    const wrong = await parley.api('GET', '/tickets', { key: 'pk_wrong' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('unauthorized');
  });
});

describe('tenant isolation', () => {
  it("gives a second tenant's key 404 for the first tenant's ticket", async () => {
    const ticket = await parley.api('POST', '/tickets', { body: newTicket() });
    const tenant = await parley.api('POST', '/tenants', {
      key: PLATFORM_KEY,
      body: { name: 'Brand B', slug: `brand-b-${Date.now()}` },
    });
    expect(tenant.status).toBe(201);
    expect(tenant.body.tenant.slug).toMatch(/^brand-b-/);
    const other = apiClient(`${parley.url}/api/v1`, tenant.body.api_key);
    for (const ref of [ticket.body.id, ticket.body.number]) {
      expect((await other('GET', `/tickets/${ref}`)).status).toBe(404);
      expect((await other('PATCH', `/tickets/${ref}`, { body: { priority: 'low' } })).status).toBe(
        404,
      );
      expect((await other('GET', `/tickets/${ref}/messages`)).status).toBe(404);
      expect(
        (await other('POST', `/tickets/${ref}/messages`, { body: { body: 'hi' } })).status,
      ).toBe(404);
      expect((await other('GET', `/tickets/${ref}/events`)).status).toBe(404);
    }
    expect((await other('GET', `/customers/${ticket.body.customer.id}`)).status).toBe(404);
    const list = await other('GET', '/tickets');
    expect(list.body.data).toEqual([]);
  });

  it('only the platform key creates tenants', async () => {
    const res = await parley.api('POST', '/tenants', { body: { name: 'X', slug: 'x-tenant' } });
    expect([401, 403]).toContain(res.status);
  });
});
