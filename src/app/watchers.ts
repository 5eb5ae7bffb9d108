/**
 * Who follows a ticket: its assignee (set by assignment), watchers and cc'd agents, each with
 * notification preferences that the Slack and Telegram notifiers read (issue 4).
 */
import { actorRef, isSupervisorOrAbove } from '../domain/actor.js';
import { forbidden, invalid } from '../domain/errors.js';
import type { Ticket, Watcher } from '../domain/records.js';
import type { Stores } from '../ports/stores.js';
import type { AppDeps, RequestContext } from './context.js';
import { findTicket, readTicket } from './ticket-lookup.js';

export interface WatcherInput {
  role: 'watcher' | 'cc';
  notify?: Record<string, unknown> | undefined;
}

const DEFAULT_NOTIFY = { slack_dm: true };

export async function listWatchers(
  deps: AppDeps,
  ctx: RequestContext,
  ref: string,
): Promise<Watcher[]> {
  const ticket = await readTicket(deps, ctx.tenant, ref);
  return deps.uow.read.watchers.listForTicket(ctx.tenant.id, ticket.id);
}

function assertMayChange(ctx: RequestContext, agentId: string): void {
  const self = ctx.actor.type === 'agent' && ctx.actor.id === agentId;
  if (!self && !isSupervisorOrAbove(ctx.actor)) {
    throw forbidden('Agents change only their own watching; a supervisor may change anyone’s', {
      key: 'watch_only_own',
    });
  }
}

async function audit(
  s: Stores,
  ctx: RequestContext,
  ticket: Ticket,
  action: string,
  agentId: string,
  role: unknown,
  now: Date,
) {
  const who = actorRef(ctx.actor);
  await s.audit.record({
    tenantId: ctx.tenant.id,
    entityType: 'ticket',
    entityId: ticket.id,
    ticketId: ticket.id,
    action,
    actorType: who.actor_type,
    actorId: who.actor_id,
    changes: {
      [`watcher:${agentId}`]:
        action === 'watcher_removed' ? { from: role, to: null } : { from: null, to: role },
    },
    createdAt: now,
  });
}

export async function setWatcher(
  deps: AppDeps,
  ctx: RequestContext,
  ref: string,
  agentId: string,
  input: WatcherInput,
): Promise<Watcher[]> {
  assertMayChange(ctx, agentId);
  return deps.uow.transaction(async (s) => {
    const now = deps.clock.now();
    const ticket = await findTicket(s, ctx.tenant, ref, now);
    const agent = await s.agents.findById(ctx.tenant.id, agentId);
    if (!agent)
      throw invalid(
        'agent_id is not an agent of this team',
        [{ path: ['agent_id'], message: 'unknown agent' }],
        { key: 'watcher_not_agent' },
      );
    const current = (await s.watchers.listForTicket(ctx.tenant.id, ticket.id)).find(
      (w) => w.agentId === agentId,
    );
    // The assignee stays the assignee: watching again only updates the preferences.
    const role = current?.role === 'assignee' ? 'assignee' : input.role;
    await s.watchers.upsert(ctx.tenant.id, {
      ticketId: ticket.id,
      agentId,
      role,
      notify: input.notify ?? current?.notify ?? DEFAULT_NOTIFY,
    });
    if (!current) await audit(s, ctx, ticket, 'watcher_added', agentId, role, now);
    return s.watchers.listForTicket(ctx.tenant.id, ticket.id);
  });
}

export async function removeWatcher(
  deps: AppDeps,
  ctx: RequestContext,
  ref: string,
  agentId: string,
): Promise<Watcher[]> {
  assertMayChange(ctx, agentId);
  return deps.uow.transaction(async (s) => {
    const now = deps.clock.now();
    const ticket = await findTicket(s, ctx.tenant, ref, now);
    const current = (await s.watchers.listForTicket(ctx.tenant.id, ticket.id)).find(
      (w) => w.agentId === agentId,
    );
    if (current?.role === 'assignee')
      throw invalid('The assignee follows the ticket; unassign it instead', undefined, {
        key: 'assignee_always_watches',
      });
    if (current) {
      await s.watchers.remove(ctx.tenant.id, ticket.id, agentId);
      await audit(s, ctx, ticket, 'watcher_removed', agentId, current.role, now);
    }
    return s.watchers.listForTicket(ctx.tenant.id, ticket.id);
  });
}

/** Keeps the `assignee` watcher row in step with an assignment, inside its transaction. */
export async function syncAssigneeWatcher(
  s: Stores,
  ticket: Ticket,
  from: string | null,
  to: string | null,
): Promise<void> {
  if (from === to) return;
  if (from) await s.watchers.remove(ticket.tenantId, ticket.id, from, 'assignee');
  if (to) {
    const current = (await s.watchers.listForTicket(ticket.tenantId, ticket.id)).find(
      (w) => w.agentId === to,
    );
    await s.watchers.upsert(ticket.tenantId, {
      ticketId: ticket.id,
      agentId: to,
      role: 'assignee',
      notify: current?.notify ?? DEFAULT_NOTIFY,
    });
  }
}
