/**
 * The ticket modals opened from the card (pure Block Kit views): assign, resolve, note, reply,
 * canned (a select of the tenant's canned reply names).
 * `callback_id` is `ticket_<kind>`, `private_metadata` the ticket number, and the inputs have
 * stable block and action ids (`MODAL_INPUTS`), so `readModalSubmission` can decode a
 * `view_submission` without knowing Block Kit.
 */
import type { InputBlock, KnownBlock, ModalView } from '@slack/types';
import { CANNED_NAME } from '../../src/domain/canned-replies.js';
import { RESOLUTION_CODES, type ResolutionCode } from '../../src/domain/vocabulary.js';
import {
  BLOCK_KIT_LIMITS as L,
  escapeMrkdwn,
  mrkdwn,
  option,
  plain,
  truncate,
} from './block-kit.js';
import { EN_LABELS, type SlackLabels } from './labels.js';
import type { SlackViewSubmission, SlackViewValue } from './types.js';

export type ModalKind = 'assign' | 'resolve' | 'note' | 'reply' | 'canned';

export const MODAL_CALLBACK_IDS = {
  assign: 'ticket_assign',
  resolve: 'ticket_resolve',
  note: 'ticket_note',
  reply: 'ticket_reply',
  canned: 'ticket_canned',
} as const satisfies Record<ModalKind, string>;

/** `[block_id, action_id]` of every input; a submission's values are keyed `block_id.action_id`. */
export const MODAL_INPUTS = {
  assignee: ['assignee', 'user'],
  code: ['resolution_code', 'code'],
  notes: ['resolution_notes', 'notes'],
  reference: ['resolution_reference', 'reference'],
  note: ['note', 'text'],
  reply: ['reply', 'text'],
  canned: ['canned_reply', 'name'],
} as const;

type InputName = keyof typeof MODAL_INPUTS;

export interface ModalOptions {
  labels?: SlackLabels;
  /** Shown under the title, for context (escaped). */
  subject?: string;
  /** Slack user id preselected in the assign modal. */
  initialAssignee?: string;
  /** Text prefilled in the note or reply box (e.g. a thread message being turned into a reply). */
  initialText?: string;
  /** Defaults to every resolution code of the contract. */
  resolutionCodes?: readonly ResolutionCode[];
  /** The canned replies to pick from (the first 100 are offered), with an English preview. */
  cannedReplies?: readonly { name: string; preview?: string }[];
}

export type ModalSubmission =
  | { kind: 'assign'; ticketNumber: string; slackUserId: string }
  | {
      kind: 'resolve';
      ticketNumber: string;
      code: ResolutionCode;
      notes?: string;
      reference?: string;
    }
  | { kind: 'note' | 'reply'; ticketNumber: string; text: string }
  | { kind: 'canned'; ticketNumber: string; name: string };

const MAX_REFERENCE = 200;

function input(
  name: InputName,
  label: string,
  element: InputBlock['element'],
  optional = false,
): InputBlock {
  const [blockId, actionId] = MODAL_INPUTS[name];
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label, L.inputLabel),
    optional,
    element: { ...element, action_id: actionId } as InputBlock['element'],
  };
}

function textInput(
  name: InputName,
  label: string,
  o: { optional?: boolean; multiline?: boolean; max?: number; initial?: string } = {},
): InputBlock {
  const max = o.max ?? L.textInputMax;
  return input(
    name,
    label,
    {
      type: 'plain_text_input',
      multiline: o.multiline ?? false,
      max_length: max,
      ...(o.initial ? { initial_value: truncate(o.initial, max) } : {}),
    },
    o.optional ?? false,
  );
}

function inputs(kind: ModalKind, opts: ModalOptions, labels: SlackLabels): KnownBlock[] {
  const m = labels.modal;
  switch (kind) {
    case 'assign':
      return [
        input('assignee', m.assignee, {
          type: 'users_select',
          placeholder: plain(labels.placeholders.assignee, L.placeholder),
          ...(opts.initialAssignee ? { initial_user: opts.initialAssignee } : {}),
        }),
      ];
    case 'resolve':
      return [
        input('code', m.code, {
          type: 'static_select',
          placeholder: plain(labels.placeholders.code, L.placeholder),
          options: (opts.resolutionCodes ?? RESOLUTION_CODES)
            .slice(0, L.selectOptions)
            .map((code) => option(labels.resolutionCodes[code], code)),
        }),
        textInput('notes', m.notes, { optional: true, multiline: true }),
        textInput('reference', m.reference, { optional: true, max: MAX_REFERENCE }),
      ];
    case 'note':
      return [
        textInput('note', m.note, { multiline: true, initial: opts.initialText }),
        { type: 'context', elements: [mrkdwn(escapeMrkdwn(m.noteHint), L.sectionText)] },
      ];
    case 'reply':
      return [
        textInput('reply', m.reply, { multiline: true, initial: opts.initialText }),
        { type: 'context', elements: [mrkdwn(escapeMrkdwn(m.replyHint), L.sectionText)] },
      ];
    case 'canned':
      return cannedInputs(opts.cannedReplies ?? [], labels);
  }
}

function cannedInputs(
  replies: NonNullable<ModalOptions['cannedReplies']>,
  labels: SlackLabels,
): KnownBlock[] {
  const m = labels.modal;
  const hints = replies.length > L.selectOptions ? [m.cannedHint, m.cannedMore] : [m.cannedHint];
  const options = replies.slice(0, L.selectOptions).map((r) => ({
    ...option(r.name, r.name),
    ...(r.preview?.trim() ? { description: plain(r.preview.trim(), L.optionText) } : {}),
  }));
  return [
    input('canned', m.canned, {
      type: 'static_select',
      placeholder: plain(labels.placeholders.canned, L.placeholder),
      options,
    }),
    { type: 'context', elements: [mrkdwn(escapeMrkdwn(hints.join(' ')), L.sectionText)] },
  ];
}

/** The view for `views.open`. */
export function renderModal(
  kind: ModalKind,
  ticketNumber: string,
  opts: ModalOptions = {},
): ModalView {
  const labels = opts.labels ?? EN_LABELS;
  const heading = opts.subject
    ? `*${escapeMrkdwn(ticketNumber)}* · ${escapeMrkdwn(opts.subject)}`
    : `*${escapeMrkdwn(ticketNumber)}*`;
  return {
    type: 'modal',
    callback_id: MODAL_CALLBACK_IDS[kind],
    private_metadata: truncate(ticketNumber, L.privateMetadata),
    title: plain(labels.modal.titles[kind], L.modalTitle),
    submit: plain(labels.modal.submit[kind], L.modalButton),
    close: plain(labels.modal.cancel, L.modalButton),
    blocks: [
      { type: 'section', block_id: 'ticket', text: mrkdwn(heading, L.sectionText) },
      ...inputs(kind, opts, labels),
    ],
  };
}

function valueOf(values: Record<string, SlackViewValue>, name: InputName): string | undefined {
  const [blockId, actionId] = MODAL_INPUTS[name];
  const value = values[`${blockId}.${actionId}`];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

const KIND_BY_CALLBACK = new Map<string, ModalKind>(
  Object.entries(MODAL_CALLBACK_IDS).map(([kind, id]) => [id, kind as ModalKind]),
);

/** A submitted ticket modal → what the agent asked for; null when it is not one or is incomplete. */
export function readModalSubmission(view: SlackViewSubmission['view']): ModalSubmission | null {
  const kind = KIND_BY_CALLBACK.get(view.callback_id);
  const ticketNumber = view.private_metadata.trim();
  if (!kind || !ticketNumber) return null;
  const v = view.values;
  if (kind === 'assign') {
    const slackUserId = valueOf(v, 'assignee');
    return slackUserId ? { kind, ticketNumber, slackUserId } : null;
  }
  if (kind === 'resolve') {
    const code = valueOf(v, 'code');
    if (!code || !(RESOLUTION_CODES as readonly string[]).includes(code)) return null;
    const notes = valueOf(v, 'notes');
    const reference = valueOf(v, 'reference');
    return {
      kind,
      ticketNumber,
      code: code as ResolutionCode,
      ...(notes ? { notes } : {}),
      ...(reference ? { reference } : {}),
    };
  }
  if (kind === 'canned') {
    const name = valueOf(v, 'canned');
    return name && CANNED_NAME.test(name) ? { kind, ticketNumber, name } : null;
  }
  const text = valueOf(v, kind === 'note' ? 'note' : 'reply');
  return text ? { kind, ticketNumber, text } : null;
}
