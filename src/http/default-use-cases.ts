/** The real use cases from src/app, bound to the HTTP layer's `HttpUseCases` shape. */
import { createAgent, issueAgentApiKey, listAgents } from '../app/agents.js';
import { authenticateApiKey } from '../app/authenticate.js';
import { createTicket } from '../app/create-ticket.js';
import {
  createCustomer,
  getCustomer,
  listCustomers,
  listCustomerTickets,
} from '../app/customers.js';
import {
  getTicket,
  listTicketEvents,
  listTickets,
  ticketQueueCounts,
} from '../app/query-tickets.js';
import { createTenant } from '../app/tenants.js';
import { addTicketMessage, listTicketMessages } from '../app/ticket-messages.js';
import { decideApproval, updateTicket } from '../app/update-ticket.js';
import { createReceiptLink } from '../app/receipt-links.js';
import { retryMessageDelivery } from '../app/retry-delivery.js';
import { getTenantSettings, updateTenantSettings } from '../app/tenant-settings.js';
import { listWatchers, removeWatcher, setWatcher } from '../app/watchers.js';
import { createGroup, listGroups, updateGroup } from '../app/groups.js';
import {
  deleteSlaOverride,
  getSlaPolicy,
  listSlaOverrides,
  putSlaOverride,
  updateSlaPolicy,
} from '../app/sla-policies.js';
import {
  cancelScheduledTicket,
  getScheduledTicket,
  listScheduledTickets,
  scheduleTicket,
} from '../app/scheduled-tickets.js';
import { getDailyReport } from '../app/daily-report.js';
import type { HttpUseCases } from './use-cases.js';

export const defaultUseCases: HttpUseCases = {
  createTenant,
  authenticateApiKey,
  createTicket,
  listTickets,
  getTicket,
  listTicketEvents,
  ticketQueueCounts,
  updateTicket,
  decideApproval,
  addTicketMessage,
  listTicketMessages,
  retryMessageDelivery,
  createCustomer,
  listCustomers,
  getCustomer,
  listCustomerTickets,
  createAgent,
  listAgents,
  issueAgentApiKey,
  listGroups,
  createGroup,
  updateGroup,
  listWatchers,
  setWatcher,
  removeWatcher,
  createReceiptLink,
  getTenantSettings,
  updateTenantSettings,
  getSlaPolicy,
  updateSlaPolicy,
  listSlaOverrides,
  putSlaOverride,
  deleteSlaOverride,
  scheduleTicket,
  listScheduledTickets,
  getScheduledTicket,
  cancelScheduledTicket,
  getDailyReport,
};
