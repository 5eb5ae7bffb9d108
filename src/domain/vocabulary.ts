/** The contract's fixed vocabularies (../shared/CONTRACT.md, "Vocabulary"). */

export const TICKET_STATUSES = [
  'new',
  'assigned',
  'in_progress',
  'awaiting_customer',
  'resolved',
  'closed',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Ordered from least to most urgent: the index is the priority's rank. */
export const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const TICKET_KINDS = ['b2c', 'b2b', 'internal'] as const;
export type TicketKind = (typeof TICKET_KINDS)[number];

export const CHANNELS = ['telegram', 'whatsapp', 'webchat', 'slack', 'api', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

export const RESOLUTION_CODES = [
  'credit_note',
  'replacement',
  'refund',
  'no_action',
  'goodwill',
  'fixed',
  'answered',
] as const;
export type ResolutionCode = (typeof RESOLUTION_CODES)[number];

export const DEFAULT_CATEGORIES = [
  'order_issue',
  'quality_issue',
  'return_refund',
  'general_inquiry',
  'technical',
  'billing',
  'warranty',
] as const;

export const AGENT_ROLES = ['agent', 'supervisor', 'admin', 'engineer'] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];

export const AUTHOR_TYPES = ['customer', 'agent', 'bot', 'system'] as const;
export type AuthorType = (typeof AUTHOR_TYPES)[number];

export const DELIVERY_STATUSES = ['pending', 'sent', 'delivered', 'read', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const IDENTITY_KINDS = [
  'phone',
  'email',
  'telegram',
  'whatsapp',
  'webchat',
  'external',
] as const;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];

export const WATCHER_ROLES = ['assignee', 'watcher', 'cc'] as const;
export type WatcherRole = (typeof WATCHER_ROLES)[number];

export const OPEN_STATUSES: readonly TicketStatus[] = [
  'new',
  'assigned',
  'in_progress',
  'awaiting_customer',
];

export function isOpenStatus(status: TicketStatus): boolean {
  return OPEN_STATUSES.includes(status);
}
