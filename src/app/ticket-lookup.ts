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
  // Lock order: a ticket's conversation before the ticket. The inbound pipeline holds the
  // conversation while it threads a customer's message into the ticket; a change that locked
  // the ticket first and then touched the conversation (an agent's reply, a CSAT prompt on
  // resolve) could deadlock with it. Re-locking a row this transaction holds does not wait.
  if (opts?.forUpdate && parsed) {
    await stores.conversations.lockForTicket(
      tenant.id,
      parsed.kind === 'id' ? { id: parsed.id } : { number: parsed.number },
    );
  }
  const ticket =
    parsed?.kind === 'id'
      ? await stores.tickets.findById(tenant.id, parsed.id, opts)
      : parsed?.kind === 'number'
        ? await stores.tickets.findByNumber(tenant.id, parsed.number, opts)
        : null;
  if (!ticket) throw notFound(`ticket ${ref}`, { key: 'ticket_not_found', params: { ref } });
  return ticket;
}

export const readTicket = (deps: AppDeps, tenant: Tenant, ref: string): Promise<Ticket> =>
  findTicket(deps.uow.read, tenant, ref, deps.clock.now());
