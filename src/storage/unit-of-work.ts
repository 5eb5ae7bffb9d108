/** Binds every store to one drizzle handle; `transaction` hands the use case a transactional set. */
import type { Stores, UnitOfWork } from '../ports/stores.js';
import { createAgentStore } from './agent-store.js';
import { createAssignmentStore } from './assignment-store.js';
import { createGroupStore } from './group-store.js';
import { createAuditLog, createWatcherStore } from './audit-store.js';
import { createConversationStore } from './conversation-store.js';
import { createCustomerStore } from './customer-store.js';
import type { Executor } from './executor.js';
import { createIdempotencyStore } from './idempotency-store.js';
import { createAttachmentRecordStore, createMessageStore } from './message-store.js';
import { type OutboxWriterOptions, createOutboxWriter } from './outbox-store.js';
import { createApiKeyStore, createTenantStore } from './tenant-store.js';
import { createTicketStore } from './ticket-store.js';
import { createSlackCardStore } from './slack-card-store.js';
import { createReceiptLinkStore, createSecretStore } from './receipt-link-store.js';
import { createAutoCloseStore } from './auto-close-store.js';
import { createDailyReportStore } from './report-store.js';
import { createScheduledTicketStore } from './scheduled-ticket-store.js';
import { createWhatsappWindowStore } from './whatsapp-window-store.js';
import { createInboundFloodStore } from './inbound-flood-store.js';
import { createSlaPolicyStore } from './sla-policy-store.js';
import { createSlaEscalationStore } from './sla-escalation-store.js';
import { createSlaSweepStore } from './sla-sweep-store.js';
import { createWebhookSubscriptionStore } from './webhook-subscription-store.js';
import { createOutboxRetentionStore } from './outbox-retention-store.js';
import { createQueueCountsStore } from './queue-counts-store.js';
import { createDeliveryRetryStore } from './delivery-retry-store.js';

export function storesFor(db: Executor, opts: OutboxWriterOptions = {}): Stores {
  return {
    tenants: createTenantStore(db),
    apiKeys: createApiKeyStore(db),
    customers: createCustomerStore(db),
    agents: createAgentStore(db),
    tickets: createTicketStore(db),
    messages: createMessageStore(db, opts),
    attachments: createAttachmentRecordStore(db),
    audit: createAuditLog(db),
    watchers: createWatcherStore(db),
    idempotency: createIdempotencyStore(db),
    outbox: createOutboxWriter(db, opts),
    conversations: createConversationStore(db),
    receiptLinks: createReceiptLinkStore(db),
    slackCards: createSlackCardStore(db),
    secrets: createSecretStore(db),
    assignment: createAssignmentStore(db),
    groups: createGroupStore(db),
    autoClose: createAutoCloseStore(db),
    dailyReports: createDailyReportStore(db),
    scheduledTickets: createScheduledTicketStore(db),
    whatsappWindows: createWhatsappWindowStore(db),
    inboundFlood: createInboundFloodStore(db),
    slaPolicies: createSlaPolicyStore(db),
    slaSweep: createSlaSweepStore(db, opts),
    slaEscalations: createSlaEscalationStore(db),
    webhookSubscriptions: createWebhookSubscriptionStore(db),
    outboxRetention: createOutboxRetentionStore(db),
    queueCounts: createQueueCountsStore(db),
    deliveryRetries: createDeliveryRetryStore(db),
  };
}

export function createUnitOfWork(db: Executor, opts: OutboxWriterOptions = {}): UnitOfWork {
  return {
    read: storesFor(db, opts),
    transaction: (work) => db.transaction((tx) => work(storesFor(tx, opts))),
  };
}
