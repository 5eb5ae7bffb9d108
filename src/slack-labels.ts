/**
 * The Slack card's and modals' labels (adapters/slack/labels.ts) in the team's language, from
 * the `staff` namespace (`card.*`). One object per language, built once.
 */
import type { SlackLabels } from '../adapters/slack/labels.js';
import { LINK_KEYS, type TicketLinks } from './domain/records.js';
import {
  PRIORITIES,
  RESOLUTION_CODES,
  TICKET_STATUSES,
  type Priority,
  type ResolutionCode,
  type TicketStatus,
} from './domain/vocabulary.js';
import type { StaffT, StaffTranslator } from './ports/staff-translator.js';

function each<K extends string>(keys: readonly K[], label: (key: K) => string): Record<K, string> {
  return Object.fromEntries(keys.map((k) => [k, label(k)])) as Record<K, string>;
}

export function slackLabels(t: StaffT): SlackLabels {
  const modalKinds = ['assign', 'resolve', 'note', 'reply', 'canned'] as const;
  return {
    fields: {
      customer: t('card.fields.customer'),
      channel: t('card.fields.channel'),
      category: t('card.fields.category'),
      priority: t('card.fields.priority'),
      status: t('card.fields.status'),
      assignee: t('card.fields.assignee'),
      slaDue: t('card.fields.sla_due'),
    },
    unassigned: t('card.unassigned'),
    unknownCustomer: t('card.unknown_customer'),
    noSla: t('card.no_sla'),
    breached: t('card.breached'),
    statuses: each<TicketStatus>(TICKET_STATUSES, (s) => t(`card.status.${s}`)),
    priorities: each<Priority>(PRIORITIES, (p) => t(`card.priority.${p}`)),
    resolutionCodes: each<ResolutionCode>(RESOLUTION_CODES, (c) => t(`card.resolution_code.${c}`)),
    links: each<keyof TicketLinks>(LINK_KEYS, (k) => t(`card.link.${k}`)),
    replyModeToCustomer: t('card.reply_mode_to_customer'),
    replyModeInternal: t('card.reply_mode_internal'),
    buttons: {
      claim: t('card.button.claim'),
      assign: t('card.button.assign'),
      resolve: t('card.button.resolve'),
      note: t('card.button.note'),
      reply: t('card.button.reply'),
      canned: t('card.button.canned'),
    },
    placeholders: {
      status: t('card.placeholder.status'),
      priority: t('card.placeholder.priority'),
      assignee: t('card.placeholder.assignee'),
      code: t('card.placeholder.code'),
      canned: t('card.placeholder.canned'),
    },
    modal: {
      titles: each(modalKinds, (k) => t(`card.modal.title.${k}`)),
      submit: each(modalKinds, (k) => t(`card.modal.submit.${k}`)),
      cancel: t('card.modal.cancel'),
      assignee: t('card.modal.assignee'),
      code: t('card.modal.code'),
      notes: t('card.modal.notes'),
      reference: t('card.modal.reference'),
      note: t('card.modal.note'),
      reply: t('card.modal.reply'),
      replyHint: t('card.modal.reply_hint'),
      noteHint: t('card.modal.note_hint'),
      canned: t('card.modal.canned'),
      cannedHint: t('card.modal.canned_hint'),
      cannedMore: t('card.modal.canned_more'),
    },
  };
}

/** `labelsFor(language)`: built on first use per language. */
export function slackLabelsCache(
  staff: StaffTranslator,
): (language: string | undefined) => SlackLabels {
  const built = new Map<string, SlackLabels>();
  return (language = 'en') => {
    let labels = built.get(language);
    if (!labels) {
      labels = slackLabels(staff.forLanguage(language));
      built.set(language, labels);
    }
    return labels;
  };
}
