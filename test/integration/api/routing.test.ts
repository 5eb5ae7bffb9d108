import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestParley, startTestParley } from '../../support/test-parley.js';

let parley: TestParley;
beforeAll(async () => {
  parley = await startTestParley();
});
afterAll(() => parley?.close());

describe('settings and routing', () => {
  it('routes a category to a group whose tickets are assigned round-robin, and backfills on resolve', async () => {
    const a = (
      await parley.api('POST', '/agents', {
        body: { name: 'Ana', role: 'agent', capacity: 1, groups: ['returns'] },
      })
    ).body;
    const b = (
      await parley.api('POST', '/agents', {
        body: { name: 'Ben', role: 'agent', capacity: 1, groups: ['returns'] },
      })
    ).body;
    await parley.database.pool.query(
      "update agent_groups set assignment = 'round_robin' where name = 'returns'",
    );
    const patched = await parley.api('PATCH', '/settings', {
      body: { routing: { return_refund: 'returns' }, claim_window_grace_days: 2 },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.routing).toEqual({ return_refund: 'returns' });
    expect((await parley.api('PATCH', '/settings', { body: { routing: { x: 1 } } })).status).toBe(
      400,
    );

    const open = async (subject: string) =>
      (
        await parley.api('POST', '/tickets', {
          body: { customer: { name: 'C' }, subject, category: 'return_refund' },
        })
      ).body;
    const t1 = await open('first');
    const t2 = await open('second');
    const t3 = await open('third'); // both agents are at capacity: waits in the queue
    expect(t1.assignee?.id).toBe(a.id);
    expect(t2.assignee?.id).toBe(b.id);
    expect(t3.assignee).toBeNull();
    expect(t1.status).toBe('assigned');

    await parley.api('PATCH', `/tickets/${t1.id}`, { body: { status: 'in_progress' } });
    const resolved = await parley.api('PATCH', `/tickets/${t1.id}`, {
      body: { status: 'resolved', resolution: { code: 'refund' } },
    });
    expect(resolved.status).toBe(200); // an admin key resolves a refund directly
    expect((await parley.api('GET', `/tickets/${t3.id}`)).body.assignee?.id).toBe(a.id);

    const events = (await parley.api('GET', `/tickets/${t3.id}/events`)).body.data.map(
      (e: { action: string }) => e.action,
    );
    expect(events).toContain('auto_assigned');
  });
});
