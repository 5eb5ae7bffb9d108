/** Row ↔ domain mapping for tickets (the select shape every ticket query uses). */
import { eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Resolution, Ticket } from '../domain/records.js';
import type {
  Channel,
  Priority,
  ResolutionCode,
  TicketKind,
  TicketStatus,
} from '../domain/vocabulary.js';
import type { Executor } from './executor.js';
import { agents, customers, tickets } from './schema.js';

const assignee = alias(agents, 'assignee');

export const ticketColumns = {
  t: tickets,
  customerName: customers.name,
  assigneeName: assignee.name,
};

type TicketRow = typeof tickets.$inferSelect;

export function selectTickets(db: Executor) {
  return db
    .select(ticketColumns)
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .leftJoin(assignee, eq(assignee.id, tickets.assigneeId))
    .$dynamic();
}

export function toTicket(row: {
  t: TicketRow;
  customerName: string | null;
  assigneeName: string | null;
}): Ticket {
  const t = row.t;
  const resolution: Resolution | null = t.resolutionCode
    ? {
        code: t.resolutionCode as ResolutionCode,
        notes: t.resolutionNotes,
        reference: t.resolutionReference,
      }
    : null;
  return {
    id: t.id,
    tenantId: t.tenantId,
    number: t.number,
    subject: t.subject,
    description: t.description,
    status: t.status as TicketStatus,
    priority: t.priority as Priority,
    category: t.category,
    kind: t.kind as TicketKind,
    channel: t.channel as Channel,
    customer: { id: t.customerId, name: row.customerName },
    assignee: t.assigneeId ? { id: t.assigneeId, name: row.assigneeName ?? '' } : null,
    groupId: t.groupId,
    links: {
      order_ref: t.orderRef,
      invoice_ref: t.invoiceRef,
      product_sku: t.productSku,
      store_ref: t.storeRef,
      batch_ref: t.batchRef,
      crm_contact_id: t.crmContactId,
    },
    deliveryDate: t.deliveryDate,
    withinPolicyWindow: t.withinPolicyWindow,
    daysLate: t.daysLate,
    firstResponseDueAt: t.firstResponseDueAt,
    resolutionDueAt: t.resolutionDueAt,
    firstResponseAt: t.firstResponseAt,
    slaDueAt: t.slaDueAt,
    slaBreached: t.slaBreached,
    slaPausedAt: t.slaPausedAt,
    firstResponseBreachedAt: t.firstResponseBreachedAt,
    resolutionBreachedAt: t.resolutionBreachedAt,
    firstResponseSeconds: t.firstResponseSeconds,
    firstResponseBusinessSeconds: t.firstResponseBusinessSeconds,
    resolutionSeconds: t.resolutionSeconds,
    resolutionBusinessSeconds: t.resolutionBusinessSeconds,
    resolution,
    approval: t.approval ?? null,
    lastDeliveryError: t.lastDeliveryError,
    conversationId: t.conversationId,
    csat: { solved: t.csatSolved, rating: t.csatRating },
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    resolvedAt: t.resolvedAt,
    closedAt: t.closedAt,
  };
}

/** Domain link keys → ticket columns. */
export function linkColumns(links: Ticket['links'] | Partial<Ticket['links']>) {
  const out: Partial<
    Pick<
      TicketRow,
      'orderRef' | 'invoiceRef' | 'productSku' | 'storeRef' | 'batchRef' | 'crmContactId'
    >
  > = {};
  if (links.order_ref !== undefined) out.orderRef = links.order_ref;
  if (links.invoice_ref !== undefined) out.invoiceRef = links.invoice_ref;
  if (links.product_sku !== undefined) out.productSku = links.product_sku;
  if (links.store_ref !== undefined) out.storeRef = links.store_ref;
  if (links.batch_ref !== undefined) out.batchRef = links.batch_ref;
  if (links.crm_contact_id !== undefined) out.crmContactId = links.crm_contact_id;
  return out;
}
