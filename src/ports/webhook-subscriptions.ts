/** A tenant's outbound webhooks (the brand's CRM or order system hears of ticket events). */
import type { TicketEventType } from '../domain/webhook-events.js';

export interface WebhookSubscription {
  id: string;
  tenantId: string;
  url: string;
  /** The HMAC key the deliveries are signed with. */
  secret: string;
  /** Empty: every event. */
  events: TicketEventType[];
  active: boolean;
  disabledReason: string | null;
  createdAt: Date;
}

/** One delivery of a subscription: its outbox row. */
export interface WebhookDelivery {
  id: number;
  type: string;
  ticketId: string | null;
  /** pending | sending | sent | failed */
  status: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
  nextAttemptAt: Date;
}

export interface WebhookSubscriptionStore {
  create(input: {
    tenantId: string;
    url: string;
    secret: string;
    events: TicketEventType[];
  }): Promise<WebhookSubscription>;
  list(tenantId: string): Promise<WebhookSubscription[]>;
  /** Active ones only: where a ticket event is delivered. */
  listActive(tenantId: string): Promise<WebhookSubscription[]>;
  find(tenantId: string, id: string): Promise<WebhookSubscription | null>;
  /** False when there was none. */
  remove(tenantId: string, id: string): Promise<boolean>;
  disable(tenantId: string, id: string, reason: string): Promise<void>;
  /** Its newest deliveries first (as long as the outbox keeps them). */
  deliveries(tenantId: string, id: string, limit: number): Promise<WebhookDelivery[]>;
}
