/** The records the core works with, independent of storage and of the HTTP shape. */
import type { CannedReplies, ReactionShortcuts } from './canned-replies.js';
import type {
  AgentRole,
  AuthorType,
  Channel,
  DeliveryStatus,
  IdentityKind,
  Priority,
  ResolutionCode,
  TicketKind,
  TicketStatus,
  WatcherRole,
} from './vocabulary.js';

export interface Tenant {
  id: string;
  name: string;
  slug: string;
  timezone: string;
  settings: TenantSettings;
  createdAt: Date;
}

export interface TenantSettings {
  categories?: { key: string; requires_photo: boolean }[];
  priorities?: Priority[];
  default_priority?: Priority;
  claim_window_grace_days?: number;
  /** Category → agent group name: new tickets join that group's queue (auto-assigned per its strategy). */
  routing?: Record<string, string>;
  /** Retries before an outbox row is marked failed. */
  outbox_max_attempts?: number;
  /** Hours after resolution before a resolved ticket closes by itself (default 96); null = never. */
  auto_close_after_hours?: number | null;
  /** Local `HH:MM` (tenant time zone) of the daily queue report (default "08:30"); null = off. */
  daily_report_time?: string | null;
  /** Warn the assignee this many minutes before WhatsApp's 24-hour window closes (default 60); null = off. */
  whatsapp_window_warning_minutes?: number | null;
  /** Canned replies by name, each `{<language>: text}` with `en` as the fallback (src/domain/canned-replies.ts). */
  canned_replies?: CannedReplies;
  /** Slack emoji name → agent command after the ticket reference (default 👀 claim, ✅ resolve answered). */
  reaction_shortcuts?: ReactionShortcuts;
  /** Customer messages announced one by one per window (default 20 per 60 s); null = no limit (src/domain/inbound-flood.ts). */
  inbound_flood_limit?: { messages: number; per_seconds: number } | null;
  /** Automatic assignment skips agents whose Slack presence is away (default false). */
  slack_presence_availability?: boolean;
  /** The team's language for notices, Slack cards and command answers (default `en`). */
  staff_language?: string;
}

export interface CustomerIdentity {
  kind: IdentityKind;
  value: string;
}

export interface Customer {
  id: string;
  tenantId: string;
  name: string | null;
  language: string | null;
  tier: string | null;
  identities: CustomerIdentity[];
  createdAt: Date;
}

export interface Agent {
  id: string;
  tenantId: string;
  name: string;
  email: string | null;
  role: AgentRole;
  slackUserId: string | null;
  telegramUserId: string | null;
  active: boolean;
  capacity: number | null;
  groups: string[];
  createdAt: Date;
}

export interface TicketLinks {
  order_ref?: string | null;
  invoice_ref?: string | null;
  product_sku?: string | null;
  store_ref?: string | null;
  batch_ref?: string | null;
  crm_contact_id?: string | null;
}

export const LINK_KEYS = [
  'order_ref',
  'invoice_ref',
  'product_sku',
  'store_ref',
  'batch_ref',
  'crm_contact_id',
] as const satisfies readonly (keyof TicketLinks)[];

export interface Resolution {
  code: ResolutionCode;
  notes?: string | null;
  reference?: string | null;
}

export interface Ticket {
  id: string;
  tenantId: string;
  number: string;
  subject: string;
  description: string | null;
  status: TicketStatus;
  priority: Priority;
  category: string;
  kind: TicketKind;
  channel: Channel;
  customer: { id: string; name: string | null };
  assignee: { id: string; name: string } | null;
  groupId: string | null;
  links: Required<TicketLinks>;
  deliveryDate: string | null;
  withinPolicyWindow: boolean | null;
  daysLate: number | null;
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  firstResponseAt: Date | null;
  slaDueAt: Date | null;
  slaBreached: boolean;
  /** Set while the SLA clocks are paused (awaiting the customer, when the policy says so). */
  slaPausedAt: Date | null;
  firstResponseBreachedAt: Date | null;
  resolutionBreachedAt: Date | null;
  /** SLA figures, stored when reached (wall-clock and business seconds from creation). */
  firstResponseSeconds: number | null;
  firstResponseBusinessSeconds: number | null;
  resolutionSeconds: number | null;
  resolutionBusinessSeconds: number | null;
  resolution: Resolution | null;
  approval: unknown;
  lastDeliveryError: string | null;
  conversationId: string | null;
  csat: { solved: boolean | null; rating: number | null };
  createdAt: Date;
  updatedAt: Date;
  resolvedAt: Date | null;
  closedAt: Date | null;
}

export interface AttachmentRef {
  id: string;
  sha256: string;
  sizeBytes: number;
  mimeType: string;
  fileName: string;
}

export interface Message {
  id: string;
  tenantId: string;
  ticketId: string | null;
  authorType: AuthorType;
  authorId: string | null;
  body: string;
  internal: boolean;
  channel: Channel;
  externalId: string | null;
  deliveryStatus: DeliveryStatus | null;
  deliveryError: string | null;
  conversationId: string | null;
  attachments: AttachmentRef[];
  createdAt: Date;
}

export interface AuditEvent {
  id: number;
  entityType: string;
  entityId: string;
  ticketId: string | null;
  action: string;
  actorType: string;
  actorId: string | null;
  changes: Record<string, { from: unknown; to: unknown }>;
  createdAt: Date;
}

export interface Watcher {
  ticketId: string;
  agentId: string;
  role: WatcherRole;
  notify: Record<string, unknown>;
}
