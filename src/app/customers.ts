/** Customers: found by any of their identities, merged when one request matches several. */
import { actorRef } from '../domain/actor.js';
import { invalid, notFound } from '../domain/errors.js';
import type { Customer, Ticket } from '../domain/records.js';
import type { Stores } from '../ports/stores.js';
import type { AppDeps, RequestContext } from './context.js';
import { identitiesOf } from './customer-identity.js';
import type { CustomerInput, ListTicketsInput } from './inputs.js';
import { listTickets } from './query-tickets.js';

/** Finds the customer owning any of the input's identities, or creates one; inside a transaction. */
export async function resolveCustomer(
  s: Stores,
  ctx: RequestContext,
  input: CustomerInput,
  now: Date,
): Promise<Customer> {
  const tenantId = ctx.tenant.id;
  const identities = identitiesOf(input);
  await s.customers.lockIdentities(tenantId, identities);
  const matches = await s.customers.findByIdentities(tenantId, identities);
  const who = actorRef(ctx.actor);
  const audit = (
    entityId: string,
    action: string,
    changes: Record<string, { from: unknown; to: unknown }>,
  ) =>
    s.audit.record({
      tenantId,
      entityType: 'customer',
      entityId,
      action,
      actorType: who.actor_type,
      actorId: who.actor_id,
      changes,
      createdAt: now,
    });

  let customer = matches[0];
  let changed = matches.length !== 1; // created or merged
  if (!customer) {
    customer = await s.customers.create(tenantId, {
      name: input.name ?? null,
      language: input.language ?? null,
    });
    await audit(customer.id, 'created', { name: { from: null, to: customer.name } });
  } else {
    for (const other of matches.slice(1)) {
      await s.customers.merge(tenantId, customer.id, other.id);
      await audit(customer.id, 'merged', {
        merged_customer_id: { from: other.id, to: customer.id },
      });
    }
    if (!customer.name && input.name) {
      await s.customers.update(tenantId, customer.id, { name: input.name });
      changed = true;
    }
  }
  const known = new Set(matches.flatMap((m) => m.identities.map((i) => `${i.kind}:${i.value}`)));
  const added = identities.filter((i) => !known.has(`${i.kind}:${i.value}`));
  if (added.length > 0) {
    await s.customers.addIdentities(tenantId, customer.id, added);
    await audit(customer.id, 'identities_added', {
      identities: { from: null, to: added.map((i) => `${i.kind}:${i.value}`) },
    });
    changed = true;
  }
  // A returning customer who brought nothing new is as found (the usual inbound message).
  if (!changed) return customer;
  return (await s.customers.findById(tenantId, customer.id)) ?? customer;
}

export function createCustomer(
  deps: AppDeps,
  ctx: RequestContext,
  input: CustomerInput,
): Promise<Customer> {
  return deps.uow.transaction((s) => resolveCustomer(s, ctx, input, deps.clock.now()));
}

export async function getCustomer(
  deps: AppDeps,
  ctx: RequestContext,
  id: string,
): Promise<Customer> {
  const customer = /^[0-9a-f-]{36}$/i.test(id)
    ? await deps.uow.read.customers.findById(ctx.tenant.id, id)
    : null;
  if (!customer) throw notFound(`customer ${id}`);
  return customer;
}

export async function listCustomers(
  deps: AppDeps,
  ctx: RequestContext,
  page: { limit?: number; cursor?: string },
): Promise<{ data: Customer[]; nextCursor: string | null }> {
  const limit = page.limit ?? 50;
  let after: { createdAt: Date; id: string } | undefined;
  if (page.cursor) {
    const [createdAt, id] = Buffer.from(page.cursor, 'base64url').toString('utf8').split('|');
    const date = new Date(createdAt ?? '');
    if (!id || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(date.getTime())) {
      throw invalid('cursor is not valid for this query');
    }
    after = { createdAt: date, id };
  }
  const rows = await deps.uow.read.customers.list(ctx.tenant.id, {
    limit: limit + 1,
    ...(after ? { after } : {}),
  });
  const data = rows.slice(0, limit);
  const last = rows.length > limit ? data[data.length - 1] : undefined;
  const nextCursor = last
    ? Buffer.from(`${last.createdAt.toISOString()}|${last.id}`).toString('base64url')
    : null;
  return { data, nextCursor };
}

export async function listCustomerTickets(
  deps: AppDeps,
  ctx: RequestContext,
  id: string,
  input: ListTicketsInput,
): Promise<{ data: Ticket[]; nextCursor: string | null }> {
  const customer = await getCustomer(deps, ctx, id);
  return listTickets(deps, ctx, { ...input, customer_id: customer.id });
}
