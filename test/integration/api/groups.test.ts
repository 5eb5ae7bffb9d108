import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestParley, startTestParley } from '../../support/test-parley.js';

let parley: TestParley;
let ana: { id: string };
let ben: { id: string };
let agentKey: string;
beforeAll(async () => {
  parley = await startTestParley();
  ana = (await parley.api('POST', '/agents', { body: { name: 'Ana', role: 'agent' } })).body;
  ben = (await parley.api('POST', '/agents', { body: { name: 'Ben', role: 'agent' } })).body;
  agentKey = (await parley.api('POST', `/agents/${ana.id}/api-keys`)).body.api_key;
});
afterAll(() => parley?.close());

describe('/groups', () => {
  it('creates, lists and updates queues; agents may read but not change them', async () => {
    const created = await parley.api('POST', '/groups', {
      body: { name: 'Returns', slack_channel_id: 'C0RETURNS', members: [ana.id] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Returns',
      slack_channel_id: 'C0RETURNS',
      assignment: 'manual',
      members: [ana.id],
    });
    expect((await parley.api('POST', '/groups', { body: { name: 'Returns' } })).status).toBe(409);
    expect(
      (await parley.api('POST', '/groups', { body: { name: 'X' }, key: agentKey })).status,
    ).toBe(403);
    const listed = await parley.api('GET', '/groups', { key: agentKey });
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((g: { name: string }) => g.name)).toContain('Returns');

    const id = created.body.id;
    const patched = await parley.api('PATCH', `/groups/${id}`, {
      body: { name: 'Returns & refunds', slack_channel_id: null, members: [ana.id, ben.id] },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.slack_channel_id).toBeNull();
    expect([...patched.body.members].sort()).toEqual([ana.id, ben.id].sort());

    const unknownAgent = await parley.api('PATCH', `/groups/${id}`, {
      body: { members: ['00000000-0000-4000-8000-000000000000'] },
    });
    expect(unknownAgent.status).toBe(422);
    expect(
      (await parley.api('PATCH', `/groups/${id}`, { body: { slack_channel_id: '#returns' } }))
        .status,
    ).toBe(400);
    expect(
      (await parley.api('PATCH', '/groups/00000000-0000-4000-8000-000000000000', { body: {} }))
        .status,
    ).toBe(404);
    const events = await parley.database.pool.query(
      `select action from audit_events where entity_type = 'group' and entity_id = $1 order by created_at`,
      [id],
    );
    expect(events.rows.map((r) => r.action)).toEqual(['group_created', 'group_updated']);
  });

  it('switching a queue to round robin hands out the tickets waiting in it', async () => {
    const group = (
      await parley.api('POST', '/groups', { body: { name: 'Billing', members: [ben.id] } })
    ).body;
    await parley.api('PATCH', '/settings', { body: { routing: { billing: 'Billing' } } });
    const ticket = (
      await parley.api('POST', '/tickets', {
        body: { customer: { name: 'C' }, subject: 'Charged twice', category: 'billing' },
      })
    ).body;
    expect(ticket.assignee).toBeNull(); // manual: waits for a claim
    await parley.api('PATCH', `/groups/${group.id}`, { body: { assignment: 'round_robin' } });
    expect((await parley.api('GET', `/tickets/${ticket.id}`)).body.assignee?.id).toBe(ben.id);
  });
});
