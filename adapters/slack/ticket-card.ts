/**
 * The ticket card posted to a Slack channel (pure Block Kit): a header, the ticket's fields,
 * its links, a line saying where thread replies go, and the controls. Every control's
 * `action_id` is stable (`TICKET_ACTION_IDS`); buttons carry the ticket number as `value`,
 * select options carry `<number>|<choice>`. `readTicketAction` decodes both.
 */
import type { ActionsBlock, KnownBlock, SectionBlock } from '@slack/types';
import { LINK_KEYS, type TicketLinks } from '../../src/domain/records.js';
import type { ReplyMode, TicketCardData } from '../../src/ports/agent-workspace.js';
import { PRIORITIES, TICKET_STATUSES, type TicketStatus } from '../../src/domain/vocabulary.js';
import {
  BLOCK_KIT_LIMITS as L,
  escapeMrkdwn,
  mrkdwn,
  option,
  plain,
  slackDate,
  truncate,
} from './block-kit.js';
import { EN_LABELS, type SlackLabels } from './labels.js';
import type { SlackAction } from './types.js';

export { renderModal, readModalSubmission } from './modals.js';

export type { ReplyMode };

/** What a card shows: the port's shape (src/ports/agent-workspace.ts). */
export type TicketCardView = TicketCardData;

export interface TicketCardOptions {
  replyMode: ReplyMode;
  labels?: SlackLabels;
}

export interface SlackMessageContent {
  /** Fallback for notifications and clients without blocks (mrkdwn, escaped). */
  text: string;
  blocks: KnownBlock[];
}

export const TICKET_ACTION_IDS = {
  claim: 'ticket_claim',
  assign: 'ticket_assign',
  status: 'ticket_status',
  priority: 'ticket_priority',
  resolve: 'ticket_resolve',
  note: 'ticket_note',
  reply: 'ticket_reply',
  canned: 'ticket_canned',
} as const;

export type TicketActionKind = keyof typeof TICKET_ACTION_IDS;

/** What a click on the card asks for; `choice` is the status or priority picked in a select. */
export interface TicketAction {
  kind: TicketActionKind;
  ticketNumber: string;
  choice?: string;
}

const CLOSED_STATES: readonly TicketStatus[] = ['resolved', 'closed'];
const OPTION_SEPARATOR = '|';
/** Longest user value shown in a field or link (escaping may lengthen it up to five times). */
const MAX_VALUE = 300;

/** User text for mrkdwn: cut first (so no entity or token is cut in half), then escaped. */
function safe(text: string, max = MAX_VALUE): string {
  return escapeMrkdwn(truncate(text, max));
}

function choiceValue(ticketNumber: string, choice: string): string {
  return `${ticketNumber}${OPTION_SEPARATOR}${choice}`;
}

/**
 * The statuses the select offers: the current one, plus every status an agent can pick
 * directly. `new` cannot be gone back to and `resolved` needs a resolution code (the Resolve
 * button opens that modal), so they show only when they are the current status.
 */
export function statusChoices(current: TicketStatus): TicketStatus[] {
  return TICKET_STATUSES.filter((s) => s === current || (s !== 'new' && s !== 'resolved'));
}

function fields(view: TicketCardView, labels: SlackLabels): SectionBlock {
  const f = labels.fields;
  const sla = view.slaDueAt ? slackDate(view.slaDueAt) : escapeMrkdwn(labels.noSla);
  const slaText = view.breached
    ? `${sla} :rotating_light: *${escapeMrkdwn(labels.breached)}*`
    : sla;
  const pairs: [string, string][] = [
    [f.customer, safe(view.customerName ?? labels.unknownCustomer)],
    [f.channel, safe(view.channel)],
    [f.category, safe(view.category)],
    [f.priority, safe(labels.priorities[view.priority])],
    [f.status, safe(labels.statuses[view.status])],
    [f.assignee, safe(view.assigneeName ?? labels.unassigned)],
    [f.slaDue, slaText],
  ];
  return {
    type: 'section',
    block_id: 'ticket_fields',
    fields: pairs
      .slice(0, L.sectionFields)
      .map(([label, value]) => mrkdwn(`*${escapeMrkdwn(label)}*\n${value}`, L.fieldText)),
  };
}

function linksLine(links: TicketLinks, labels: SlackLabels): KnownBlock | null {
  const parts = LINK_KEYS.flatMap((key) => {
    const value = links[key];
    return value ? [`*${safe(labels.links[key])}:* ${safe(value)}`] : [];
  });
  if (parts.length === 0) return null;
  return {
    type: 'context',
    block_id: 'ticket_links',
    elements: [mrkdwn(parts.join('  ·  '), L.sectionText)],
  };
}

function button(kind: TicketActionKind, text: string, ticketNumber: string, primary = false) {
  return {
    type: 'button' as const,
    action_id: TICKET_ACTION_IDS[kind],
    text: plain(text, L.buttonText),
    value: ticketNumber,
    ...(primary ? { style: 'primary' as const } : {}),
  };
}

function controls(
  view: TicketCardView,
  opts: TicketCardOptions,
  labels: SlackLabels,
): ActionsBlock {
  const done = CLOSED_STATES.includes(view.status);
  const b = labels.buttons;
  const statusOptions = statusChoices(view.status).map((s) =>
    option(labels.statuses[s], choiceValue(view.number, s)),
  );
  const priorityOptions = PRIORITIES.map((p) =>
    option(labels.priorities[p], choiceValue(view.number, p)),
  );
  const currentStatus = statusOptions.find((o) => o.value.endsWith(`|${view.status}`));
  const currentPriority = priorityOptions.find((o) => o.value.endsWith(`|${view.priority}`));
  const elements: ActionsBlock['elements'] = [
    ...(done ? [] : [button('claim', b.claim, view.number, true)]),
    ...(done ? [] : [button('assign', b.assign, view.number)]),
    {
      type: 'static_select',
      action_id: TICKET_ACTION_IDS.status,
      placeholder: plain(labels.placeholders.status, L.placeholder),
      options: statusOptions,
      ...(currentStatus ? { initial_option: currentStatus } : {}),
    },
    {
      type: 'static_select',
      action_id: TICKET_ACTION_IDS.priority,
      placeholder: plain(labels.placeholders.priority, L.placeholder),
      options: priorityOptions,
      ...(currentPriority ? { initial_option: currentPriority } : {}),
    },
    ...(opts.replyMode === 'replies_internal' ? [button('reply', b.reply, view.number)] : []),
    button('canned', b.canned, view.number),
    button('note', b.note, view.number),
    ...(done ? [] : [button('resolve', b.resolve, view.number)]),
  ];
  return {
    type: 'actions',
    // A new block_id per state makes Slack clients redraw the selects with the new initial options.
    block_id: truncate(`ticket_actions:${view.number}:${view.status}:${view.priority}`, L.id),
    elements: elements.slice(0, L.actionsElements),
  };
}

/** The card for `chat.postMessage` / `chat.update`. */
export function renderTicketCard(
  view: TicketCardView,
  opts: TicketCardOptions,
): SlackMessageContent {
  const labels = opts.labels ?? EN_LABELS;
  const replyLine =
    opts.replyMode === 'replies_to_customer'
      ? labels.replyModeToCustomer
      : labels.replyModeInternal;
  const links = linksLine(view.links, labels);
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      block_id: 'ticket_header',
      text: plain(`${view.number} · ${view.subject}`, L.headerText),
    },
    fields(view, labels),
    ...(links ? [links] : []),
    {
      type: 'context',
      block_id: 'ticket_reply_mode',
      elements: [mrkdwn(replyLine, L.sectionText)],
    },
    controls(view, opts, labels),
  ];
  const customer = view.customerName ?? labels.unknownCustomer;
  const summary = [
    `${view.number}: ${view.subject}`,
    customer,
    labels.statuses[view.status],
    labels.priorities[view.priority],
    view.assigneeName ?? labels.unassigned,
  ].join(' · ');
  const breached = view.breached ? ` · ${labels.breached}` : '';
  return { text: truncate(safe(summary + breached, 500), L.fallbackText), blocks };
}

const KIND_BY_ACTION_ID = new Map<string, TicketActionKind>(
  Object.entries(TICKET_ACTION_IDS).map(([kind, id]) => [id, kind as TicketActionKind]),
);

/** A card click → what it asks for; null for actions that are not the card's or are malformed. */
export function readTicketAction(action: SlackAction): TicketAction | null {
  const kind = KIND_BY_ACTION_ID.get(action.action_id);
  if (!kind) return null;
  if (kind !== 'status' && kind !== 'priority') {
    return action.value ? { kind, ticketNumber: action.value } : null;
  }
  const raw = action.selected_option?.value ?? '';
  const at = raw.lastIndexOf(OPTION_SEPARATOR);
  if (at <= 0) return null;
  const ticketNumber = raw.slice(0, at);
  const choice = raw.slice(at + 1);
  const allowed: readonly string[] = kind === 'status' ? TICKET_STATUSES : PRIORITIES;
  return allowed.includes(choice) ? { kind, ticketNumber, choice } : null;
}
