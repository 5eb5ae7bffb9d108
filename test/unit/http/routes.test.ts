import { afterEach, describe, expect, it } from 'vitest';
import type { ListTicketsInput } from '../../../src/app/inputs.js';
import { notFound } from '../../../src/domain/errors.js';
import type { HttpUseCases } from '../../../src/http/use-cases.js';
import { auth, jsonHeaders, message, serve, testApp, ticket, type TestServer } from './fixtures.js';

const AGENT_ID = '22222222-2222-4222-8222-222222222222';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(useCases: Partial<HttpUseCases>) {
  server = await serve(testApp({ useCases }));
  return server.url;
}

const post = (url: string, body: unknown, headers: Record<string, string> = jsonHeaders()) =>
  fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });

describe('tickets', () => {
  const create = { customer: { name: 'Ana' }, subject: 'Broken', category: 'order_issue' };

  it('POST /tickets → 201 Ticket, passing the Idempotency-Key', async () => {
    const calls: unknown[] = [];
    const url = await start({
      createTicket: async (_deps, _ctx, input, opts) => {
        calls.push({ input, opts });
        return ticket();
      },
    });
    const first = await post(`${url}/api/v1/tickets`, create, {
      ...jsonHeaders(),
      'idempotency-key': 'abc-1',
    });
    expect(first.status).toBe(201);
    expect(((await first.json()) as { number: string }).number).toBe('TK-2026-00042');
    const second = await post(`${url}/api/v1/tickets`, create);
    expect(second.status).toBe(201);
    expect(calls).toEqual([
      { input: create, opts: { idempotencyKey: 'abc-1' } },
      { input: create, opts: undefined },
    ]);
  });

  it('refuses an over-long Idempotency-Key and bad bodies with field details', async () => {
    const url = await start({ createTicket: async () => ticket() });
    const longKey = await post(`${url}/api/v1/tickets`, create, {
      ...jsonHeaders(),
      'idempotency-key': 'k'.repeat(201),
    });
    expect(longKey.status).toBe(400);
    const bad = await post(`${url}/api/v1/tickets`, { ...create, priority: 'asap', extra: 1 });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { code: string; details: { path: string }[] } };
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.details.map((d) => d.path).sort()).toEqual(['', 'priority']);
    const noJson = await fetch(`${url}/api/v1/tickets`, {
      method: 'POST',
      headers: auth(),
      body: 'subject=x',
    });
    expect(noJson.status).toBe(400);
  });

  it('GET /tickets parses the query and answers {data, next_cursor}', async () => {
    let seen: ListTicketsInput | undefined;
    const url = await start({
      listTickets: async (_deps, _ctx, input) => {
        seen = input;
        return { data: [ticket()], nextCursor: 'next' };
      },
    });
    const res = await fetch(
      `${url}/api/v1/tickets?status=new,assigned&status=in_progress&overdue=true&sort=-priority&limit=10&assignee_id=none`,
      { headers: auth() },
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: unknown[]; next_cursor: string };
    expect(body.next_cursor).toBe('next');
    expect(body.data).toHaveLength(1);
    expect(seen).toEqual({
      status: ['new', 'assigned', 'in_progress'],
      overdue: true,
      sort: '-priority',
      limit: 10,
      assignee_id: 'none',
    });
    const bad = await fetch(`${url}/api/v1/tickets?sort=priority&limit=500`, { headers: auth() });
    expect(bad.status).toBe(400);
    const details = ((await bad.json()) as { error: { details: { path: string }[] } }).error
      .details;
    expect(details.map((d) => d.path).sort()).toEqual(['limit', 'sort']);
  });

  it('GET /tickets/counts is not taken for a ticket ref', async () => {
    const url = await start({
      ticketQueueCounts: async () => ({ byStatus: { new: 3 }, unassigned: 3, overdue: 1, mine: 0 }),
      getTicket: async () => {
        throw new Error('wrong route');
      },
    });
    const res = await fetch(`${url}/api/v1/tickets/counts`, { headers: auth() });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      by_status: { new: 3 },
      unassigned: 3,
      overdue: 1,
      mine: 0,
    });
  });

  it('PATCH resolves assignee_id "me" for agent keys only', async () => {
    const inputs: unknown[] = [];
    const url = await start({
      updateTicket: async (_deps, _ctx, _ref, input) => {
        inputs.push(input);
        return ticket();
      },
    });
    const patch = (key: string) =>
      fetch(`${url}/api/v1/tickets/42`, {
        method: 'PATCH',
        headers: jsonHeaders(key),
        body: JSON.stringify({ assignee_id: 'me' }),
      });
    expect((await patch('agent-key')).status).toBe(200);
    expect(inputs).toEqual([{ assignee_id: AGENT_ID }]);
    expect((await patch('good-key')).status).toBe(400);
  });

  it('POST /tickets/:ref/approval takes approve or reject', async () => {
    const url = await start({ decideApproval: async () => ticket() });
    expect((await post(`${url}/api/v1/tickets/42/approval`, { decision: 'approve' })).status).toBe(
      200,
    );
    expect((await post(`${url}/api/v1/tickets/42/approval`, { decision: 'maybe' })).status).toBe(
      400,
    );
  });

  it('messages: POST → 201 Message, GET → list; events → list', async () => {
    const url = await start({
      addTicketMessage: async (_deps, _ctx, ref, input) =>
        message({ body: `${ref}:${input.body}`, internal: input.internal ?? false }),
      listTicketMessages: async () => [message()],
      listTicketEvents: async () => [],
    });
    const created = await post(`${url}/api/v1/tickets/TK-2026-00042/messages`, {
      body: 'hello',
      internal: true,
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ body: 'TK-2026-00042:hello', internal: true });
    const list = await fetch(`${url}/api/v1/tickets/42/messages`, { headers: auth() });
    expect(((await list.json()) as { data: unknown[] }).data).toHaveLength(1);
    const events = await fetch(`${url}/api/v1/tickets/42/events`, { headers: auth() });
    expect(await events.json()).toEqual({ data: [], next_cursor: null });
  });

  it('passes not_found from the use case through', async () => {
    const url = await start({
      getTicket: async () => {
        throw notFound('Ticket');
      },
    });
    const res = await fetch(`${url}/api/v1/tickets/999`, { headers: auth() });
    expect(res.status).toBe(404);
  });
});

describe('customers and agents', () => {
  it('a customer id that is not a UUID is 404 without calling the use case', async () => {
    const url = await start({});
    const res = await fetch(`${url}/api/v1/customers/nope`, { headers: auth() });
    expect(res.status).toBe(404);
    const tickets = await fetch(`${url}/api/v1/customers/nope/tickets`, { headers: auth() });
    expect(tickets.status).toBe(404);
  });

  it('GET /customers pages with limit and cursor', async () => {
    let page: unknown;
    const url = await start({
      listCustomers: async (_deps, _ctx, p) => {
        page = p;
        return { data: [], nextCursor: null };
      },
    });
    const res = await fetch(`${url}/api/v1/customers?limit=5&cursor=abc`, { headers: auth() });
    expect(await res.json()).toEqual({ data: [], next_cursor: null });
    expect(page).toEqual({ limit: 5, cursor: 'abc' });
  });

  it('POST /agents/:id/api-keys → 201 {api_key}', async () => {
    const url = await start({ issueAgentApiKey: async () => ({ apiKey: 'pk_agent' }) });
    const res = await fetch(`${url}/api/v1/agents/22222222-2222-4222-8222-222222222222/api-keys`, {
      method: 'POST',
      headers: auth(),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ api_key: 'pk_agent' });
  });

  it('POST /agents rejects unknown roles', async () => {
    const url = await start({});
    const res = await post(`${url}/api/v1/agents`, { name: 'Bo', role: 'boss' });
    expect(res.status).toBe(400);
  });
});

describe('sla policy', () => {
  it('is mounted when the use cases are given', async () => {
    const policy = {
      targets: {
        urgent: { first_response_seconds: 900, resolution_seconds: 7200 },
        high: { first_response_seconds: 3600, resolution_seconds: 14400 },
        medium: { first_response_seconds: 14400, resolution_seconds: 86400 },
        low: { first_response_seconds: 28800, resolution_seconds: 172800 },
      },
      calendar: null,
      pause_when_awaiting_customer: true,
    };
    const url = await start({
      getSlaPolicy: async () => policy,
      updateSlaPolicy: async () => policy,
    });
    expect(await (await fetch(`${url}/api/v1/sla-policy`, { headers: auth() })).json()).toEqual(
      policy,
    );
    const put = await fetch(`${url}/api/v1/sla-policy`, {
      method: 'PUT',
      headers: jsonHeaders(),
      body: JSON.stringify(policy),
    });
    expect(put.status).toBe(200);
  });
});
