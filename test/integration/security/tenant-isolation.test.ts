/**
 * Tenant isolation, generated from the API's own operation list (the OpenAPI source) and the
 * agent grammar's verbs: tenant B's credentials against tenant A's records get 404/403 every time,
 * and lists never show A's records. A route or verb this file does not know fails the test, so a
 * new one cannot ship without being checked here.
 *
 * Each refused request is then sent with A's key, which must not answer 400/404: the request was
 * well-formed and the record exists, so B's refusal came from the tenant check.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAgentCommand } from '../../../src/app/run-agent-command.js';
import type { Agent, Tenant } from '../../../src/domain/records.js';
import { VERBS, type Verb } from '../../../src/engine/agent-commands/grammar.js';
import { isParseError, parseAgentCommand } from '../../../src/engine/agent-commands/parse.js';
import { OPERATIONS, type Operation } from '../../../src/http/openapi/operations.js';
import {
  PLATFORM_KEY,
  type TestParley,
  apiClient,
  startTestParley,
} from '../../support/test-parley.js';

let parley: TestParley;
let asB: ReturnType<typeof apiClient>;
const A: Record<string, string> = {};
let tenantB: Tenant;
let agentOfB: Agent;

const MARK = 'zqxmarkerA';

beforeAll(async () => {
  parley = await startTestParley();
  const api = parley.api;
  const agent = (await api('POST', '/agents', { body: { name: `${MARK} agent`, role: 'agent' } }))
    .body;
  const group = (
    await api('POST', '/groups', { body: { name: `${MARK} group`, members: [agent.id] } })
  ).body;
  const ticket = (
    await api('POST', '/tickets', {
      body: {
        customer: { name: `${MARK} customer`, email: 'marker-a@example.test' },
        subject: `${MARK} subject`,
        category: 'order_issue',
      },
    })
  ).body;
  const message = (
    await api('POST', `/tickets/${ticket.id}/messages`, { body: { body: `${MARK} message` } })
  ).body;
  Object.assign(A, {
    message: message.id,
    agent: agent.id,
    group: group.id,
    ticket: ticket.id,
    number: ticket.number,
    customer: ticket.customer.id,
  });
  if (OPERATIONS.some((op) => op.method === 'post' && op.path === '/scheduled-tickets')) {
    const scheduled = await api('POST', '/scheduled-tickets', {
      body: {
        external_key: `${MARK}-journey`,
        run_at: new Date(Date.now() + 86_400_000).toISOString(),
        ticket: {
          customer: { name: `${MARK} customer` },
          subject: `${MARK} later`,
          category: 'warranty',
        },
      },
    });
    expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(201);
    A.scheduled = scheduled.body.id;
  }

  const webhook = await api('POST', '/webhook-subscriptions', {
    body: { url: `https://crm.example.test/${MARK}` },
  });
  expect(webhook.status, JSON.stringify(webhook.body)).toBe(201);
  A.webhook = webhook.body.id;

  const created = await api('POST', '/tenants', {
    key: PLATFORM_KEY,
    body: { name: 'Brand B', slug: 'brand-b' },
  });
  expect(created.status).toBe(201);
  asB = apiClient(`${parley.url}/api/v1`, created.body.api_key);
  tenantB = (await parley.deps.uow.read.tenants.findBySlug('brand-b'))!;
  const bAgent = (await asB('POST', '/agents', { body: { name: 'B sup', role: 'supervisor' } }))
    .body;
  agentOfB = (await parley.deps.uow.read.agents.findById(tenantB.id, bAgent.id))!;
});
afterAll(() => parley?.close());

/** Path parameter values: A's records. */
function pathFor(op: Operation): string | null {
  const values: Record<string, string> = {
    ref: A.ticket!,
    id: op.path.includes('/messages/')
      ? A.message!
      : op.path.startsWith('/tickets/')
        ? A.agent!
        : op.path.startsWith('/groups/')
          ? A.group!
          : op.path.startsWith('/customers/')
            ? A.customer!
            : op.path.startsWith('/agents/')
              ? A.agent!
              : op.path.startsWith('/webhook-subscriptions/')
                ? A.webhook!
                : '',
    id_or_key: A.scheduled ?? '',
    scope: 'group',
    value: A.group!,
  };
  let missing = false;
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = values[name];
    if (!v) missing = true;
    return encodeURIComponent(v ?? '');
  });
  return missing ? null : path;
}

/** A body A could send (well-formed) for each operation on a record; undefined = no body. */
const RECORD_BODIES: Record<string, unknown> = {
  'get /tickets/{ref}': undefined,
  'patch /tickets/{ref}': { priority: 'high' },
  'post /tickets/{ref}/approval': { decision: 'approve' },
  'get /tickets/{ref}/messages': undefined,
  'post /tickets/{ref}/messages': { body: 'from B?' },
  'post /tickets/{ref}/messages/{id}/retry': undefined,
  'get /tickets/{ref}/events': undefined,
  'get /tickets/{ref}/watchers': undefined,
  'put /tickets/{ref}/watchers/{id}': {},
  'delete /tickets/{ref}/watchers/{id}': undefined,
  'patch /groups/{id}': { name: 'renamed' },
  'get /customers/{id}': undefined,
  'get /customers/{id}/tickets': undefined,
  'post /agents/{id}/api-keys': undefined,
  'put /sla-policy/overrides/{scope}/{value}': { pause_when_awaiting_customer: false },
  'delete /sla-policy/overrides/{scope}/{value}': undefined,
  'get /scheduled-tickets/{id_or_key}': undefined,
  'delete /scheduled-tickets/{id_or_key}': undefined,
  'get /webhook-subscriptions/{id}/deliveries': undefined,
  'delete /webhook-subscriptions/{id}': undefined,
};

/** A's own request may still be refused for a business reason (never 404, never a bad body). */
const A_BUSINESS_REFUSALS: Record<string, RegExp> = {
  'post /tickets/{ref}/approval': /no pending approval/,
};

/** B may refuse with 404 or 403; an override naming a group B does not have is 422 (no such group). */
const REFUSALS: Record<string, number[]> = {
  'put /sla-policy/overrides/{scope}/{value}': [404, 403, 422],
};

const key = (op: Operation) => `${op.method} ${op.path}`;

describe('tenant isolation (REST)', () => {
  const onRecords = OPERATIONS.filter((op) => op.auth === 'api_key' && op.path.includes('{'));
  const lists = OPERATIONS.filter(
    (op) => op.auth === 'api_key' && op.method === 'get' && !op.path.includes('{'),
  );

  it('knows every operation on a record', () => {
    expect(onRecords.map(key).filter((k) => !(k in RECORD_BODIES))).toEqual([]);
  });

  it("refuses every operation on A's records with B's key, and A's own key is accepted", async () => {
    for (const op of onRecords) {
      const path = pathFor(op);
      if (!path) continue; // the record kind does not exist in this build (e.g. no scheduler API)
      const body = RECORD_BODIES[key(op)];
      const opts = body === undefined ? {} : { body };
      const b = await asB(op.method.toUpperCase(), path, opts);
      expect(REFUSALS[key(op)] ?? [404, 403], `${key(op)} → ${b.status}`).toContain(b.status);
      expect(JSON.stringify(b.body)).not.toContain(MARK);
      const a = await parley.api(op.method.toUpperCase(), path, opts);
      const why = `${key(op)} as A → ${a.status} ${JSON.stringify(a.body)}`;
      expect(a.status, why).not.toBe(404);
      if (a.status === 400)
        expect(a.body?.error?.message, why).toMatch(A_BUSINESS_REFUSALS[key(op)] ?? /^$/);
    }
    // By number too: B has no ticket of that number.
    expect((await asB('GET', `/tickets/${A.number}`)).status).toBe(404);
  });

  it("never lists A's records to B", async () => {
    for (const op of lists) {
      const res = await asB('GET', op.path);
      expect(res.status, `${key(op)} → ${res.status}`).toBeLessThan(500);
      expect(JSON.stringify(res.body), key(op)).not.toContain(MARK);
      expect(JSON.stringify(res.body), key(op)).not.toContain(A.ticket);
    }
    const filtered = await asB('GET', `/tickets?customer_id=${A.customer}`);
    expect(filtered.body.data ?? []).toEqual([]);
  });

  it("does not let B reference A's agents or customers in what it writes", async () => {
    const own = (
      await asB('POST', '/tickets', {
        body: {
          customer: { email: 'marker-a@example.test' },
          subject: 'B ticket',
          category: 'order_issue',
        },
      })
    ).body;
    expect(own.customer.id).not.toBe(A.customer); // identities are per tenant
    const assign = await asB('PATCH', `/tickets/${own.id}`, { body: { assignee_id: A.agent } });
    expect([400, 404, 422, 403]).toContain(assign.status);
    expect((await asB('GET', `/tickets/${own.id}`)).body.assignee).toBeNull();
    const watch = await asB('PUT', `/tickets/${own.id}/watchers/${A.agent}`, { body: {} });
    expect([400, 404, 422, 403]).toContain(watch.status);
    const group = await asB('POST', '/groups', { body: { name: 'B group', members: [A.agent] } });
    expect(group.status).toBe(422);
    const aTickets = await parley.api('GET', `/customers/${A.customer}/tickets`);
    expect(aTickets.body.data).toHaveLength(1);
  });
});

/** Each verb with A's ticket as the reference (help and list take none). */
const VERB_ARGS: Record<Verb, string | null> = {
  help: null,
  list: null,
  show: '',
  reply: 'hello from B',
  note: 'note from B',
  status: 'in_progress',
  assign: 'me',
  claim: '',
  priority: 'urgent',
  resolve: 'answered',
  close: '',
  reopen: '',
  link: 'order_ref=B-1',
  canned: 'greeting',
  watch: '',
  unwatch: '',
};

describe('tenant isolation (agent commands)', () => {
  it("B's supervisor cannot see or touch A's ticket with any verb", async () => {
    const before = await parley.database.pool.query(
      'select updated_at, (select count(*) from messages where ticket_id = $1) as messages, (select count(*) from ticket_watchers where ticket_id = $1) as watchers from tickets where id = $1',
      [A.ticket],
    );
    // By id, and by number unless B has a ticket of that number by now (numbers are per tenant).
    const numberFree = (await asB('GET', `/tickets/${A.number}`)).status === 404;
    const refs = numberFree ? [A.ticket!, A.number!] : [A.ticket!];
    for (const verb of VERBS) {
      const args = VERB_ARGS[verb];
      if (args === null) continue;
      for (const ref of refs) {
        const parsed = parseAgentCommand(`${verb} ${ref} ${args}`.trim(), {});
        if (isParseError(parsed)) throw new Error(`${verb}: ${parsed.text}`);
        const result = await runAgentCommand(
          parley.deps,
          { tenant: tenantB, agent: agentOfB, surface: 'cli' },
          parsed,
          async () => null,
        );
        expect(result.ok, `${verb} ${ref}: ${result.text}`).toBe(false);
        expect(result.text).not.toContain(MARK);
      }
    }
    const listed = parseAgentCommand('list open', {});
    if (isParseError(listed)) throw new Error(listed.text);
    const list = await runAgentCommand(
      parley.deps,
      { tenant: tenantB, agent: agentOfB, surface: 'cli' },
      listed,
      async () => null,
    );
    expect(list.text).not.toContain(MARK);
    const after = await parley.database.pool.query(
      'select updated_at, (select count(*) from messages where ticket_id = $1) as messages, (select count(*) from ticket_watchers where ticket_id = $1) as watchers from tickets where id = $1',
      [A.ticket],
    );
    expect(after.rows).toEqual(before.rows);
  });
});
