/**
 * The PostgreSQL schema (drizzle). Every row carries `tenant_id`; every query filters by it.
 * Migrations are generated from this file with `npm run db:generate` into `drizzle/`.
 */
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const OPEN_TICKET = sql`status in ('new', 'assigned', 'in_progress', 'awaiting_customer')`;
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => tstz('created_at').notNull().defaultNow();
const id = () => uuid('id').primaryKey().defaultRandom();
const tenantId = () =>
  uuid('tenant_id')
    .notNull()
    .references(() => tenants.id, { onDelete: 'cascade' });

export const tenants = pgTable('tenants', {
  id: id(),
  name: text('name').notNull(),
  slug: text('slug').notNull().unique(),
  timezone: text('timezone').notNull().default('UTC'),
  /** Vocabularies, claim-window grace days and other per-tenant settings (see domain). */
  settings: jsonb('settings').notNull().default({}),
  createdAt: createdAt(),
});

export const apiKeys = pgTable(
  'api_keys',
  {
    id: id(),
    tenantId: tenantId(),
    name: text('name').notNull(),
    /** SHA-256 of the key; the key itself is shown once and never stored. */
    keyHash: text('key_hash').notNull().unique(),
    prefix: text('prefix').notNull(),
    /** When set, requests with this key act as this agent (with the agent's role). */
    agentId: uuid('agent_id').references(() => agents.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    lastUsedAt: tstz('last_used_at'),
    revokedAt: tstz('revoked_at'),
  },
  (t) => [index('api_keys_tenant_idx').on(t.tenantId)],
);

export const customers = pgTable(
  'customers',
  {
    id: id(),
    tenantId: tenantId(),
    name: text('name'),
    language: text('language'),
    tier: text('tier'),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [index('customers_tenant_created_idx').on(t.tenantId, t.createdAt, t.id)],
);

/** phone, email, telegram, whatsapp or external (CRM) id; unique per tenant, merged on a match. */
export const customerIdentities = pgTable(
  'customer_identities',
  {
    id: id(),
    tenantId: tenantId(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    value: text('value').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('customer_identities_unique').on(t.tenantId, t.kind, t.value),
    index('customer_identities_customer_idx').on(t.customerId),
  ],
);

export const agentGroups = pgTable(
  'agent_groups',
  {
    id: id(),
    tenantId: tenantId(),
    name: text('name').notNull(),
    slackChannelId: text('slack_channel_id'),
    /** How new tickets of the group find an agent: manual | round_robin | least_loaded. */
    assignment: text('assignment').notNull().default('manual'),
    /** Round-robin cursor: the member the group gave a ticket to last. */
    lastAssignedAgentId: uuid('last_assigned_agent_id').references(() => agents.id, {
      onDelete: 'set null',
    }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('agent_groups_name_unique').on(t.tenantId, t.name)],
);

export const agents = pgTable(
  'agents',
  {
    id: id(),
    tenantId: tenantId(),
    name: text('name').notNull(),
    email: text('email'),
    role: text('role').notNull(),
    slackUserId: text('slack_user_id'),
    telegramUserId: text('telegram_user_id'),
    active: boolean('active').notNull().default(true),
    /** Takes new tickets now (automatic assignment); Slack presence may drive it. */
    available: boolean('available').notNull().default(true),
    capacity: integer('capacity'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('agents_email_unique').on(t.tenantId, t.email),
    uniqueIndex('agents_slack_unique').on(t.tenantId, t.slackUserId),
    uniqueIndex('agents_telegram_unique').on(t.tenantId, t.telegramUserId),
  ],
);

export const agentGroupMembers = pgTable(
  'agent_group_members',
  {
    tenantId: tenantId(),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    groupId: uuid('group_id')
      .notNull()
      .references(() => agentGroups.id, { onDelete: 'cascade' }),
    /** When automatic assignment last gave this member a ticket of the group (tie-breaks). */
    lastAssignedAt: tstz('last_assigned_at'),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.groupId] })],
);

/** One row per tenant and year; bumped inside the ticket's transaction, so numbers are gapless. */
export const ticketCounters = pgTable(
  'ticket_counters',
  {
    tenantId: tenantId(),
    year: integer('year').notNull(),
    lastSeq: integer('last_seq').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.year] })],
);

export const tickets = pgTable(
  'tickets',
  {
    id: id(),
    tenantId: tenantId(),
    number: text('number').notNull(),
    subject: text('subject').notNull(),
    description: text('description'),
    status: text('status').notNull(),
    priority: text('priority').notNull(),
    /** 0 low … 3 urgent, for sorting by priority. */
    priorityRank: integer('priority_rank').notNull(),
    category: text('category').notNull(),
    kind: text('kind').notNull(),
    channel: text('channel').notNull(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    assigneeId: uuid('assignee_id').references(() => agents.id),
    groupId: uuid('group_id').references(() => agentGroups.id),
    orderRef: text('order_ref'),
    invoiceRef: text('invoice_ref'),
    productSku: text('product_sku'),
    storeRef: text('store_ref'),
    batchRef: text('batch_ref'),
    crmContactId: text('crm_contact_id'),
    deliveryDate: date('delivery_date', { mode: 'string' }),
    withinPolicyWindow: boolean('within_policy_window'),
    daysLate: integer('days_late'),
    firstResponseDueAt: tstz('first_response_due_at'),
    resolutionDueAt: tstz('resolution_due_at'),
    firstResponseAt: tstz('first_response_at'),
    /** The next SLA deadline of an open ticket (first response, then resolution); null when done. */
    slaDueAt: tstz('sla_due_at'),
    slaBreached: boolean('sla_breached').notNull().default(false),
    /** Set while the SLA clock is paused (awaiting the customer, when the policy says so). */
    slaPausedAt: tstz('sla_paused_at'),
    firstResponseBreachedAt: tstz('first_response_breached_at'),
    resolutionBreachedAt: tstz('resolution_breached_at'),
    /** SLA figures, stored when reached, so reports are plain SQL (wall and business time). */
    firstResponseSeconds: integer('first_response_seconds'),
    firstResponseBusinessSeconds: integer('first_response_business_seconds'),
    resolutionSeconds: integer('resolution_seconds'),
    resolutionBusinessSeconds: integer('resolution_business_seconds'),
    resolutionCode: text('resolution_code'),
    resolutionNotes: text('resolution_notes'),
    resolutionReference: text('resolution_reference'),
    /** A pending/decided supervisor approval for refund or credit note (domain `Approval`). */
    approval: jsonb('approval'),
    lastDeliveryError: text('last_delivery_error'),
    /** The customer conversation the ticket came from (chat channels); replies go back there. */
    conversationId: uuid('conversation_id'),
    csatSolved: boolean('csat_solved'),
    csatRating: integer('csat_rating'),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
    resolvedAt: tstz('resolved_at'),
    closedAt: tstz('closed_at'),
    search: tsvector('search').generatedAlwaysAs(
      sql`to_tsvector('simple', coalesce(subject, '') || ' ' || coalesce(description, ''))`,
    ),
  },
  (t) => [
    uniqueIndex('tickets_number_unique').on(t.tenantId, t.number),
    index('tickets_queue_idx').on(t.tenantId, t.status, t.assigneeId, t.slaDueAt, t.id),
    index('tickets_created_idx').on(t.tenantId, t.createdAt, t.id),
    index('tickets_sla_due_idx').on(t.tenantId, t.slaDueAt, t.id),
    index('tickets_priority_idx').on(t.tenantId, t.priorityRank.desc(), t.createdAt, t.id),
    index('tickets_customer_idx').on(t.tenantId, t.customerId, t.createdAt),
    index('tickets_search_idx').using('gin', t.search),
    index('tickets_order_ref_idx').on(t.tenantId, t.orderRef),
    /** A group's waiting queue: unassigned tickets, oldest first. */
    index('tickets_group_queue_idx')
      .on(t.tenantId, t.groupId, t.createdAt, t.id)
      .where(sql`assignee_id is null`),
    // 93 % of a brand's tickets are done: the queues read partial indexes of open tickets only.
    index('tickets_open_status_idx').on(t.tenantId, t.status).where(OPEN_TICKET),
    index('tickets_open_assignee_idx')
      .on(t.tenantId, t.assigneeId, t.slaDueAt, t.id)
      .where(OPEN_TICKET),
    index('tickets_unassigned_idx')
      .on(t.tenantId, t.status, t.slaDueAt, t.id)
      .where(sql`assignee_id is null`),
    /** Auto-close: resolved tickets by when they were resolved. */
    index('tickets_resolved_at_idx')
      .on(t.resolvedAt)
      .where(sql`status = 'resolved'`),
    index('tickets_open_priority_idx')
      .on(t.tenantId, t.priorityRank.desc(), t.createdAt, t.id)
      .where(OPEN_TICKET),
  ],
);

/**
 * The next moment the SLA sweep must look at a ticket (a warning, a breach, the next rung, or a
 * re-check after a change): one row per ticket with a check to come, none when it is done or
 * paused. Apart from `tickets` because moving a check is most of what the sweep writes: here it
 * rewrites a two-column row with two index entries; on `tickets` every move was a non-HOT update
 * of the wide row (the column was indexed), with a new entry in each of its fifteen indexes.
 */
export const slaChecks = pgTable(
  'sla_checks',
  {
    ticketId: uuid('ticket_id')
      .primaryKey()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    nextCheckAt: tstz('next_check_at').notNull(),
  },
  /** The sweep's claim: every tenant's due checks, earliest first. */
  (t) => [index('sla_checks_next_check_idx').on(t.nextCheckAt)],
);

/**
 * The queue view's counts of open tickets, kept as signed deltas: a trigger on `tickets` (see
 * migration 0012) appends +1/−1 rows whenever a ticket enters or leaves an open status, or gains
 * or loses its assignee, in the transaction that changes it. The counts are the sums, so reading
 * them costs the few rows of a tenant, not a scan of its open tickets; appending (not updating
 * one row per status) keeps concurrent ticket writes from queueing on a hot row. A sweep folds
 * each tenant's deltas back into one row per (status, unassigned).
 *
 * No foreign key to `tenants`: the trigger runs for the tickets a tenant's deletion cascades to,
 * and its rows would then refer to the tenant being deleted.
 */
export const ticketQueueCounts = pgTable(
  'ticket_queue_counts',
  {
    tenantId: uuid('tenant_id').notNull(),
    status: text('status').notNull(),
    unassigned: boolean('unassigned').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [index('ticket_queue_counts_tenant_idx').on(t.tenantId)],
);

export const ticketWatchers = pgTable(
  'ticket_watchers',
  {
    tenantId: tenantId(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    role: text('role').notNull(),
    /** e.g. {"slack_dm": true, "events": ["status", "customer_message"]} */
    notify: jsonb('notify').notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.ticketId, t.agentId] }),
    index('ticket_watchers_agent_idx').on(t.tenantId, t.agentId),
  ],
);

export const messages = pgTable(
  'messages',
  {
    id: id(),
    tenantId: tenantId(),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id'),
    authorType: text('author_type').notNull(),
    authorId: text('author_id'),
    body: text('body').notNull(),
    internal: boolean('internal').notNull().default(false),
    channel: text('channel').notNull(),
    externalId: text('external_id'),
    deliveryStatus: text('delivery_status'),
    deliveryError: text('delivery_error'),
    /**
     * What was sent to the customer besides the text (buttons, list, media), for the web chat;
     * and `workspace_ref` {channel, ts}: where the message shows in Slack (delivery marks).
     */
    outbound: jsonb('outbound'),
    createdAt: createdAt(),
    search: tsvector('search').generatedAlwaysAs(sql`to_tsvector('simple', coalesce(body, ''))`),
  },
  (t) => [
    uniqueIndex('messages_external_unique').on(t.tenantId, t.channel, t.externalId),
    index('messages_ticket_idx').on(t.ticketId, t.createdAt),
    index('messages_conversation_idx').on(t.conversationId, t.createdAt),
    index('messages_search_idx').using('gin', t.search),
  ],
);

/** Content-addressed under DATA_DIR/attachments/<sha256[0..2]>/<sha256>. */
export const attachments = pgTable(
  'attachments',
  {
    id: id(),
    tenantId: tenantId(),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'cascade' }),
    messageId: uuid('message_id').references(() => messages.id, { onDelete: 'cascade' }),
    sha256: text('sha256').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    mimeType: text('mime_type').notNull(),
    fileName: text('file_name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('attachments_ticket_idx').on(t.ticketId),
    index('attachments_message_idx').on(t.messageId),
  ],
);

/** Who changed what, from what to what, when. */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: tenantId(),
    entityType: text('entity_type').notNull(),
    entityId: uuid('entity_id').notNull(),
    ticketId: uuid('ticket_id'),
    action: text('action').notNull(),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    changes: jsonb('changes').notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    index('audit_events_ticket_idx').on(t.tenantId, t.ticketId, t.id),
    index('audit_events_entity_idx').on(t.tenantId, t.entityType, t.entityId, t.id),
  ],
);

/** API POSTs with an Idempotency-Key return the first answer again. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    tenantId: tenantId(),
    key: text('key').notNull(),
    scope: text('scope').notNull(),
    requestHash: text('request_hash').notNull(),
    responseStatus: integer('response_status'),
    responseBody: jsonb('response_body'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.scope, t.key] })],
);

/**
 * Everything Parley must send, written in the same transaction as the change that caused it.
 * `orderingKey` serializes delivery per conversation; `dedupeKey` makes enqueueing idempotent.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: tenantId(),
    ticketId: uuid('ticket_id'),
    messageId: uuid('message_id'),
    destination: text('destination').notNull(),
    orderingKey: text('ordering_key').notNull(),
    dedupeKey: text('dedupe_key'),
    payload: jsonb('payload').notNull(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(8),
    nextAttemptAt: tstz('next_attempt_at').notNull().defaultNow(),
    lockedUntil: tstz('locked_until'),
    lastError: text('last_error'),
    createdAt: createdAt(),
    sentAt: tstz('sent_at'),
  },
  (t) => [
    uniqueIndex('outbox_dedupe_unique').on(t.tenantId, t.dedupeKey),
    // The claim reads each destination's due rows in order (outbox-store.ts), so a destination
    // with a deep backlog whose slots are all busy is skipped without walking its rows.
    index('outbox_destination_due_idx')
      .on(t.destination, t.nextAttemptAt, t.id)
      .where(sql`status in ('pending', 'sending')`),
    index('outbox_ordering_idx')
      .on(t.orderingKey, t.id)
      .where(sql`status in ('pending', 'sending')`),
    // A subscription's recent deliveries (GET /webhook-subscriptions/:id/deliveries); only
    // webhook rows are in it, so the inbound and channel rows pay nothing for it.
    index('outbox_webhook_deliveries_idx')
      .on(t.destination, t.id)
      .where(sql`destination like 'webhook:%'`),
    // A failed delivery retried from its message (POST /tickets/:ref/messages/:id/retry); only
    // failed rows are in it.
    index('outbox_failed_message_idx')
      .on(t.messageId)
      .where(sql`status = 'failed'`),
  ],
);

/**
 * Every destination an outbox row was ever written for (kept by the `outbox_note_destination`
 * trigger, migration 0015, on each insert into outbox): the claim reads each one's due rows
 * from `outbox_destination_due_idx`, and finds the destinations here instead of walking that
 * index, whose ranges start with the dead entries of rows already sent until vacuum removes
 * them. Never pruned: a row retried after its destination went quiet must still be claimed.
 */
export const outboxDestinations = pgTable('outbox_destinations', {
  destination: text('destination').primaryKey(),
});

/**
 * A customer's chat on one channel (Telegram chat, WhatsApp number, web-chat session): the bot's
 * flow state, the language, and the timestamps the 24-hour window and reminders need.
 */
export const conversations = pgTable(
  'conversations',
  {
    id: id(),
    tenantId: tenantId(),
    channel: text('channel').notNull(),
    chatId: text('chat_id').notNull(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    language: text('language').notNull(),
    flow: text('flow'),
    step: text('step'),
    data: jsonb('data').notNull().default({}),
    /** The resolved ticket whose CSAT question is waiting for an answer. */
    csatTicketId: uuid('csat_ticket_id'),
    blocked: boolean('blocked').notNull().default(false),
    lastInboundAt: tstz('last_inbound_at'),
    lastOutboundAt: tstz('last_outbound_at'),
    /** When an active flow goes unanswered: remind once at `remind_at`, then expire. */
    remindAt: tstz('remind_at'),
    remindedAt: tstz('reminded_at'),
    /** WhatsApp 24-hour window: when to warn the assignee that it is about to close. */
    windowWarnAt: tstz('window_warn_at'),
    /**
     * Inbound flood limit (src/domain/inbound-flood.ts): the end of the latest hold, and how many
     * held customer messages the agents have not yet had a summary of (due at the hold's end).
     */
    floodHoldUntil: tstz('flood_hold_until'),
    floodHeldCount: integer('flood_held_count').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('conversations_chat_unique').on(t.tenantId, t.channel, t.chatId),
    index('conversations_customer_idx').on(t.tenantId, t.customerId),
    index('conversations_remind_idx')
      .on(t.remindAt)
      .where(sql`remind_at is not null`),
    index('conversations_window_warn_idx')
      .on(t.windowWarnAt)
      .where(sql`window_warn_at is not null`),
    index('conversations_flood_summary_idx')
      .on(t.floodHoldUntil)
      .where(sql`flood_held_count > 0`),
  ],
);

/**
 * A digital receipt's way into a chat: a short random code carrying store, product, invoice and
 * purchase date, so the ticket opens with them filled in. Expires.
 */
export const receiptLinks = pgTable(
  'receipt_links',
  {
    id: id(),
    tenantId: tenantId(),
    code: text('code').notNull(),
    context: jsonb('context').notNull(),
    expiresAt: tstz('expires_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('receipt_links_code_unique').on(t.code)],
);

/**
 * A tenant's outbound webhook: ticket events POSTed to `url`, signed with `secret` (shown once,
 * when it is created). `events` empty = every event. Deliveries ride the outbox
 * (`webhook:<id>` rows).
 */
export const webhookSubscriptions = pgTable(
  'webhook_subscriptions',
  {
    id: id(),
    tenantId: tenantId(),
    url: text('url').notNull(),
    secret: text('secret').notNull(),
    events: text('events')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    active: boolean('active').notNull().default(true),
    /** Why it was switched off (the receiver answered 410 Gone), when it was. */
    disabledReason: text('disabled_reason'),
    createdAt: createdAt(),
  },
  (t) => [index('webhook_subscriptions_tenant_idx').on(t.tenantId, t.createdAt)],
);

/** Server-side secrets shared by every Parley process (e.g. the receipt-link signing key). */
/**
 * Turns of a platform's per-channel rate limit (Slack: about one message per second per
 * channel), shared by every Parley process on this database: a call reserves the next turn here.
 * Keyed by the platform's channel, not by tenant: the limit is the workspace's, whoever posts.
 */
export const channelPace = pgTable('channel_pace', {
  key: text('key').primaryKey(),
  nextAt: tstz('next_at').notNull(),
});

export const appSecrets = pgTable('app_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: createdAt(),
});

/** Where a ticket's Slack card lives: its thread is the ticket's conversation with agents. */
export const slackCards = pgTable(
  'slack_cards',
  {
    tenantId: tenantId(),
    ticketId: uuid('ticket_id')
      .primaryKey()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    channel: text('channel').notNull(),
    ts: text('ts').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('slack_cards_thread_unique').on(t.channel, t.ts)],
);

/**
 * SLA policies: one per tenant (`scope` 'tenant', `scope_value` ''), plus overrides per group
 * (group id), category or customer tier. `policy` holds the contract's `/sla-policy` body and
 * the escalation settings (domain `SlaPolicy`); an override may leave fields out.
 */
export const slaPolicies = pgTable(
  'sla_policies',
  {
    id: id(),
    tenantId: tenantId(),
    scope: text('scope').notNull(),
    scopeValue: text('scope_value').notNull().default(''),
    policy: jsonb('policy').notNull(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('sla_policies_scope_unique').on(t.tenantId, t.scope, t.scopeValue)],
);

/**
 * One row per rung of the escalation ladder that fired for a ticket's deadline. The unique key
 * (ticket, target, due time, rung) makes a second firing impossible, whichever process sweeps;
 * a recomputed due time (priority change, pause) starts a new ladder.
 */
export const slaEscalations = pgTable(
  'sla_escalations',
  {
    id: id(),
    tenantId: tenantId(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    /** first_response | resolution */
    target: text('target').notNull(),
    dueAt: tstz('due_at').notNull(),
    /** 0 warning to the assignee, 1 breach to the group lead, 2 manager channel, 3… further. */
    rung: integer('rung').notNull(),
    firedAt: tstz('fired_at').notNull(),
    acknowledgedAt: tstz('acknowledged_at'),
    acknowledgedBy: uuid('acknowledged_by').references(() => agents.id, { onDelete: 'set null' }),
    /** acknowledged | taken_over | reassigned */
    acknowledgement: text('acknowledgement'),
  },
  (t) => [
    // Every read is by ticket (this index's first column). No (tenant_id, fired_at) index: no
    // query asked for it, and each rung paid an entry (a tenant delete, which Parley never does,
    // would scan the table for its cascade).
    uniqueIndex('sla_escalations_rung_unique').on(t.ticketId, t.target, t.dueAt, t.rung),
  ],
);

/**
 * Tickets to open later (purchase journeys: a service check-in six months after a purchase).
 * Idempotent on (tenant, external key); cancellable until opened.
 */
export const scheduledTickets = pgTable(
  'scheduled_tickets',
  {
    id: id(),
    tenantId: tenantId(),
    externalKey: text('external_key').notNull(),
    runAt: tstz('run_at').notNull(),
    /** The ticket to create: the body of `POST /tickets`. */
    ticket: jsonb('ticket').notNull(),
    /** scheduled | opened | cancelled | failed */
    status: text('status').notNull().default('scheduled'),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    error: text('error'),
    attempts: integer('attempts').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('scheduled_tickets_key_unique').on(t.tenantId, t.externalKey),
    index('scheduled_tickets_due_idx')
      .on(t.runAt)
      .where(sql`status = 'scheduled'`),
  ],
);

/** The daily queue report, once per tenant and local date (whichever process sends it). */
export const dailyReports = pgTable(
  'daily_reports',
  {
    tenantId: tenantId(),
    reportDate: date('report_date', { mode: 'string' }).notNull(),
    sentAt: tstz('sent_at').notNull().defaultNow(),
    report: jsonb('report').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.reportDate] })],
);
