/**
 * What the use cases need from storage. `Stores` is one consistent view: inside
 * `UnitOfWork.transaction` every call runs in the same database transaction, so a change, its
 * audit events and its outbox rows commit together or not at all.
 */
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
import type { OutboxWriter } from './outbox.js';

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
  /** Moves identities, tickets and messages of `fromId` onto `intoId`, then deletes `fromId`. */
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
  resolvedAt?: Date | null;
  closedAt?: Date | null;
  lastDeliveryError?: string | null;
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
  deliveryStatus?: DeliveryStatus | null;
  createdAt: Date;
}

export interface MessageStore {
  /** Returns null when (tenant, channel, externalId) was already recorded. */
  insert(message: NewMessage): Promise<Message | null>;
  listForTicket(tenantId: string, ticketId: string): Promise<Message[]>;
  setDeliveryStatus(
    tenantId: string,
    id: string,
    status: DeliveryStatus,
    error?: string | null,
  ): Promise<void>;
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
}

export interface UnitOfWork {
  /** Stores outside a transaction, for reads. */
  readonly read: Stores;
  /** Runs `work` in one transaction; throws roll everything back. */
  transaction<T>(work: (stores: Stores) => Promise<T>): Promise<T>;
}
