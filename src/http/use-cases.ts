/**
 * The use cases the HTTP layer calls, as one injectable object. `default-use-cases.ts` binds
 * them to src/app; tests pass fakes. Signatures follow src/app exactly.
 */
import type { AppDeps, RequestContext } from '../app/context.js';
import type {
  AddMessageInput,
  CreateAgentInput,
  CreateTicketInput,
  CustomerInput,
  ListTicketsInput,
  UpdateTicketInput,
} from '../app/inputs.js';
import type { ReceiptLink } from '../app/receipt-links.js';
import type { WatcherInput } from '../app/watchers.js';
import type { GroupInput } from '../app/groups.js';
import type { AgentGroupDetails } from '../ports/stores.js';
import type { ReceiptContext } from '../ports/stores.js';
import type {
  Agent,
  AuditEvent,
  Customer,
  Message,
  Tenant,
  Ticket,
  TenantSettings,
  Watcher,
} from '../domain/records.js';
import type { TicketQueueCounts } from '../ports/stores.js';
import type { ScheduledTicket, StoredDailyReport } from '../ports/timer-stores.js';
import type { ListScheduledInput, ScheduleTicketInput } from '../app/scheduled-tickets.js';
import type {
  SlaOverrideBodyOut,
  SlaOverrideInput,
  SlaOverrideScopeName,
  SlaPolicyBodyOut,
  SlaPolicyInput,
} from './schemas/sla-policy.js';

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface HttpUseCases {
  createTenant(
    deps: AppDeps,
    input: { name: string; slug: string; timezone?: string },
  ): Promise<{ tenant: Tenant; apiKey: string }>;
  authenticateApiKey(deps: AppDeps, rawKey: string): Promise<RequestContext | null>;

  createTicket(
    deps: AppDeps,
    ctx: RequestContext,
    input: CreateTicketInput,
    opts?: { idempotencyKey?: string },
  ): Promise<Ticket>;
  listTickets(deps: AppDeps, ctx: RequestContext, input: ListTicketsInput): Promise<Page<Ticket>>;
  getTicket(deps: AppDeps, ctx: RequestContext, ref: string): Promise<Ticket>;
  listTicketEvents(deps: AppDeps, ctx: RequestContext, ref: string): Promise<AuditEvent[]>;
  ticketQueueCounts(deps: AppDeps, ctx: RequestContext): Promise<TicketQueueCounts>;
  updateTicket(
    deps: AppDeps,
    ctx: RequestContext,
    ref: string,
    input: UpdateTicketInput,
  ): Promise<Ticket>;
  decideApproval(
    deps: AppDeps,
    ctx: RequestContext,
    ref: string,
    decision: 'approve' | 'reject',
  ): Promise<Ticket>;
  addTicketMessage(
    deps: AppDeps,
    ctx: RequestContext,
    ref: string,
    input: AddMessageInput,
  ): Promise<Message>;
  listTicketMessages(deps: AppDeps, ctx: RequestContext, ref: string): Promise<Message[]>;
  retryMessageDelivery(
    deps: AppDeps,
    ctx: RequestContext,
    ref: string,
    messageId: string,
  ): Promise<Message>;

  createCustomer(deps: AppDeps, ctx: RequestContext, input: CustomerInput): Promise<Customer>;
  listCustomers(
    deps: AppDeps,
    ctx: RequestContext,
    page: { limit?: number; cursor?: string },
  ): Promise<Page<Customer>>;
  getCustomer(deps: AppDeps, ctx: RequestContext, id: string): Promise<Customer>;
  listCustomerTickets(
    deps: AppDeps,
    ctx: RequestContext,
    id: string,
    input: ListTicketsInput,
  ): Promise<Page<Ticket>>;

  createAgent(deps: AppDeps, ctx: RequestContext, input: CreateAgentInput): Promise<Agent>;
  listAgents(deps: AppDeps, ctx: RequestContext): Promise<Agent[]>;
  issueAgentApiKey(
    deps: AppDeps,
    ctx: RequestContext,
    agentId: string,
  ): Promise<{ apiKey: string }>;

  listGroups(deps: AppDeps, ctx: RequestContext): Promise<AgentGroupDetails[]>;
  createGroup(
    deps: AppDeps,
    ctx: RequestContext,
    input: GroupInput & { name: string },
  ): Promise<AgentGroupDetails>;
  updateGroup(
    deps: AppDeps,
    ctx: RequestContext,
    groupId: string,
    input: GroupInput,
  ): Promise<AgentGroupDetails>;

  listWatchers(deps: AppDeps, ctx: RequestContext, ref: string): Promise<Watcher[]>;
  setWatcher(
    deps: AppDeps,
    ctx: RequestContext,
    ref: string,
    agentId: string,
    input: WatcherInput,
  ): Promise<Watcher[]>;
  removeWatcher(
    deps: AppDeps,
    ctx: RequestContext,
    ref: string,
    agentId: string,
  ): Promise<Watcher[]>;

  getTenantSettings(deps: AppDeps, ctx: RequestContext): Promise<TenantSettings>;
  updateTenantSettings(
    deps: AppDeps,
    ctx: RequestContext,
    patch: TenantSettings,
  ): Promise<TenantSettings>;
  createReceiptLink(
    deps: AppDeps,
    ctx: RequestContext,
    input: ReceiptContext & { expires_in_days?: number | undefined },
  ): Promise<ReceiptLink>;

  /** `GET|PUT /sla-policy`: mounted only when both are given (the use cases come later). */
  getSlaPolicy?(deps: AppDeps, ctx: RequestContext): Promise<SlaPolicyBodyOut>;
  updateSlaPolicy?(
    deps: AppDeps,
    ctx: RequestContext,
    input: SlaPolicyInput,
  ): Promise<SlaPolicyBodyOut>;
  /** Extension: overrides by group, category or customer tier (mounted when all three are given). */
  listSlaOverrides?(deps: AppDeps, ctx: RequestContext): Promise<SlaOverrideBodyOut[]>;
  putSlaOverride?(
    deps: AppDeps,
    ctx: RequestContext,
    scope: SlaOverrideScopeName,
    value: string,
    policy: SlaOverrideInput,
  ): Promise<SlaOverrideBodyOut>;
  deleteSlaOverride?(
    deps: AppDeps,
    ctx: RequestContext,
    scope: SlaOverrideScopeName,
    value: string,
  ): Promise<SlaOverrideBodyOut[]>;
  /** Extension: scheduled tickets (mounted when all four are given). */
  scheduleTicket?(
    deps: AppDeps,
    ctx: RequestContext,
    input: ScheduleTicketInput,
  ): Promise<{ scheduled: ScheduledTicket; created: boolean }>;
  listScheduledTickets?(
    deps: AppDeps,
    ctx: RequestContext,
    input: ListScheduledInput,
  ): Promise<Page<ScheduledTicket>>;
  getScheduledTicket?(
    deps: AppDeps,
    ctx: RequestContext,
    idOrKey: string,
  ): Promise<ScheduledTicket>;
  cancelScheduledTicket?(
    deps: AppDeps,
    ctx: RequestContext,
    idOrKey: string,
  ): Promise<ScheduledTicket>;
  /** Extension: `GET /reports/daily` (mounted when given). */
  getDailyReport?(deps: AppDeps, ctx: RequestContext, date?: string): Promise<StoredDailyReport>;
}
