import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  autoAssignTicket,
  backfillGroup,
  setAgentAvailability,
  setTicketGroup,
} from '../../../src/app/auto-assign.js';
import type { AppDeps } from '../../../src/app/context.js';
import type { AssignmentStrategy } from '../../../src/domain/assignment.js';
import { ManualClock } from '../../../src/domain/clock.js';
import type { AgentRole } from '../../../src/domain/vocabulary.js';
import { type TestParley, startTestParley } from '../../support/test-parley.js';

const clock = new ManualClock('2026-03-02T09:00:00Z');
let parley: TestParley;
let deps: AppDeps;
let tenantId: string;

beforeAll(async () => {
  parley = await startTestParley({ clock });
  deps = parley.deps;
  const tenant = await deps.uow.read.tenants.findBySlug('default');
  tenantId = tenant!.id;
});
afterAll(() => parley?.close());

interface MemberSpec {
  name: string;
  capacity?: number;
  available?: boolean;
  role?: AgentRole;
}

/** A group with its members (in this order) and a strategy; returns ids by member name. */
async function makeGroup(name: string, strategy: AssignmentStrategy, specs: MemberSpec[]) {
  const agents: Record<string, string> = {};
  for (const spec of specs) {
    const agent = await deps.uow.read.agents.create(tenantId, {
      name: `${name}-${spec.name}`,
      role: spec.role ?? 'agent',
      capacity: spec.capacity ?? null,
      groups: [name],
    });
    agents[spec.name] = agent.id;
    if (spec.available === false) {
      await deps.uow.read.assignment.setAgentAvailability(tenantId, agent.id, false);
    }
  }
  const group = await deps.uow.read.assignment.findGroupByName(tenantId, name);
  await deps.uow.read.assignment.setStrategy(tenantId, group!.id, strategy);
  const nameOf = (id: string | null) =>
    id === null ? null : (Object.entries(agents).find(([, v]) => v === id)?.[0] ?? id);
  return { groupId: group!.id, agents, nameOf };
}

/** Opens a ticket through the API, one (fake) second after the previous one. */
async function openTicket(subject: string): Promise<string> {
  clock.advance(1000);
  const res = await parley.api('POST', '/tickets', {
    body: { customer: { name: 'Cust', email: 'cust@example.test' }, subject, category: 'billing' },
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

/** Routes a ticket into a group (which tries automatic assignment), in one transaction. */
async function route(ticketId: string, groupId: string) {
  return deps.uow.transaction(async (s) => {
    const ticket = await s.tickets.findById(tenantId, ticketId, { forUpdate: true });
    return setTicketGroup(s, deps, ticket!, groupId, clock.now());
  });
}

async function assigneeOf(ticketId: string): Promise<string | null> {
  const t = await deps.uow.read.tickets.findById(tenantId, ticketId);
  return t!.assignee?.id ?? null;
}

async function resolve(ticketId: string) {
  const res = await parley.api('PATCH', `/tickets/${ticketId}`, {
    body: { status: 'resolved', resolution: { code: 'answered' } },
  });
  expect(res.status).toBe(200);
}

describe('automatic assignment', () => {
  it('round-robin: six tickets go A, B, C, A, B, C', async () => {
    const g = await makeGroup('rr', 'round_robin', [{ name: 'A' }, { name: 'B' }, { name: 'C' }]);
    const order: (string | null)[] = [];
    for (let i = 0; i < 6; i++) {
      const ticket = await route(await openTicket(`rr ${i}`), g.groupId);
      expect(ticket.status).toBe('assigned');
      order.push(g.nameOf(ticket.assignee?.id ?? null));
    }
    expect(order).toEqual(['A', 'B', 'C', 'A', 'B', 'C']);

    const last = await openTicket('rr audit');
    const ticket = await route(last, g.groupId);
    expect(g.nameOf(ticket.assignee!.id)).toBe('A');
    const events = await deps.uow.read.audit.listForTicket(tenantId, last);
    expect(events.find((e) => e.action === 'auto_assigned')).toMatchObject({
      actorType: 'system',
      changes: { assignee_id: { from: null, to: g.agents.A }, status: { to: 'assigned' } },
    });
    const watchers = await deps.uow.read.watchers.listForTicket(tenantId, last);
    expect(watchers).toMatchObject([{ agentId: g.agents.A, role: 'assignee' }]);
  });

  it('capacity: with room for three, two of five tickets wait; a freed agent gets the oldest', async () => {
    const g = await makeGroup('cap', 'round_robin', [
      { name: 'A', capacity: 1 },
      { name: 'B', capacity: 1 },
      { name: 'C', capacity: 1 },
    ]);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const id = await openTicket(`cap ${i}`);
      ids.push(id);
      await route(id, g.groupId);
    }
    const who = async () => Promise.all(ids.map(async (id) => g.nameOf(await assigneeOf(id))));
    expect(await who()).toEqual(['A', 'B', 'C', null, null]);
    const waiting = await deps.uow.read.tickets.findById(tenantId, ids[3]!);
    expect(waiting!.status).toBe('new');

    await resolve(ids[1]!); // B frees up: resolving backfills the group at once
    expect(await who()).toEqual(['A', 'B', 'C', 'B', null]);
    expect((await deps.uow.read.tickets.findById(tenantId, ids[3]!))!.status).toBe('assigned');
    expect(await backfillGroup(deps, tenantId, g.groupId)).toBe(0);

    await resolve(ids[0]!); // A frees up and takes the last waiting ticket
    await resolve(ids[2]!); // C frees up: nobody is waiting any more
    expect(g.nameOf(await assigneeOf(ids[4]!))).toBe('A');
    expect(await backfillGroup(deps, tenantId, g.groupId)).toBe(0);
  });

  it('a new ticket does not jump the queue: older waiting tickets go first', async () => {
    const g = await makeGroup('fifo', 'round_robin', [{ name: 'A', capacity: 1 }]);
    const first = await openTicket('fifo 1');
    const second = await openTicket('fifo 2');
    await route(first, g.groupId);
    await route(second, g.groupId);
    expect(await assigneeOf(second)).toBeNull();
    // A frees up, but before anyone backfills a newer ticket arrives: the oldest still wins.
    await resolve(first);
    const third = await route(await openTicket('fifo 3'), g.groupId);
    expect(third.assignee).toBeNull();
    expect(g.nameOf(await assigneeOf(second))).toBe('A');
  });

  it('least-loaded: the member with the fewest open tickets', async () => {
    const g = await makeGroup('ll', 'least_loaded', [{ name: 'A' }, { name: 'B' }, { name: 'C' }]);
    const manual = async (agent: string) => {
      const id = await openTicket(`ll manual ${agent}`);
      const res = await parley.api('PATCH', `/tickets/${id}`, {
        body: { assignee_id: g.agents[agent] },
      });
      expect(res.status).toBe(200);
    };
    await manual('A');
    await manual('A');
    await manual('B');
    const picks: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const ticket = await route(await openTicket(`ll ${i}`), g.groupId);
      picks.push(g.nameOf(ticket.assignee?.id ?? null));
    }
    // A=2 B=1 C=0 → C; then B and C tie at 1 and B waited longer → B; then C (A=2 B=2 C=1).
    expect(picks).toEqual(['C', 'B', 'C']);
  });

  it('skips unavailable agents and engineers, and takes agents back when available', async () => {
    const g = await makeGroup('avail', 'round_robin', [
      { name: 'A' },
      { name: 'B', available: false },
      { name: 'E', role: 'engineer' },
      { name: 'C' },
    ]);
    const picks: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const ticket = await route(await openTicket(`avail ${i}`), g.groupId);
      picks.push(g.nameOf(ticket.assignee?.id ?? null));
    }
    expect(picks).toEqual(['A', 'C', 'A']);
    expect(await setAgentAvailability(deps, tenantId, g.agents.B!, true)).toBe(0);
    const next = await route(await openTicket('avail back'), g.groupId);
    expect(g.nameOf(next.assignee!.id)).toBe('B');
  });

  it('an unavailable agent coming back picks up the waiting queue', async () => {
    const g = await makeGroup('away', 'least_loaded', [{ name: 'A', available: false }]);
    const id = await openTicket('away 1');
    expect((await route(id, g.groupId)).assignee).toBeNull();
    expect(await setAgentAvailability(deps, tenantId, g.agents.A!, true)).toBe(1);
    expect(g.nameOf(await assigneeOf(id))).toBe('A');
  });

  it('manual groups leave tickets unassigned', async () => {
    const g = await makeGroup('manual', 'manual', [{ name: 'A' }]);
    const ticket = await route(await openTicket('manual 1'), g.groupId);
    expect(ticket.assignee).toBeNull();
    expect(ticket.groupId).toBe(g.groupId);
    expect(await backfillGroup(deps, tenantId, g.groupId)).toBe(0);
  });

  it('twenty concurrent assignments in one group never exceed a capacity', async () => {
    const capacities = { A: 3, B: 2, C: 4 } as const;
    const g = await makeGroup(
      'burst',
      'round_robin',
      Object.entries(capacities).map(([name, capacity]) => ({ name, capacity })),
    );
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await openTicket(`burst ${i}`));
    await parley.database.pool.query('update tickets set group_id = $1 where id = any($2)', [
      g.groupId,
      ids,
    ]);

    await Promise.all(
      ids.map((id) =>
        deps.uow.transaction(async (s) => {
          const ticket = await s.tickets.findById(tenantId, id);
          return autoAssignTicket(s, deps, ticket!, clock.now());
        }),
      ),
    );

    const { rows } = await parley.database.pool.query<{ assignee_id: string | null; n: number }>(
      `select assignee_id, count(*)::int as n from tickets
        where group_id = $1 and status in ('new', 'assigned', 'in_progress', 'awaiting_customer')
        group by assignee_id`,
      [g.groupId],
    );
    const counts = Object.fromEntries(rows.map((r) => [g.nameOf(r.assignee_id) ?? 'waiting', r.n]));
    expect(counts).toEqual({ A: 3, B: 2, C: 4, waiting: 11 });
    const { rows: statuses } = await parley.database.pool.query<{ status: string; n: number }>(
      `select status, count(*)::int as n from tickets where group_id = $1
        and (assignee_id is null) <> (status = 'new') group by status`,
      [g.groupId],
    );
    expect(statuses).toEqual([]); // assigned ⇔ status assigned; waiting ⇔ new
  });
});
