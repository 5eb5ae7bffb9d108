import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiClient,
  type TestParley,
  apiClient,
  startTestParley,
} from '../../support/test-parley.js';

let parley: TestParley;
let agent: { id: string; api: ApiClient };
let supervisor: { id: string; api: ApiClient };
let engineer: { id: string; api: ApiClient };

async function createAgentWithKey(role: string, name: string) {
  const created = await parley.api('POST', '/agents', {
    body: { name, role, email: `${name}@example.test`, groups: ['returns'] },
  });
  expect(created.status).toBe(201);
  const key = await parley.api('POST', `/agents/${created.body.id}/api-keys`);
  expect(key.status).toBe(201);
  return {
    id: created.body.id as string,
    api: apiClient(`${parley.url}/api/v1`, key.body.api_key),
  };
}

async function open(over: Record<string, unknown> = {}) {
  const res = await parley.api('POST', '/tickets', {
    body: {
      customer: { name: 'Cust', email: 'cust@example.test' },
      subject: 'Broken kettle',
      category: 'warranty',
      ...over,
    },
  });
  expect(res.status).toBe(201);
  return res.body as { id: string; number: string };
}

beforeAll(async () => {
  parley = await startTestParley();
  agent = await createAgentWithKey('agent', 'anna');
  supervisor = await createAgentWithKey('supervisor', 'sam');
  engineer = await createAgentWithKey('engineer', 'erin');
});
afterAll(() => parley?.close());

describe('status machine over the API', () => {
  it('gives an agent moving new → closed 409 invalid_transition', async () => {
    const t = await open();
    const res = await agent.api('PATCH', `/tickets/${t.number}`, { body: { status: 'closed' } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('invalid_transition');
    const still = await parley.api('GET', `/tickets/${t.id}`);
    expect(still.body.status).toBe('new');
  });

  it('lets a supervisor close a new ticket', async () => {
    const t = await open();
    const res = await supervisor.api('PATCH', `/tickets/${t.number}`, {
      body: { status: 'closed' },
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('closed');
    expect(res.body.closed_at).not.toBeNull();
  });

  it('claims, works, resolves with a code, and keeps the audit trail', async () => {
    const t = await open();
    const claimed = await agent.api('PATCH', `/tickets/${t.id}`, {
      body: { assignee_id: agent.id },
    });
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({
      status: 'assigned',
      assignee: { id: agent.id, name: 'anna' },
    });
    expect(
      (await agent.api('PATCH', `/tickets/${t.id}`, { body: { status: 'in_progress' } })).body
        .status,
    ).toBe('in_progress');

    const noCode = await agent.api('PATCH', `/tickets/${t.id}`, { body: { status: 'resolved' } });
    expect(noCode.status).toBe(422);
    expect(noCode.body.error.code).toBe('resolution_required');

    const resolved = await agent.api('PATCH', `/tickets/${t.id}`, {
      body: { status: 'resolved', resolution: { code: 'replacement', notes: 'new kettle sent' } },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.status).toBe('resolved');
    expect(resolved.body.resolution).toMatchObject({
      code: 'replacement',
      notes: 'new kettle sent',
    });
    expect(resolved.body.resolved_at).not.toBeNull();
    expect(resolved.body.sla.first_response_due_at).not.toBeNull();

    const events = await parley.api('GET', `/tickets/${t.number}/events`);
    expect(events.status).toBe(200);
    const list = (events.body.data ?? events.body) as {
      action: string;
      actor_id: string | null;
      changes: Record<string, { from: unknown; to: unknown }>;
    }[];
    const statusChanges = list
      .filter((e) => e.changes.status)
      .map((e) => [e.changes.status!.from, e.changes.status!.to]);
    expect(statusChanges).toEqual([
      [null, 'new'],
      ['new', 'assigned'],
      ['assigned', 'in_progress'],
      ['in_progress', 'resolved'],
    ]);
    expect(list.at(-1)!.actor_id).toBe(agent.id);
  });

  it('makes a refund wait for a supervisor approval before resolving', async () => {
    const t = await open();
    await agent.api('PATCH', `/tickets/${t.id}`, {
      body: { assignee_id: agent.id, status: 'in_progress' },
    });
    const asked = await agent.api('PATCH', `/tickets/${t.id}`, {
      body: { status: 'resolved', resolution: { code: 'refund', reference: 'RF-1' } },
    });
    expect(asked.status).toBe(200);
    expect(asked.body.status).toBe('in_progress');
    expect(asked.body.approval).toMatchObject({ status: 'pending', code: 'refund' });

    const again = await agent.api('PATCH', `/tickets/${t.id}`, {
      body: { status: 'resolved', resolution: { code: 'refund' } },
    });
    expect(again.status).toBe(422);
    expect(again.body.error.code).toBe('approval_pending');

    expect(
      (await agent.api('POST', `/tickets/${t.id}/approval`, { body: { decision: 'approve' } }))
        .status,
    ).toBe(403);
    const approved = await supervisor.api('POST', `/tickets/${t.id}/approval`, {
      body: { decision: 'approve' },
    });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('resolved');
    expect(approved.body.resolution).toMatchObject({ code: 'refund', reference: 'RF-1' });
  });

  it('keeps an engineer to internal notes', async () => {
    const t = await open();
    expect(
      (await engineer.api('PATCH', `/tickets/${t.id}`, { body: { priority: 'high' } })).status,
    ).toBe(403);
    expect(
      (await engineer.api('POST', `/tickets/${t.id}/messages`, { body: { body: 'public?' } }))
        .status,
    ).toBe(403);
    const note = await engineer.api('POST', `/tickets/${t.id}/messages`, {
      body: { body: 'firmware 1.2 bug', internal: true },
    });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({
      internal: true,
      author_type: 'agent',
      author_id: engineer.id,
    });
  });

  it('lets only a supervisor reassign a ticket another agent holds', async () => {
    const t = await open();
    await agent.api('PATCH', `/tickets/${t.id}`, { body: { assignee_id: agent.id } });
    const other = await createAgentWithKey('agent', `bob${Date.now()}`);
    expect(
      (await other.api('PATCH', `/tickets/${t.id}`, { body: { assignee_id: other.id } })).status,
    ).toBe(403);
    const moved = await supervisor.api('PATCH', `/tickets/${t.id}`, {
      body: { assignee_id: other.id },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.assignee.id).toBe(other.id);
  });
});

describe('messages', () => {
  it('records the first response, keeps notes internal, and says why a reply cannot reach a chat-less customer', async () => {
    const t = await open({
      channel: 'telegram',
      customer: { name: 'Tg', telegram_id: '100000001' },
    });
    const reply = await agent.api('POST', `/tickets/${t.id}/messages`, {
      body: { body: 'We are on it' },
    });
    expect(reply.status).toBe(201);
    // Opened through the API: the customer never wrote to our bot, and a Telegram bot cannot start a chat.
    expect(reply.body).toMatchObject({
      author_type: 'agent',
      internal: false,
      delivery_status: 'failed',
    });
    expect(reply.body.delivery_error).toMatch(/no telegram chat/);
    const note = await agent.api('POST', `/tickets/${t.id}/messages`, {
      body: { body: 'call the courier', internal: true },
    });
    expect(note.body.delivery_status).toBeNull();

    const rows = await parley.database.pool.query(
      "select count(*)::int as n from outbox where ticket_id = $1 and destination like 'customer:%'",
      [t.id],
    );
    expect(rows.rows[0].n).toBe(0);
    const ticket = await parley.api('GET', `/tickets/${t.id}`);
    expect(ticket.body.sla.first_response_at).not.toBeNull();
  });
});

describe('lists', () => {
  it('filters, searches subject and messages, and pages with a cursor', async () => {
    const tag = `zebra${Date.now()}`;
    const a = await open({ subject: `Leaking ${tag} bottle`, priority: 'urgent' });
    const b = await open({ subject: 'Something else', priority: 'low' });
    await parley.api('POST', `/tickets/${b.id}/messages`, {
      body: { body: `the ${tag} strap broke` },
    });
    const found = await parley.api('GET', `/tickets?q=${tag}`);
    expect(found.status).toBe(200);
    expect(found.body.data.map((t: { id: string }) => t.id).sort()).toEqual([a.id, b.id].sort());

    const urgent = await parley.api('GET', '/tickets?priority=urgent&status=new,assigned');
    expect(urgent.body.data.every((t: { priority: string }) => t.priority === 'urgent')).toBe(true);

    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { body: { data: { id: string }[]; next_cursor: string | null } } =
        await parley.api(
          'GET',
          `/tickets?limit=3&sort=sla_due_at${cursor ? `&cursor=${cursor}` : ''}`,
        );
      for (const t of page.body.data) {
        expect(seen.has(t.id)).toBe(false);
        seen.add(t.id);
      }
      cursor = page.body.next_cursor;
      pages += 1;
    } while (cursor && pages < 100);
    const total = await parley.database.pool.query('select count(*)::int as n from tickets');
    expect(seen.size).toBe(total.rows[0].n);

    expect((await parley.api('GET', '/tickets?sort=bogus')).status).toBe(400);
    expect((await parley.api('GET', '/tickets?cursor=garbage')).status).toBe(400);
  });

  it('lists a customer and their tickets, merging identities on a match', async () => {
    const first = await parley.api('POST', '/customers', {
      body: { name: 'Merge Me', phone: '+6281234567890' },
    });
    const second = await parley.api('POST', '/customers', {
      body: { email: 'merge@example.test' },
    });
    expect(first.body.id).not.toBe(second.body.id);
    const merged = await parley.api('POST', '/customers', {
      body: { phone: '6281234567890', email: 'MERGE@example.test' },
    });
    expect(merged.body.id).toBe(first.body.id);
    expect((await parley.api('GET', `/customers/${second.body.id}`)).status).toBe(404);
    await open({ customer: { email: 'merge@example.test' } });
    const tickets = await parley.api('GET', `/customers/${first.body.id}/tickets`);
    expect(tickets.body.data).toHaveLength(1);
  });
});

describe('watchers', () => {
  it('follows the assignee automatically and lets agents watch with their preferences', async () => {
    const t = await open();
    await agent.api('PATCH', `/tickets/${t.id}`, { body: { assignee_id: 'me' } });
    let list = await parley.api('GET', `/tickets/${t.id}/watchers`);
    expect(list.body.data).toEqual([
      { agent_id: agent.id, role: 'assignee', notify: { slack_dm: true } },
    ]);

    const watched = await engineer.api('PUT', `/tickets/${t.id}/watchers/${engineer.id}`, {
      body: {
        role: 'cc',
        notify: { slack_dm: false, telegram: true, events: ['customer_message'] },
      },
    });
    expect(watched.status).toBe(200);
    expect(watched.body.data).toContainEqual({
      agent_id: engineer.id,
      role: 'cc',
      notify: { slack_dm: false, telegram: true, events: ['customer_message'] },
    });
    // An agent may not sign someone else up; a supervisor may.
    expect(
      (await engineer.api('PUT', `/tickets/${t.id}/watchers/${supervisor.id}`, { body: {} }))
        .status,
    ).toBe(403);
    expect(
      (
        await supervisor.api('PUT', `/tickets/${t.id}/watchers/${engineer.id}`, {
          body: { role: 'watcher' },
        })
      ).status,
    ).toBe(200);

    // Reassigning moves the assignee row.
    await supervisor.api('PATCH', `/tickets/${t.id}`, { body: { assignee_id: supervisor.id } });
    list = await parley.api('GET', `/tickets/${t.id}/watchers`);
    const roles = Object.fromEntries(
      list.body.data.map((w: { agent_id: string; role: string }) => [w.agent_id, w.role]),
    );
    expect(roles).toEqual({ [supervisor.id]: 'assignee', [engineer.id]: 'watcher' });

    const removed = await engineer.api('DELETE', `/tickets/${t.id}/watchers/${engineer.id}`);
    expect(removed.body.data.map((w: { agent_id: string }) => w.agent_id)).toEqual([supervisor.id]);
    const events = await parley.api('GET', `/tickets/${t.id}/events`);
    expect(events.body.data.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['watcher_added', 'watcher_removed']),
    );
  });
});
