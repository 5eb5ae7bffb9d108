/**
 * What the use cases need from storage. `Stores` is one consistent view: inside
 * `UnitOfWork.transaction` every call runs in the same database transaction, so a change, its
 * audit events and its outbox rows commit together or not at all.
 */
import type { WebhookSubscriptionStore } from './webhook-subscriptions.js';
import type { OutboxRetentionStore } from './outbox-retention.js';
import type { QueueCountsStore } from './queue-counts.js';
import type { DeliveryRetryStore } from './delivery-retry.js';
import type { AssignmentCandidate, AssignmentStrategy } from '../domain/assignment.js';
import type { SlaPolicyRecord } from '../domain/sla-policy.js';
import type {
  Agent,
  AttachmentRef,
  AuditEvent,
  Customer,
  CustomerIdentity,
  Message,
  Tenant,
  TenantSettings,
  Ticket,
  TicketLinks,
  Watcher,
} from '../domain/records.js';
import type {
  AgentRole,
  AuthorType,
  Channel,
  DeliveryStatus,
  Priority,
  TicketKind,
  TicketStatus,
  WatcherRole,
} from '../domain/vocabulary.js';
import type { CustomerChannel } from './channel.js';
import type { OutboxEnqueue, OutboxWriter } from './outbox.js';
import type {
  AutoCloseStore,
  DailyReportStore,
  ScheduledTicketStore,
  WhatsappWindowStore,
} from './timer-stores.js';
import type { InboundFloodStore } from './inbound-flood-store.js';
import type { SlaEscalationStore, SlaSweepStore } from './sla-stores.js';

export interface TenantStore {
  create(input: { name: string; slug: string; timezone?: string }): Promise<Tenant>;
  findById(id: string): Promise<Tenant | null>;
  findBySlug(slug: string): Promise<Tenant | null>;
  updateSettings(id: string, settings: TenantSettings): Promise<void>;
}

export interface ApiKeyRecord {
  id: string;
  tenantId: string;
  agentId: string | null;
  revokedAt: Date | null;
}

export interface ApiKeyStore {
  create(input: {
    tenantId: string;
    name: string;
    keyHash: string;
    prefix: string;
    agentId?: string | null;
  }): Promise<ApiKeyRecord>;
  findByHash(keyHash: string): Promise<ApiKeyRecord | null>;
  touch(id: string, at: Date): Promise<void>;
}

export interface NewCustomer {
  name?: string | null;
  language?: string | null;
  tier?: string | null;
}

export interface CustomerStore {
  create(tenantId: string, input: NewCustomer): Promise<Customer>;
  findById(tenantId: string, id: string): Promise<Customer | null>;
  /** Serializes concurrent find-or-create on the same identities until the transaction ends. */
  lockIdentities(tenantId: string, identities: CustomerIdentity[]): Promise<void>;
  /** Customers owning any of these identities (a match on several means a merge is due). */
  findByIdentities(tenantId: string, identities: CustomerIdentity[]): Promise<Customer[]>;
  /** Adds identities; ones that already belong to this customer are skipped. */
  addIdentities(
    tenantId: string,
    customerId: string,
    identities: CustomerIdentity[],
  ): Promise<void>;
  update(tenantId: string, id: string, patch: NewCustomer): Promise<void>;
  /** Moves identities, tickets, conversations and messages of `fromId` onto `intoId`, then deletes `fromId`. */
  merge(tenantId: string, intoId: string, fromId: string): Promise<void>;
  list(
    tenantId: string,
    page: { limit: number; after?: { createdAt: Date; id: string } },
  ): Promise<Customer[]>;
}

export interface NewAgent {
  name: string;
  email?: string | null;
  role: AgentRole;
  slackUserId?: string | null;
  telegramUserId?: string | null;
  capacity?: number | null;
  groups?: string[];
}

export interface AgentStore {
  create(tenantId: string, input: NewAgent): Promise<Agent>;
  findById(tenantId: string, id: string): Promise<Agent | null>;
  list(tenantId: string): Promise<Agent[]>;
}

export interface NewTicket {
  tenantId: string;
  number: string;
  subject: string;
  description: string | null;
  status: TicketStatus;
  priority: Priority;
  category: string;
  kind: TicketKind;
  channel: Channel;
  customerId: string;
  assigneeId: string | null;
  links: TicketLinks;
  deliveryDate: string | null;
  withinPolicyWindow: boolean | null;
  daysLate: number | null;
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  slaDueAt: Date | null;
  /** The SLA sweep's wake-up (now for an open ticket; see ticket-change-set.ts). */
  slaNextCheckAt?: Date | null;
  conversationId?: string | null;
  createdAt: Date;
}

/** Column-level changes a use case applies to a ticket (already validated by the domain). */
export interface TicketChanges {
  status?: TicketStatus;
  priority?: Priority;
  category?: string;
  assigneeId?: string | null;
  links?: TicketLinks;
  resolution?: { code: string; notes: string | null; reference: string | null } | null;
  approval?: unknown;
  firstResponseAt?: Date | null;
  firstResponseDueAt?: Date | null;
  resolutionDueAt?: Date | null;
  slaDueAt?: Date | null;
  slaBreached?: boolean;
  slaPausedAt?: Date | null;
  /** The SLA sweep's next look at the ticket (kept in `sla_checks`); null: none. */
  slaNextCheckAt?: Date | null;
  firstResponseBreachedAt?: Date | null;
  resolutionBreachedAt?: Date | null;
  firstResponseSeconds?: number | null;
  firstResponseBusinessSeconds?: number | null;
  resolutionSeconds?: number | null;
  resolutionBusinessSeconds?: number | null;
  resolvedAt?: Date | null;
  closedAt?: Date | null;
  lastDeliveryError?: string | null;
  csatSolved?: boolean | null;
  csatRating?: number | null;
  updatedAt: Date;
}

export type TicketSort = 'created_at' | '-created_at' | '-priority' | 'sla_due_at';

export interface TicketFilter {
  status?: TicketStatus[];
  priority?: Priority[];
  category?: string[];
  /** `null` means unassigned. */
  assigneeId?: string | null;
  customerId?: string;
  overdueAt?: Date;
  q?: string;
}

export interface TicketQueueCounts {
  byStatus: Record<string, number>;
  unassigned: number;
  overdue: number;
  mine?: number;
}

export interface TicketStore {
  /** Next gapless sequence number for (tenant, year); locks the counter until commit. */
  nextSequence(tenantId: string, year: number): Promise<number>;
  insert(ticket: NewTicket): Promise<Ticket>;
  findById(tenantId: string, id: string, opts?: { forUpdate?: boolean }): Promise<Ticket | null>;
  findByNumber(
    tenantId: string,
    number: string,
    opts?: { forUpdate?: boolean },
  ): Promise<Ticket | null>;
  update(tenantId: string, id: string, changes: TicketChanges): Promise<Ticket>;
  list(
    tenantId: string,
    filter: TicketFilter,
    sort: TicketSort,
    page: { limit: number; cursor?: string },
  ): Promise<{ data: Ticket[]; nextCursor: string | null }>;
  queueCounts(tenantId: string, at: Date, agentId?: string): Promise<TicketQueueCounts>;
  /** A customer's open tickets, newest first. */
  listOpenForCustomer(tenantId: string, customerId: string, limit: number): Promise<Ticket[]>;
}

/** A message in the agents' workspace: Slack channel and ts. */
export interface WorkspaceMessageRef {
  channel: string;
  ts: string;
}

export interface NewMessage {
  tenantId: string;
  ticketId: string | null;
  authorType: AuthorType;
  authorId: string | null;
  body: string;
  internal: boolean;
  channel: Channel;
  externalId?: string | null;
  conversationId?: string | null;
  deliveryStatus?: DeliveryStatus | null;
  /** Buttons, list or media sent along with the text (kept for the web chat). */
  outbound?: Record<string, unknown> | null;
  /** Where it already shows in the agents' workspace (an agent's Slack thread reply). */
  workspaceRef?: WorkspaceMessageRef | null;
  createdAt: Date;
}

export interface ConversationMessage {
  id: string;
  authorType: AuthorType;
  body: string;
  externalId: string | null;
  outbound: Record<string, unknown> | null;
  createdAt: Date;
}

export interface MessageStore {
  /** Returns null when (tenant, channel, externalId) was already recorded. */
  insert(message: NewMessage): Promise<Message | null>;
  listForTicket(tenantId: string, ticketId: string): Promise<Message[]>;
  findById(tenantId: string, id: string): Promise<Message | null>;
  /** A conversation's public messages (no internal notes), oldest first, after `afterId`. */
  listForConversation(
    tenantId: string,
    conversationId: string,
    afterId: string | undefined,
    limit: number,
  ): Promise<ConversationMessage[]>;
  setDeliveryStatus(
    tenantId: string,
    id: string,
    status: DeliveryStatus,
    error?: string | null,
  ): Promise<void>;
  /**
   * A platform's delivery receipt for a message we sent: moves `delivery_status` forward only
   * (sent → delivered → read; failed from any). Returns the message, or null when unknown.
   */
  applyDeliveryReceipt(
    tenantId: string,
    channel: Channel,
    externalId: string,
    status: DeliveryStatus,
    error?: string | null,
  ): Promise<{ id: string; ticketId: string | null; authorType: AuthorType } | null>;
  /**
   * Where the message shows in the agents' workspace (Slack): the agent's own thread reply, or
   * our copy of it in the ticket's thread. Delivery marks (reactions) go on that message.
   */
  setWorkspaceRef(tenantId: string, id: string, ref: WorkspaceMessageRef): Promise<void>;
  findWorkspaceRef(tenantId: string, id: string): Promise<WorkspaceMessageRef | null>;
  /** Gives a conversation's messages that have no ticket yet (and their attachments) to `ticketId`. */
  adoptConversationMessages(
    tenantId: string,
    conversationId: string,
    ticketId: string,
  ): Promise<number>;
  setTicket(tenantId: string, id: string, ticketId: string): Promise<void>;
  /**
   * Records a message we send and queues its delivery in one statement (as `insert`, then
   * `OutboxWriter.enqueue` of `delivery(id)`, which may name the message). Returns its id.
   */
  insertForDelivery(
    message: NewMessage,
    delivery: (messageId: string) => OutboxEnqueue,
  ): Promise<string>;
}

export interface AttachmentRecordStore {
  insert(input: {
    tenantId: string;
    ticketId: string | null;
    messageId: string | null;
    sha256: string;
    sizeBytes: number;
    mimeType: string;
    fileName: string;
  }): Promise<AttachmentRef>;
}

export interface NewAuditEvent {
  tenantId: string;
  entityType: string;
  entityId: string;
  ticketId?: string | null;
  action: string;
  actorType: string;
  actorId: string | null;
  changes?: Record<string, { from: unknown; to: unknown }>;
  createdAt: Date;
}

export interface AuditLog {
  record(event: NewAuditEvent): Promise<void>;
  listForTicket(tenantId: string, ticketId: string): Promise<AuditEvent[]>;
}

export interface WatcherStore {
  upsert(tenantId: string, watcher: Watcher): Promise<void>;
  remove(tenantId: string, ticketId: string, agentId: string, role?: WatcherRole): Promise<void>;
  listForTicket(tenantId: string, ticketId: string): Promise<Watcher[]>;
}

export interface StoredResponse {
  requestHash: string;
  status: number | null;
  body: unknown;
}

export interface IdempotencyStore {
  /**
   * Claims `key` for this request. Returns null when the claim is new (the caller goes on and
   * then `complete`s it), or the earlier request's stored answer. Blocks while another
   * transaction holds the same key, so concurrent duplicates wait for the first answer.
   */
  claim(
    tenantId: string,
    scope: string,
    key: string,
    requestHash: string,
    at: Date,
  ): Promise<StoredResponse | null>;
  complete(
    tenantId: string,
    scope: string,
    key: string,
    status: number,
    body: unknown,
  ): Promise<void>;
}

export interface Conversation {
  id: string;
  tenantId: string;
  channel: CustomerChannel;
  chatId: string;
  customerId: string;
  language: string;
  flow: string | null;
  step: string | null;
  data: Record<string, unknown>;
  csatTicketId: string | null;
  blocked: boolean;
  lastInboundAt: Date | null;
  lastOutboundAt: Date | null;
  remindAt: Date | null;
  remindedAt: Date | null;
  /** The end of the latest inbound flood hold (src/domain/inbound-flood.ts); null = never held. */
  floodHoldUntil: Date | null;
  /** Held customer messages not yet summarized to the agents. */
  floodHeldCount: number;
}

export type ConversationPatch = Partial<
  Pick<
    Conversation,
    | 'language'
    | 'flow'
    | 'step'
    | 'data'
    | 'csatTicketId'
    | 'blocked'
    | 'lastInboundAt'
    | 'lastOutboundAt'
    | 'remindAt'
    | 'remindedAt'
    | 'customerId'
    | 'floodHoldUntil'
    | 'floodHeldCount'
  >
> & {
  /** The WhatsApp window timer (whatsapp-window-timer.ts); not part of `Conversation`. */
  windowWarnAt?: Date | null;
};

export interface ConversationStore {
  /** The conversation for this chat, created when new, locked until the transaction ends. */
  lockOrCreate(
    tenantId: string,
    channel: CustomerChannel,
    chatId: string,
    init: { customerId: string; language: string },
  ): Promise<Conversation>;
  findById(
    tenantId: string,
    id: string,
    opts?: { forUpdate?: boolean },
  ): Promise<Conversation | null>;
  /**
   * Locks the conversation a ticket came from (by ticket id or number), if it has one, without
   * locking the ticket: ticket changes take the conversation first (see ticket-lookup.ts).
   */
  lockForTicket(tenantId: string, ticket: { id: string } | { number: string }): Promise<void>;
  findByChat(
    tenantId: string,
    channel: CustomerChannel,
    chatId: string,
  ): Promise<Conversation | null>;
  /** The customer's most recently active conversation on a channel (for API-opened tickets). */
  findLatestForCustomer(
    tenantId: string,
    customerId: string,
    channel: string,
  ): Promise<Conversation | null>;
  update(tenantId: string, id: string, patch: ConversationPatch, at: Date): Promise<void>;
  /** Conversations whose flow reminder is due, locked (SKIP LOCKED) for this transaction. */
  claimDueReminders(at: Date, limit: number): Promise<Conversation[]>;
}

export interface ReceiptContext {
  store_ref?: string;
  product_sku?: string;
  invoice_ref?: string;
  purchase_date?: string;
}

export interface ReceiptLinkStore {
  create(input: {
    tenantId: string;
    code: string;
    context: ReceiptContext;
    expiresAt: Date;
  }): Promise<void>;
  findByCode(
    code: string,
  ): Promise<{ tenantId: string; context: ReceiptContext; expiresAt: Date } | null>;
}

export interface AssignmentGroup {
  id: string;
  tenantId: string;
  name: string;
  strategy: AssignmentStrategy;
  /** Round-robin cursor: the member picked last. */
  lastAssignedAgentId: string | null;
  /** Where the group's ticket cards are posted (else SLACK_TRIAGE_CHANNEL). */
  slackChannelId: string | null;
}

/** A queue as admins manage it: name, Slack channel, assignment strategy, members. */
export interface AgentGroupDetails extends AssignmentGroup {
  memberIds: string[];
  createdAt: Date;
}

export interface GroupStore {
  list(tenantId: string): Promise<AgentGroupDetails[]>;
  find(tenantId: string, groupId: string): Promise<AgentGroupDetails | null>;
  /** Null when the tenant already has a group of that name. */
  create(
    tenantId: string,
    input: { name: string; slackChannelId: string | null; strategy: AssignmentStrategy },
  ): Promise<AgentGroupDetails | null>;
  /** False when the new name is taken by another group. */
  update(
    tenantId: string,
    groupId: string,
    input: { name?: string; slackChannelId?: string | null; strategy?: AssignmentStrategy },
  ): Promise<boolean>;
  /** Replaces the members (agents of the tenant only). */
  setMembers(tenantId: string, groupId: string, agentIds: readonly string[]): Promise<void>;
}

/** Automatic assignment: groups, their members' load, and each group's waiting queue. */
export interface AssignmentStore {
  /**
   * The group, locked (FOR UPDATE) with its members' agent rows (FOR NO KEY UPDATE, by id) so
   * concurrent assignments in the group, and to an agent of several groups, take turns.
   */
  lockGroup(tenantId: string, groupId: string): Promise<AssignmentGroup | null>;
  findGroup(tenantId: string, groupId: string): Promise<AssignmentGroup | null>;
  findGroupByName(tenantId: string, name: string): Promise<AssignmentGroup | null>;
  /** Members in a stable order (joined the agents table first), with their open tickets. */
  listCandidates(tenantId: string, groupId: string): Promise<AssignmentCandidate[]>;
  /** Ids of the oldest unassigned open tickets of the group, locked (SKIP LOCKED). */
  claimWaiting(tenantId: string, groupId: string, limit: number): Promise<string[]>;
  /** Moves the cursor to `agentId` and stamps the member's last assignment. */
  recordAssignment(tenantId: string, groupId: string, agentId: string, at: Date): Promise<void>;
  setStrategy(tenantId: string, groupId: string, strategy: AssignmentStrategy): Promise<void>;
  setTicketGroup(
    tenantId: string,
    ticketId: string,
    groupId: string | null,
    at: Date,
  ): Promise<void>;
  setAgentAvailability(tenantId: string, agentId: string, available: boolean): Promise<void>;
  setAgentCapacity(tenantId: string, agentId: string, capacity: number | null): Promise<void>;
  /** Ids of the groups an agent belongs to (to backfill when the agent frees up). */
  groupIdsOfAgent(tenantId: string, agentId: string): Promise<string[]>;
}

export interface SecretStore {
  /** The named secret; the first caller's `generate()` wins when several processes race. */
  getOrCreate(name: string, generate: () => string): Promise<string>;
}

export interface SlackCard {
  ticketId: string;
  channel: string;
  ts: string;
}

export interface SlackCardStore {
  save(tenantId: string, card: SlackCard): Promise<void>;
  findByTicket(tenantId: string, ticketId: string): Promise<SlackCard | null>;
  /** The ticket whose card is this thread's parent. */
  findByThread(tenantId: string, channel: string, ts: string): Promise<SlackCard | null>;
}

/** SLA policies: the tenant's own (scope 'tenant', value '') and overrides by group, category, tier. */
export interface SlaPolicyStore {
  list(tenantId: string): Promise<SlaPolicyRecord[]>;
  /** Creates or replaces the record of (scope, scopeValue). */
  upsert(tenantId: string, record: SlaPolicyRecord, at: Date): Promise<void>;
  /** Deletes the record; false when there was none. */
  remove(tenantId: string, scope: SlaPolicyRecord['scope'], scopeValue: string): Promise<boolean>;
}

export interface Stores {
  tenants: TenantStore;
  apiKeys: ApiKeyStore;
  customers: CustomerStore;
  agents: AgentStore;
  tickets: TicketStore;
  messages: MessageStore;
  attachments: AttachmentRecordStore;
  audit: AuditLog;
  watchers: WatcherStore;
  idempotency: IdempotencyStore;
  outbox: OutboxWriter;
  conversations: ConversationStore;
  receiptLinks: ReceiptLinkStore;
  slackCards: SlackCardStore;
  secrets: SecretStore;
  assignment: AssignmentStore;
  groups: GroupStore;
  slaPolicies: SlaPolicyStore;
  autoClose: AutoCloseStore;
  dailyReports: DailyReportStore;
  scheduledTickets: ScheduledTicketStore;
  whatsappWindows: WhatsappWindowStore;
  inboundFlood: InboundFloodStore;
  slaSweep: SlaSweepStore;
  slaEscalations: SlaEscalationStore;
  webhookSubscriptions: WebhookSubscriptionStore;
  outboxRetention: OutboxRetentionStore;
  queueCounts: QueueCountsStore;
  deliveryRetries: DeliveryRetryStore;
}

export interface UnitOfWork {
  /** Stores outside a transaction, for reads. */
  readonly read: Stores;
  /** Runs `work` in one transaction; throws roll everything back. */
  transaction<T>(work: (stores: Stores) => Promise<T>): Promise<T>;
}
