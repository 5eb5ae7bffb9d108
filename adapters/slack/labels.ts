/**
 * Every string the Slack card and modals show. English by default; the lead passes a
 * translated `SlackLabels` (built with i18next) through the render options.
 */
import type { TicketLinks } from '../../src/domain/records.js';
import type { Priority, ResolutionCode, TicketStatus } from '../../src/domain/vocabulary.js';

export interface SlackLabels {
  fields: {
    customer: string;
    channel: string;
    category: string;
    priority: string;
    status: string;
    assignee: string;
    slaDue: string;
  };
  unassigned: string;
  unknownCustomer: string;
  noSla: string;
  breached: string;
  statuses: Record<TicketStatus, string>;
  priorities: Record<Priority, string>;
  resolutionCodes: Record<ResolutionCode, string>;
  links: Record<keyof TicketLinks, string>;
  replyModeToCustomer: string;
  replyModeInternal: string;
  buttons: {
    claim: string;
    assign: string;
    resolve: string;
    note: string;
    reply: string;
    canned: string;
  };
  placeholders: {
    status: string;
    priority: string;
    assignee: string;
    code: string;
    canned: string;
  };
  modal: {
    titles: { assign: string; resolve: string; note: string; reply: string; canned: string };
    submit: { assign: string; resolve: string; note: string; reply: string; canned: string };
    cancel: string;
    assignee: string;
    code: string;
    notes: string;
    reference: string;
    note: string;
    reply: string;
    replyHint: string;
    noteHint: string;
    canned: string;
    /** Under the canned reply select. */
    cannedHint: string;
    /** When the select shows only the first 100 names. */
    cannedMore: string;
  };
}

export const EN_LABELS: SlackLabels = {
  fields: {
    customer: 'Customer',
    channel: 'Channel',
    category: 'Category',
    priority: 'Priority',
    status: 'Status',
    assignee: 'Assignee',
    slaDue: 'SLA due',
  },
  unassigned: 'Unassigned',
  unknownCustomer: 'Unknown customer',
  noSla: 'No SLA',
  breached: 'SLA breached',
  statuses: {
    new: 'New',
    assigned: 'Assigned',
    in_progress: 'In progress',
    awaiting_customer: 'Awaiting customer',
    resolved: 'Resolved',
    closed: 'Closed',
  },
  priorities: { low: 'Low', medium: 'Medium', high: 'High', urgent: 'Urgent' },
  resolutionCodes: {
    credit_note: 'Credit note',
    replacement: 'Replacement',
    refund: 'Refund',
    no_action: 'No action',
    goodwill: 'Goodwill',
    fixed: 'Fixed',
    answered: 'Answered',
  },
  links: {
    order_ref: 'Order',
    invoice_ref: 'Invoice',
    product_sku: 'SKU',
    store_ref: 'Store',
    batch_ref: 'Batch',
    crm_contact_id: 'CRM contact',
  },
  replyModeToCustomer: 'Thread replies go to the customer; start a note with `note:`',
  replyModeInternal: 'Thread replies stay internal; use Reply to answer the customer',
  buttons: {
    claim: 'Claim',
    assign: 'Assign',
    resolve: 'Resolve',
    note: 'Note',
    reply: 'Reply',
    canned: 'Canned reply',
  },
  placeholders: {
    status: 'Set status',
    priority: 'Set priority',
    assignee: 'Pick an agent',
    code: 'Pick a resolution',
    canned: 'Pick a canned reply',
  },
  modal: {
    titles: {
      assign: 'Assign',
      resolve: 'Resolve',
      note: 'Internal note',
      reply: 'Reply',
      canned: 'Canned reply',
    },
    submit: {
      assign: 'Assign',
      resolve: 'Resolve',
      note: 'Add note',
      reply: 'Send',
      canned: 'Send',
    },
    cancel: 'Cancel',
    assignee: 'Assign to',
    code: 'Resolution',
    notes: 'Notes',
    reference: 'Reference (credit note, RMA …)',
    note: 'Note',
    reply: 'Message to the customer',
    replyHint: 'The customer receives this message.',
    noteHint: 'Only agents see this note.',
    canned: 'Canned reply',
    cannedHint:
      'The customer receives it in their language (else English), with their name and the ticket number filled in.',
    cannedMore: 'Only the first 100 are listed; send another with /ticket canned <ref> <name>.',
  },
};
