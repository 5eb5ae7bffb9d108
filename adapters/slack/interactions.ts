/**
 * Interactivity payloads (the JSON in the `payload` form field): `block_actions` and
 * `view_submission` → `SlackInbound`; other types come back as `unsupported`.
 */
import {
  ESCALATION_ACTION_IDS,
  type EscalationActionKind,
  type LadderRef,
  decodeLadderRef,
} from '../../src/domain/escalation-actions.js';
import {
  DELIVERY_RETRY_ACTION_ID,
  type DeliveryRetryRef,
  decodeDeliveryRetryRef,
} from '../../src/domain/delivery-retry-action.js';
import { compact, isObj, obj, opt, req, type Obj } from './read-json.js';
import type { SlackAction, SlackInbound, SlackViewValue } from './types.js';

function userOf(p: Obj): { id: string; name?: string } {
  const user = obj(p.user, 'payload.user');
  return compact({ id: req(user, 'id', 'user'), name: opt(user, 'username') ?? opt(user, 'name') });
}

function teamIdOf(p: Obj): string {
  const team = isObj(p.team) ? p.team : undefined;
  const user = isObj(p.user) ? p.user : undefined;
  const view = isObj(p.view) ? p.view : undefined;
  return opt(team, 'id') ?? opt(user, 'team_id') ?? opt(view, 'team_id') ?? '';
}

export function fromInteraction(p: Obj): SlackInbound {
  const type = req(p, 'type', 'payload');
  if (type === 'block_actions') return fromBlockActions(p);
  if (type !== 'view_submission') return { kind: 'unsupported', type };
  const view = obj(p.view, 'payload.view');
  const state = isObj(view.state) && isObj(view.state.values) ? view.state.values : {};
  return compact({
    kind: 'view_submission' as const,
    user: userOf(p),
    team_id: teamIdOf(p),
    trigger_id: opt(p, 'trigger_id'),
    view: {
      id: req(view, 'id', 'view'),
      callback_id: opt(view, 'callback_id') ?? '',
      private_metadata: opt(view, 'private_metadata') ?? '',
      values: flattenValues(state),
    },
  });
}

function fromBlockActions(p: Obj): SlackInbound {
  const container = isObj(p.container) ? p.container : undefined;
  const channel = isObj(p.channel) ? p.channel : undefined;
  const message = isObj(p.message) ? p.message : undefined;
  const messageTs = opt(message, 'ts') ?? opt(container, 'message_ts');
  const threadTs = opt(message, 'thread_ts') ?? opt(container, 'thread_ts');
  const view = isObj(p.view) ? p.view : undefined;
  const actions = Array.isArray(p.actions) ? p.actions : [];
  return compact({
    kind: 'block_actions' as const,
    user: userOf(p),
    team_id: teamIdOf(p),
    channel_id: opt(channel, 'id') ?? opt(container, 'channel_id'),
    message: messageTs ? compact({ ts: messageTs, thread_ts: threadTs }) : undefined,
    view: view
      ? {
          id: req(view, 'id', 'view'),
          callback_id: opt(view, 'callback_id') ?? '',
          private_metadata: opt(view, 'private_metadata') ?? '',
        }
      : undefined,
    actions: actions.map((a) => fromAction(obj(a, 'action'))),
    trigger_id: req(p, 'trigger_id', 'payload'),
    response_url: opt(p, 'response_url'),
  });
}

function fromAction(a: Obj): SlackAction {
  const selected = isObj(a.selected_option) ? a.selected_option : undefined;
  const selectedText = isObj(selected?.text) ? opt(selected.text, 'text') : undefined;
  return compact({
    action_id: req(a, 'action_id', 'action'),
    block_id: opt(a, 'block_id') ?? '',
    type: opt(a, 'type') ?? 'unknown',
    value: opt(a, 'value'),
    selected_option: selected
      ? compact({ value: req(selected, 'value', 'selected_option'), text: selectedText })
      : undefined,
    selected_user: opt(a, 'selected_user'),
    action_ts: opt(a, 'action_ts'),
  });
}

const SINGLE_KEYS = [
  'selected_user',
  'selected_conversation',
  'selected_channel',
  'selected_date',
  'selected_time',
] as const;
const LIST_KEYS = ['selected_users', 'selected_conversations', 'selected_channels'] as const;

/** One input's value, whatever the element type. */
function viewValue(el: Obj): SlackViewValue {
  if (typeof el.value === 'string') return el.value;
  if (isObj(el.selected_option)) return opt(el.selected_option, 'value') ?? null;
  if (Array.isArray(el.selected_options)) {
    return el.selected_options.filter(isObj).map((o) => String(o.value));
  }
  for (const key of SINGLE_KEYS) if (typeof el[key] === 'string') return el[key];
  if (typeof el.selected_date_time === 'number') return String(el.selected_date_time);
  for (const key of LIST_KEYS) {
    const list = el[key];
    if (Array.isArray(list)) return list.filter((v): v is string => typeof v === 'string');
  }
  return null;
}

/** `state.values` (`{block_id: {action_id: element}}`) → `{ 'block_id.action_id': value }`. */
export function flattenValues(values: Obj): Record<string, SlackViewValue> {
  const out: Record<string, SlackViewValue> = {};
  for (const [blockId, block] of Object.entries(values)) {
    if (!isObj(block)) continue;
    for (const [actionId, el] of Object.entries(block)) {
      if (isObj(el)) out[`${blockId}.${actionId}`] = viewValue(el);
    }
  }
  return out;
}

/** A click on an SLA escalation's Acknowledge / Take over / Reassign button. */
export interface EscalationAction {
  kind: EscalationActionKind;
  ladder: LadderRef;
}

const ESCALATION_KIND_BY_ACTION_ID = new Map<string, EscalationActionKind>(
  Object.entries(ESCALATION_ACTION_IDS).map(([kind, id]) => [id, kind as EscalationActionKind]),
);

/** The escalation button behind `action`, or null (another control, or a malformed value). */
export function readEscalationAction(action: SlackAction): EscalationAction | null {
  const kind = ESCALATION_KIND_BY_ACTION_ID.get(action.action_id);
  const ladder = kind && action.value ? decodeLadderRef(action.value) : null;
  return kind && ladder ? { kind, ladder } : null;
}

/** A click on the Retry button of a "not delivered" notice: the message to send again. */
export function readDeliveryRetryAction(action: SlackAction): DeliveryRetryRef | null {
  if (action.action_id !== DELIVERY_RETRY_ACTION_ID || !action.value) return null;
  return decodeDeliveryRetryRef(action.value);
}
