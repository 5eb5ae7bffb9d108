/**
 * Agent commands end to end: text → parser → runAgentCommand → use cases → PostgreSQL, with
 * the permissions of the domain (status machine, engineers, supervisors, approvals).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CANNED_NOT_SET_UP,
  NOT_AN_AGENT,
  type AgentSurface,
  type CommandResult,
  runAgentCommand,
} from '../../../src/app/run-agent-command.js';
import type { Agent, Tenant } from '../../../src/domain/records.js';
import type { AgentMention } from '../../../src/engine/agent-commands/parse.js';
import { isParseError, parseAgentCommand } from '../../../src/engine/agent-commands/parse.js';
import { type TestParley, startTestParley } from '../../support/test-parley.js';
import { modalCommand } from '../../../src/slack-modal-commands.js';

let parley: TestParley;
let tenant: Tenant;
let anna: Agent; // agent
let bob: Agent; // agent
let sam: Agent; // supervisor
let erin: Agent; // engineer

async function createAgent(name: string, role: string): Promise<Agent> {
  const res = await parley.api('POST', '/agents', {
    body: { name, role, email: `${name}@example.test` },
  });
  expect(res.status).toBe(201);
  const agent = await parley.deps.uow.read.agents.findById(tenant.id, res.body.id);
  if (!agent) throw new Error(`agent ${name} not stored`);
  return agent;
}

async function openTicket(subject = 'Broken kettle'): Promise<{ id: string; number: string }> {
  const res = await parley.api('POST', '/tickets', {
    body: { customer: { name: 'Cust', email: 'cust@example.test' }, subject, category: 'warranty' },
  });
  expect(res.status).toBe(201);
  return res.body;
}

/** Resolves mentions by email or by `@name`, like a surface would. */
async function resolveUser(mention: AgentMention): Promise<Agent | null> {
  const agents = await parley.deps.uow.read.agents.list(tenant.id);
  if (mention.kind === 'email') return agents.find((a) => a.email === mention.email) ?? null;
  if (mention.kind === 'username') return agents.find((a) => a.name === mention.username) ?? null;
  return agents.find((a) => a.slackUserId === mention.userId) ?? null;
}

async function run(
  agent: Agent | null,
  text: string,
  opts: { thread?: string; surface?: AgentSurface } = {},
): Promise<CommandResult> {
  const parsed = parseAgentCommand(text, { threadTicketRef: opts.thread });
  if (isParseError(parsed)) throw new Error(parsed.text);
  return runAgentCommand(
    parley.deps,
    { tenant, agent, surface: opts.surface ?? 'cli' },
    parsed,
    resolveUser,
  );
}

beforeAll(async () => {
  parley = await startTestParley();
  const found = await parley.deps.uow.read.tenants.findBySlug('default');
  if (!found) throw new Error('default tenant missing');
  tenant = found;
  anna = await createAgent('anna', 'agent');
  bob = await createAgent('bob', 'agent');
  sam = await createAgent('sam', 'supervisor');
  erin = await createAgent('erin', 'engineer');
});
afterAll(() => parley?.close());

describe('who may run commands', () => {
  it('tells an unknown person they are not an agent, but still answers help', async () => {
    const t = await openTicket();
    expect(await run(null, `claim ${t.number}`)).toEqual({ ok: false, text: NOT_AN_AGENT });
    expect(await run({ ...anna, active: false }, `show ${t.number}`)).toEqual({
      ok: false,
      text: NOT_AN_AGENT,
    });
    const help = await run(null, 'help');
    expect(help.ok).toBe(true);
    expect(help.text).toContain('assign <ref> <@user|me>');
  });
});

describe('claiming, status and listing', () => {
  it('claim assigns the ticket to the agent', async () => {
    const t = await openTicket();
    const res = await run(anna, `claim ${t.number}`);
    expect(res.ok).toBe(true);
    expect(res.text).toContain(t.number);
    expect(res.ticket).toMatchObject({ status: 'assigned', assignee: { id: anna.id } });
    expect((await run(anna, `claim ${t.number}`)).text).toContain('already yours');
    const stolen = await run(bob, `claim ${t.number}`);
    expect(stolen).toMatchObject({ ok: false });
    expect(stolen.text).toContain('Only a supervisor may reassign');
  });

  it('moves in_progress → awaiting_customer with status, the ref implied by the thread', async () => {
    const t = await openTicket();
    await run(anna, `claim ${t.number}`);
    expect((await run(anna, 'status in_progress', { thread: t.number })).ticket?.status).toBe(
      'in_progress',
    );
    const res = await run(anna, `status ${t.number} awaiting_customer`);
    expect(res).toMatchObject({ ok: true, ticket: { status: 'awaiting_customer' } });
    expect(res.text).toBe(`${t.number} is now awaiting_customer.`);
  });

  it('list mine shows the claimed ticket; unassigned does not', async () => {
    const mine = await openTicket('Mine to keep');
    await run(bob, `claim ${mine.number}`);
    const list = await run(bob, 'list mine');
    expect(list.ok).toBe(true);
    expect(list.tickets?.map((t) => t.id)).toContain(mine.id);
    expect(list.tickets?.every((t) => t.assignee?.id === bob.id)).toBe(true);
    expect(list.text).toContain(mine.number);
    expect(list.text).toContain('Mine to keep');
    const unassigned = await run(bob, 'list unassigned');
    expect(unassigned.tickets?.map((t) => t.id)).not.toContain(mine.id);
    expect(unassigned.tickets?.length).toBeLessThanOrEqual(10);
  });

  it('assigns by email, refuses unknown people', async () => {
    const t = await openTicket();
    const res = await run(sam, `assign ${t.number} anna@example.test`);
    expect(res).toMatchObject({ ok: true, ticket: { assignee: { id: anna.id } } });
    expect(res.text).toContain('assigned to anna');
    expect(await run(sam, `assign ${t.number} nobody@example.test`)).toEqual({
      ok: false,
      text: 'nobody@example.test is not an agent of this team.',
    });
    expect((await run(sam, `assign ${t.number} @bob`)).ticket?.assignee?.id).toBe(bob.id);
  });
});

describe('closing and reopening', () => {
  it('refuses an agent closing a new ticket with the invalid-transition message', async () => {
    const t = await openTicket();
    expect(await run(anna, `close ${t.number}`)).toEqual({
      ok: false,
      text: 'Only a supervisor may close a ticket that is not resolved.',
    });
  });

  it('lets a supervisor close it, and reopen it', async () => {
    const t = await openTicket();
    const closed = await run(sam, `close ${t.number}`);
    expect(closed).toMatchObject({ ok: true, ticket: { status: 'closed' } });
    expect((await run(anna, `reopen ${t.number}`)).text).toBe(
      'Only a supervisor may reopen a closed ticket.',
    );
    expect((await run(sam, `reopen ${t.number}`)).ticket?.status).toBe('in_progress');
    expect((await run(sam, `reopen ${t.number}`)).text).toContain('is not resolved or closed');
  });
});

describe('messages', () => {
  it('refuses an engineer reply but takes their note', async () => {
    const t = await openTicket();
    expect(await run(erin, `reply ${t.number} Hello`)).toEqual({
      ok: false,
      text: 'Engineers add internal technical notes only.',
    });
    const note = await run(erin, 'note Firmware 1.2 has this bug\n— erin', { thread: t.number });
    expect(note).toMatchObject({ ok: true, text: `Internal note added to ${t.number}.` });
    const messages = await parley.api('GET', `/tickets/${t.number}/messages`);
    expect(messages.body.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ body: 'Firmware 1.2 has this bug\n— erin', internal: true }),
      ]),
    );
  });

  it('records an agent reply as a public message', async () => {
    const t = await openTicket();
    const res = await run(anna, `reply ${t.number} Sorry about that — a new one is on its way.`);
    expect(res.ok).toBe(true);
    const messages = await parley.api('GET', `/tickets/${t.number}/messages`);
    expect(messages.body.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          body: 'Sorry about that — a new one is on its way.',
          internal: false,
        }),
      ]),
    );
  });

  it('says how to set canned replies up when the team has none, and sends nothing', async () => {
    const t = await openTicket();
    const res = await run(anna, `canned ${t.number} thanks`);
    expect(res).toMatchObject({ ok: false, text: CANNED_NOT_SET_UP });
    expect(res.text).toContain('canned_replies');
    const messages = await parley.api('GET', `/tickets/${t.number}/messages`);
    expect(messages.body.data).toEqual([]);
  });
});

describe('resolving', () => {
  it('asks a supervisor to approve an agent refund instead of resolving', async () => {
    const t = await openTicket();
    await run(anna, `claim ${t.number}`);
    await run(anna, `status ${t.number} in_progress`);
    const res = await run(anna, `resolve ${t.number} refund customer sent photos`);
    expect(res.ok).toBe(true);
    expect(res.ticket?.status).toBe('in_progress');
    expect(res.text).toContain("needs a supervisor's approval");
    expect((await run(anna, `show ${t.number}`)).text).toContain('Approval: refund pending');
    const again = await run(anna, `resolve ${t.number} refund`);
    expect(again.ok).toBe(false);
    expect(again.text).toContain('has not yet decided');
  });

  it('resolves with a code and notes, then an agent may close it', async () => {
    const t = await openTicket();
    await run(anna, `claim ${t.number}`);
    const res = await run(anna, `resolve ${t.number} fixed replaced the thermostat`);
    expect(res).toMatchObject({
      ok: true,
      ticket: {
        status: 'resolved',
        resolution: { code: 'fixed', notes: 'replaced the thermostat' },
      },
    });
    expect((await run(anna, `close ${t.number}`)).ticket?.status).toBe('closed');
  });

  it("keeps a form's reference (Slack's Resolve modal) on the resolution", async () => {
    const t = await openTicket();
    await run(anna, `claim ${t.number}`);
    const parsed = modalCommand({
      kind: 'resolve',
      ticketNumber: t.number,
      code: 'goodwill',
      notes: 'voucher sent',
      reference: 'VCH-2231',
    });
    if (isParseError(parsed)) throw new Error(parsed.text);
    const res = await runAgentCommand(
      parley.deps,
      { tenant, agent: anna, surface: 'slack' },
      parsed,
      resolveUser,
    );
    expect(res.ticket?.resolution).toMatchObject({
      code: 'goodwill',
      notes: 'voucher sent',
      reference: 'VCH-2231',
    });
  });
});

describe('show, link, priority, watch', () => {
  it('sets links and priority and shows a compact summary', async () => {
    const t = await openTicket('Lid <cracked> & leaking');
    const linked = await run(anna, `link ${t.number} order_ref=A-1 store_ref="Main St. 4"`);
    expect(linked).toMatchObject({
      ok: true,
      ticket: { links: { order_ref: 'A-1', store_ref: 'Main St. 4' } },
    });
    expect((await run(anna, `priority ${t.number} urgent`)).ticket?.priority).toBe('urgent');
    const shown = await run(anna, `show ${t.number}`);
    expect(shown.text).toContain(`${t.number} Lid <cracked> & leaking`);
    expect(shown.text).toContain('Priority: urgent');
    expect(shown.text).toContain('Assignee: unassigned');
    expect(shown.text).toContain('Customer: Cust');
    expect(shown.text).toContain('Links: order_ref=A-1, store_ref=Main St. 4');
    expect(shown.text).toMatch(/SLA due: \d{4}-\d\d-\d\d \d\d:\d\d /);
    const onSlack = await run(anna, `show ${t.number}`, { surface: 'slack' });
    expect(onSlack.text).toContain(`*${t.number}* Lid &lt;cracked&gt; &amp; leaking`);
  });

  it('answers a missing ticket with not found', async () => {
    expect(await run(anna, 'show 99999')).toEqual({
      ok: false,
      text: "I can't find ticket 99999.",
    });
  });

  it('watch and unwatch follow and stop following a ticket', async () => {
    const t = await openTicket();
    const watched = await run(bob, `watch ${t.number}`);
    expect(watched).toMatchObject({ ok: true, text: `You are watching ${t.number}.` });
    const watchers = () => parley.deps.uow.read.watchers.listForTicket(tenant.id, t.id);
    expect(await watchers()).toEqual([
      expect.objectContaining({ agentId: bob.id, role: 'watcher' }),
    ]);
    expect((await run(bob, `unwatch ${t.number}`)).ok).toBe(true);
    expect(await watchers()).toEqual([]);

    await run(anna, `claim ${t.number}`);
    expect((await run(anna, `watch ${t.number}`)).text).toContain('as its assignee');
    expect((await run(anna, `unwatch ${t.number}`)).ok).toBe(false);
  });
});
