/** Finding a ticket by id or number within the caller's tenant; another tenant's is "not found". */
import { notFound } from '../domain/errors.js';
import type { Tenant, Ticket } from '../domain/records.js';
import { parseTicketRef, yearInTimeZone } from '../domain/ticket-number.js';
import type { Stores } from '../ports/stores.js';
import type { AppDeps } from './context.js';

export async function findTicket(
  stores: Stores,
  tenant: Tenant,
  ref: string,
  now: Date,
  opts?: { forUpdate?: boolean },
): Promise<Ticket> {
  const parsed = parseTicketRef(ref, yearInTimeZone(now, tenant.timezone));
  const lookup = (o?: { forUpdate?: boolean }) =>
    parsed?.kind === 'id'
      ? stores.tickets.findById(tenant.id, parsed.id, o)
      : parsed?.kind === 'number'
        ? stores.tickets.findByNumber(tenant.id, parsed.number, o)
        : Promise.resolve(null);
  if (!opts?.forUpdate) {
    const found = await lookup();
    if (!found) throw notFound(`ticket ${ref}`);
    return found;
  }
  // Lock order: a ticket's conversation before the ticket. The inbound pipeline holds the
  // conversation while it threads a customer's message into the ticket; a change that locked
  // the ticket first and then touched the conversation (an agent's reply, a CSAT prompt on
  // resolve) could deadlock with it. Re-locking a row this transaction holds does not wait.
  const peek = await lookup();
  if (!peek) throw notFound(`ticket ${ref}`);
  if (peek.conversationId) {
    await stores.conversations.findById(tenant.id, peek.conversationId, { forUpdate: true });
  }
  const ticket = await lookup({ forUpdate: true });
  if (!ticket) throw notFound(`ticket ${ref}`);
  return ticket;
}

export const readTicket = (deps: AppDeps, tenant: Tenant, ref: string): Promise<Ticket> =>
  findTicket(deps.uow.read, tenant, ref, deps.clock.now());
