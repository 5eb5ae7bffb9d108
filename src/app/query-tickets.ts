/** Reading tickets: lists with filters and keyset pages, one ticket, its audit trail, queue counts. */
import { invalid } from '../domain/errors.js';
import type { AuditEvent, Ticket } from '../domain/records.js';
import type { TicketFilter, TicketQueueCounts } from '../ports/stores.js';
import type { AppDeps, RequestContext } from './context.js';
import type { ListTicketsInput } from './inputs.js';
import { readTicket } from './ticket-lookup.js';
import { isUuid } from '../domain/uuid.js';

function assigneeFilter(ctx: RequestContext, value: string | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === 'none') return null;
  if (value === 'me') {
    if (ctx.actor.type !== 'agent')
      throw invalid('assignee_id=me needs an API key bound to an agent');
    return ctx.actor.id;
  }
  if (!isUuid(value)) throw invalid('assignee_id must be an agent id, "me" or "none"');
  return value;
}

export async function listTickets(
  deps: AppDeps,
  ctx: RequestContext,
  input: ListTicketsInput,
): Promise<{ data: Ticket[]; nextCursor: string | null }> {
  const filter: TicketFilter = {};
  if (input.status?.length) filter.status = input.status;
  if (input.priority?.length) filter.priority = input.priority;
  if (input.category?.length) filter.category = input.category;
  const assignee = assigneeFilter(ctx, input.assignee_id);
  if (assignee !== undefined) filter.assigneeId = assignee;
  if (input.customer_id) {
    if (!isUuid(input.customer_id)) throw invalid('customer_id must be a customer id');
    filter.customerId = input.customer_id;
  }
  if (input.overdue) filter.overdueAt = deps.clock.now();
  if (input.q?.trim()) filter.q = input.q.trim();
  // An overdue view wants the most overdue first (and that order is the one an index serves).
  const sort = input.sort ?? (input.overdue ? 'sla_due_at' : '-created_at');
  return deps.uow.read.tickets.list(ctx.tenant.id, filter, sort, {
    limit: input.limit ?? 50,
    ...(input.cursor ? { cursor: input.cursor } : {}),
  });
}

export function getTicket(deps: AppDeps, ctx: RequestContext, ref: string): Promise<Ticket> {
  return readTicket(deps, ctx.tenant, ref);
}

export async function listTicketEvents(
  deps: AppDeps,
  ctx: RequestContext,
  ref: string,
): Promise<AuditEvent[]> {
  const ticket = await readTicket(deps, ctx.tenant, ref);
  return deps.uow.read.audit.listForTicket(ctx.tenant.id, ticket.id);
}

export function ticketQueueCounts(deps: AppDeps, ctx: RequestContext): Promise<TicketQueueCounts> {
  const agentId = ctx.actor.type === 'agent' ? ctx.actor.id : undefined;
  return deps.uow.read.tickets.queueCounts(ctx.tenant.id, deps.clock.now(), agentId);
}
