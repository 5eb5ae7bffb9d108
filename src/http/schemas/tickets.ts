/** Ticket, message and audit schemas: request bodies, the list query, and the answers. */
import * as z from 'zod';
import type { TicketLinks } from '../../domain/records.js';
import {
  AUTHOR_TYPES,
  CHANNELS,
  DELIVERY_STATUSES,
  PRIORITIES,
  RESOLUTION_CODES,
  TICKET_KINDS,
  TICKET_STATUSES,
} from '../../domain/vocabulary.js';
import {
  commaList,
  id,
  isoDate,
  isoDateTime,
  listEnvelope,
  optionalText,
  queryBoolean,
  queryCursor,
  queryLimit,
  text,
} from './common.js';
import { CustomerInputBody } from './customers.js';

export const LIMITS = {
  subject: 300,
  description: 20_000,
  body: 20_000,
  category: 64,
  link: 200,
  fileName: 255,
  mimeType: 127,
  attachments: 10,
  resolutionNotes: 5_000,
  resolutionReference: 200,
  idempotencyKey: 200,
  q: 200,
} as const;

export const Status = z.enum(TICKET_STATUSES);
export const PriorityEnum = z.enum(PRIORITIES);
export const Kind = z.enum(TICKET_KINDS);
export const ChannelEnum = z.enum(CHANNELS);
export const ResolutionCodeEnum = z.enum(RESOLUTION_CODES);
export const Category = text(LIMITS.category);

/** A link value; an empty string is read as `null`, which clears the link on PATCH. */
const linkValue = optionalText(LIMITS.link)
  .nullable()
  .transform((value) => (value === '' ? null : value))
  .optional();

/** `links`: only the contract's keys (`LINK_KEYS`). */
export const LinksInput = z
  .object({
    order_ref: linkValue,
    invoice_ref: linkValue,
    product_sku: linkValue,
    store_ref: linkValue,
    batch_ref: linkValue,
    crm_contact_id: linkValue,
  })
  .strict() satisfies z.ZodType<TicketLinks>;

export const AttachmentInputBody = z
  .object({
    file_name: text(LIMITS.fileName),
    mime_type: z
      .string()
      .trim()
      .toLowerCase()
      .max(LIMITS.mimeType)
      .regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/, {
        error: 'Invalid MIME type',
      }),
    data_base64: z
      .string()
      .transform((value) => value.replace(/\s+/g, ''))
      .pipe(z.base64({ error: 'Invalid base64 data' }).min(1, { error: 'Empty attachment' })),
  })
  .strict();

export const CreateTicketBody = z
  .object({
    customer: CustomerInputBody,
    subject: text(LIMITS.subject),
    description: optionalText(LIMITS.description).optional(),
    category: Category,
    priority: PriorityEnum.optional(),
    kind: Kind.optional(),
    channel: ChannelEnum.optional().meta({ description: 'Defaults to `api`.' }),
    links: LinksInput.optional(),
    delivery_date: isoDate().optional(),
    attachments: z.array(AttachmentInputBody).max(LIMITS.attachments).optional(),
  })
  .strict();

export const ResolutionBody = z
  .object({
    code: ResolutionCodeEnum,
    notes: optionalText(LIMITS.resolutionNotes).optional(),
    reference: optionalText(LIMITS.resolutionReference).optional(),
  })
  .strict();

export const UpdateTicketBody = z
  .object({
    status: Status.optional(),
    priority: PriorityEnum.optional(),
    category: Category.optional(),
    assignee_id: z
      .union([id(), z.literal('me')])
      .nullable()
      .optional()
      .meta({ description: 'An agent id, `me` (the calling agent) or null to unassign.' }),
    links: LinksInput.optional(),
    resolution: ResolutionBody.optional(),
  })
  .strict()
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    error: 'Nothing to update: send at least one field',
  });

export const ApprovalBody = z.object({ decision: z.enum(['approve', 'reject']) }).strict();

export const CreateMessageBody = z
  .object({
    body: optionalText(LIMITS.body),
    internal: z.boolean().optional(),
    attachments: z.array(AttachmentInputBody).max(LIMITS.attachments).optional(),
  })
  .strict()
  .refine((m) => m.body.length > 0 || (m.attachments?.length ?? 0) > 0, {
    error: 'A message needs a body or an attachment',
    path: ['body'],
  });

export const TicketSortEnum = z.enum(['created_at', '-created_at', '-priority', 'sla_due_at']);

/** `GET /tickets` and `GET /customers/:id/tickets`. Unknown query parameters are ignored. */
export const ListTicketsQuery = z.object({
  status: commaList(Status).optional(),
  priority: commaList(PriorityEnum).optional(),
  category: commaList(Category).optional(),
  assignee_id: z
    .union([id(), z.enum(['me', 'none'])], { error: 'Expected an agent id, `me` or `none`' })
    .optional(),
  customer_id: id().optional(),
  overdue: queryBoolean().optional(),
  q: text(LIMITS.q).optional(),
  sort: TicketSortEnum.optional(),
  limit: queryLimit(),
  cursor: queryCursor().optional(),
});

export const CustomerTicketsQuery = ListTicketsQuery.omit({ customer_id: true });

// ── Answers ──────────────────────────────────────────────────────────────────────────────

export const LinksJson = z.object({
  order_ref: z.string().nullable(),
  invoice_ref: z.string().nullable(),
  product_sku: z.string().nullable(),
  store_ref: z.string().nullable(),
  batch_ref: z.string().nullable(),
  crm_contact_id: z.string().nullable(),
}) satisfies z.ZodType<Required<TicketLinks>>;

export const TicketJson = z.object({
  id: z.string(),
  number: z.string().meta({ examples: ['TK-2026-00042'] }),
  subject: z.string(),
  description: z.string().nullable(),
  status: Status,
  priority: PriorityEnum,
  category: z.string(),
  kind: Kind,
  channel: ChannelEnum,
  customer: z.object({ id: z.string(), name: z.string().nullable() }),
  assignee: z.object({ id: z.string(), name: z.string() }).nullable(),
  links: LinksJson,
  delivery_date: z.string().nullable(),
  within_policy_window: z.boolean().nullable(),
  days_late: z.number().nullable(),
  sla: z.object({
    first_response_due_at: isoDateTime().nullable(),
    resolution_due_at: isoDateTime().nullable(),
    first_response_at: isoDateTime().nullable(),
    breached: z.boolean(),
    next_due_at: isoDateTime().nullable().meta({ description: 'Extension: the next deadline.' }),
    paused_at: isoDateTime()
      .nullable()
      .meta({ description: 'Extension: set while the clocks are paused (awaiting the customer).' }),
    first_response_breached_at: isoDateTime()
      .nullable()
      .meta({ description: 'Extension: when the first-response target was breached.' }),
    resolution_breached_at: isoDateTime()
      .nullable()
      .meta({ description: 'Extension: when the resolution target was breached.' }),
  }),
  resolution: z
    .object({
      code: ResolutionCodeEnum,
      notes: z.string().nullable(),
      reference: z.string().nullable(),
    })
    .nullable(),
  created_at: isoDateTime(),
  updated_at: isoDateTime(),
  resolved_at: isoDateTime().nullable(),
  closed_at: isoDateTime().nullable(),
  approval: z.unknown().meta({ description: 'Extension: a pending or decided approval, or null.' }),
  last_delivery_error: z.string().nullable().meta({ description: 'Extension.' }),
});
export type TicketBody = z.output<typeof TicketJson>;

export const AttachmentJson = z.object({
  id: z.string(),
  file_name: z.string(),
  mime_type: z.string(),
  size_bytes: z.number().int(),
  sha256: z.string(),
});

export const MessageJson = z.object({
  id: z.string(),
  ticket_id: z.string().nullable(),
  author_type: z.enum(AUTHOR_TYPES),
  author_id: z.string().nullable(),
  body: z.string(),
  internal: z.boolean(),
  attachments: z.array(AttachmentJson),
  channel: ChannelEnum,
  delivery_status: z.enum(DELIVERY_STATUSES).nullable(),
  created_at: isoDateTime(),
  delivery_error: z.string().nullable().meta({ description: 'Extension.' }),
});
export type MessageBody = z.output<typeof MessageJson>;

export const AuditEventJson = z.object({
  id: z.number().int(),
  entity_type: z.string(),
  entity_id: z.string(),
  ticket_id: z.string().nullable(),
  action: z.string(),
  actor_type: z.string(),
  actor_id: z.string().nullable(),
  changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
  created_at: isoDateTime(),
});
export type AuditEventBody = z.output<typeof AuditEventJson>;

export const TicketCountsJson = z.object({
  by_status: z.record(z.string(), z.number().int()),
  unassigned: z.number().int(),
  overdue: z.number().int(),
  mine: z.number().int().nullable(),
});
export type TicketCountsBody = z.output<typeof TicketCountsJson>;

export const TicketList = listEnvelope(TicketJson);
export const MessageList = listEnvelope(MessageJson);
export const AuditEventList = listEnvelope(AuditEventJson);
