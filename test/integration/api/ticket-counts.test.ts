/**
 * `GET /tickets/counts` (the queue view's numbers) against the tickets themselves: per open
 * status, unassigned, overdue and the caller's own, with closed history and another tenant's
 * tickets that must not count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/domain/clock.js';
import {
  PLATFORM_KEY,
  type TestParley,
  apiClient,
  startTestParley,
} from '../../support/test-parley.js';

let offsetMs = 0;
const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };
let parley: TestParley;

beforeAll(async () => {
  parley = await startTestParley({ clock });
});
afterAll(() => parley?.close());

async function open(priority: string) {
  const res = await parley.api('POST', '/tickets', {
    body: { customer: { name: 'Counted' }, subject: 'count me', category: 'billing', priority },
  });
  expect(res.status).toBe(201);
  return res.body as { id: string };
}

describe('queue counts', () => {
  it('count every open ticket once, by status, unassigned, overdue and mine', async () => {
    const ana = (await parley.api('POST', '/agents', { body: { name: 'Ana', role: 'agent' } }))
      .body;
    const ben = (await parley.api('POST', '/agents', { body: { name: 'Ben', role: 'agent' } }))
      .body;
    const anaKey = (await parley.api('POST', `/agents/${ana.id}/api-keys`)).body.api_key;

    const t = await Promise.all(
      ['urgent', 'urgent', 'low', 'low', 'low', 'medium', 'medium'].map(open),
    );
    const patch = (i: number, body: object) =>
      parley.api('PATCH', `/tickets/${t[i]!.id}`, { body }).then((r) => {
        expect(r.status, JSON.stringify(r.body)).toBe(200);
      });
    await patch(0, { assignee_id: ana.id }); // assigned, Ana
    await patch(1, { assignee_id: ana.id });
    await patch(1, { status: 'in_progress' }); // in_progress, Ana
    await patch(2, { assignee_id: ben.id });
    await patch(2, { status: 'in_progress' });
    await patch(2, { status: 'awaiting_customer' }); // awaiting, Ben
    await patch(3, { assignee_id: ben.id });
    await patch(3, { status: 'in_progress' });
    await patch(3, { status: 'resolved', resolution: { code: 'answered' } }); // not open
    // 4, 5, 6: new and unassigned.

    // Another brand's open ticket never counts.
    const other = await parley.api('POST', '/tenants', {
      key: PLATFORM_KEY,
      body: { name: 'Other', slug: 'other-counts' },
    });
    const asOther = apiClient(`${parley.url}/api/v1`, other.body.api_key);
    await asOther('POST', '/tickets', {
      body: { customer: { name: 'x' }, subject: 'elsewhere', category: 'billing' },
    });

    const now = await parley.api('GET', '/tickets/counts');
    expect(now.status).toBe(200);
    expect(now.body).toEqual({
      by_status: { new: 3, assigned: 1, in_progress: 1, awaiting_customer: 1 },
      unassigned: 3,
      overdue: 0,
      mine: null,
    });

    // A month later every open ticket is past its SLA (low: 8 h first response at most).
    offsetMs = 30 * 86_400_000;
    const asAna = apiClient(`${parley.url}/api/v1`, anaKey);
    const later = await asAna('GET', '/tickets/counts');
    expect(later.body).toMatchObject({ unassigned: 3, mine: 2 });
    const overdueList = await parley.api('GET', '/tickets?overdue=true&limit=100');
    expect(later.body.overdue).toBe(overdueList.body.data.length);
    expect(later.body.overdue).toBeGreaterThanOrEqual(5);
  });
});
