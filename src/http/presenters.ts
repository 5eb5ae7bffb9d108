/**
 * Domain records → the contract's JSON (snake_case, ISO dates). The return types come from the
 * response schemas, so a presenter that drifts from the documented shape does not compile.
 */
import type { TicketQueueCounts } from '../ports/stores.js';
import type {
  Agent,
  AuditEvent,
  Customer,
  CustomerIdentity,
  Message,
  Tenant,
  Ticket,
} from '../domain/records.js';
import type { AgentBody } from './schemas/agents.js';
import type { CustomerBody } from './schemas/customers.js';
import type { TenantBody } from './schemas/tenants.js';
import type {
  AuditEventBody,
  MessageBody,
  TicketBody,
  TicketCountsBody,
} from './schemas/tickets.js';

const iso = (date: Date | null | undefined): string | null => (date ? date.toISOString() : null);

export function presentTicket(ticket: Ticket): TicketBody {
  return {
    id: ticket.id,
    number: ticket.number,
    subject: ticket.subject,
    description: ticket.description,
    status: ticket.status,
    priority: ticket.priority,
    category: ticket.category,
    kind: ticket.kind,
    channel: ticket.channel,
    customer: { id: ticket.customer.id, name: ticket.customer.name },
    assignee: ticket.assignee ? { id: ticket.assignee.id, name: ticket.assignee.name } : null,
    links: {
      order_ref: ticket.links.order_ref ?? null,
      invoice_ref: ticket.links.invoice_ref ?? null,
      product_sku: ticket.links.product_sku ?? null,
      store_ref: ticket.links.store_ref ?? null,
      batch_ref: ticket.links.batch_ref ?? null,
      crm_contact_id: ticket.links.crm_contact_id ?? null,
    },
    delivery_date: ticket.deliveryDate,
    within_policy_window: ticket.withinPolicyWindow,
    days_late: ticket.daysLate,
    sla: {
      first_response_due_at: iso(ticket.firstResponseDueAt),
      resolution_due_at: iso(ticket.resolutionDueAt),
      first_response_at: iso(ticket.firstResponseAt),
      breached:
        ticket.slaBreached ||
        ticket.firstResponseBreachedAt !== null ||
        ticket.resolutionBreachedAt !== null,
      next_due_at: iso(ticket.slaDueAt),
      paused_at: iso(ticket.slaPausedAt),
      first_response_breached_at: iso(ticket.firstResponseBreachedAt),
      resolution_breached_at: iso(ticket.resolutionBreachedAt),
    },
    resolution: ticket.resolution
      ? {
          code: ticket.resolution.code,
          notes: ticket.resolution.notes ?? null,
          reference: ticket.resolution.reference ?? null,
        }
      : null,
    created_at: ticket.createdAt.toISOString(),
    updated_at: ticket.updatedAt.toISOString(),
    resolved_at: iso(ticket.resolvedAt),
    closed_at: iso(ticket.closedAt),
    approval: ticket.approval ?? null,
    last_delivery_error: ticket.lastDeliveryError,
  };
}

export function presentMessage(message: Message): MessageBody {
  return {
    id: message.id,
    ticket_id: message.ticketId,
    author_type: message.authorType,
    author_id: message.authorId,
    body: message.body,
    internal: message.internal,
    attachments: message.attachments.map((a) => ({
      id: a.id,
      file_name: a.fileName,
      mime_type: a.mimeType,
      size_bytes: a.sizeBytes,
      sha256: a.sha256,
    })),
    channel: message.channel,
    delivery_status: message.deliveryStatus,
    created_at: message.createdAt.toISOString(),
    delivery_error: message.deliveryError,
  };
}

const firstIdentity = (identities: CustomerIdentity[], kind: CustomerIdentity['kind']) =>
  identities.find((identity) => identity.kind === kind)?.value ?? null;

export function presentCustomer(customer: Customer): CustomerBody {
  return {
    id: customer.id,
    name: customer.name,
    language: customer.language,
    tier: customer.tier,
    phone: firstIdentity(customer.identities, 'phone'),
    email: firstIdentity(customer.identities, 'email'),
    external_id: firstIdentity(customer.identities, 'external'),
    identities: customer.identities.map((i) => ({ kind: i.kind, value: i.value })),
    created_at: customer.createdAt.toISOString(),
  };
}

export function presentAgent(agent: Agent): AgentBody {
  return {
    id: agent.id,
    name: agent.name,
    email: agent.email,
    role: agent.role,
    slack_user_id: agent.slackUserId,
    telegram_user_id: agent.telegramUserId,
    active: agent.active,
    capacity: agent.capacity,
    groups: [...agent.groups],
    created_at: agent.createdAt.toISOString(),
  };
}

export function presentAuditEvent(event: AuditEvent): AuditEventBody {
  return {
    id: event.id,
    entity_type: event.entityType,
    entity_id: event.entityId,
    ticket_id: event.ticketId,
    action: event.action,
    actor_type: event.actorType,
    actor_id: event.actorId,
    changes: event.changes,
    created_at: event.createdAt.toISOString(),
  };
}

export function presentTenant(tenant: Tenant): TenantBody {
  return {
    id: tenant.id,
    name: tenant.name,
    slug: tenant.slug,
    timezone: tenant.timezone,
    created_at: tenant.createdAt.toISOString(),
  };
}

export function presentQueueCounts(counts: TicketQueueCounts): TicketCountsBody {
  return {
    by_status: { ...counts.byStatus },
    unassigned: counts.unassigned,
    overdue: counts.overdue,
    mine: counts.mine ?? null,
  };
}

/** The `{data, next_cursor}` envelope. */
export function presentList<T, U>(
  page: { data: T[]; nextCursor?: string | null },
  present: (item: T) => U,
): { data: U[]; next_cursor: string | null } {
  return { data: page.data.map(present), next_cursor: page.nextCursor ?? null };
}
