/** What the bot may read before a step: categories, open tickets, a pending CSAT, targets. */
import type { FlowContext, TicketSummary } from '../../engine/flow-types.js';
import type { Tenant, Ticket } from '../../domain/records.js';
import type { Conversation, Stores } from '../../ports/stores.js';
import type { AppDeps } from '../context.js';
import { slaTargetsOf, vocabularyOf } from '../tenant-policy.js';

const summary = (t: Ticket): TicketSummary => ({
  number: t.number,
  subject: t.subject,
  status: t.status,
});

export async function loadFlowContext(
  s: Stores,
  deps: AppDeps,
  tenant: Tenant,
  conversation: Conversation,
  now: Date,
): Promise<FlowContext> {
  const vocab = vocabularyOf(tenant);
  const open = await s.tickets.listOpenForCustomer(tenant.id, conversation.customerId, 5);
  const csat = conversation.csatTicketId
    ? await s.tickets.findById(tenant.id, conversation.csatTicketId)
    : null;
  const receipt = conversation.data.receipt as FlowContext['receipt'] | undefined;
  return {
    now,
    categories: vocab.categories,
    openTickets: open.map(summary),
    ...(csat && csat.status === 'resolved' ? { csatTicket: summary(csat) } : {}),
    firstResponseSeconds: slaTargetsOf(tenant)[vocab.default_priority].first_response_seconds,
    supportedLanguages: deps.bot?.translator.languages ?? ['en'],
    ...(receipt ? { receipt } : {}),
  };
}
