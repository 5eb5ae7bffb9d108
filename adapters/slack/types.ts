/**
 * What a request to `POST /slack/events` is, once verified and parsed (see inbound.ts). Field
 * names follow Slack's own (`thread_ts`, `bot_id` …) so the mapping stays obvious; fields we
 * add ourselves are camelCase (`retryNum`, `retryReason`).
 */

/** A message as it is after an edit, or as it was before (`message_changed`). */
export interface SlackMessageSnapshot {
  user?: string;
  text: string;
  ts: string;
  thread_ts?: string;
  bot_id?: string;
  edited?: { user?: string; ts: string };
}

/**
 * A `message` event. For `subtype: 'message_changed'` the fields describe the edited message
 * (`ts` is the edited message's ts, `edited` its edit stamp) and `previous` the old version;
 * `event_ts` is always the event's own ts. For `message_deleted`, `deleted_ts` is set.
 */
export interface SlackMessageEvent {
  type: 'message';
  channel: string;
  channel_type?: string;
  user?: string;
  text: string;
  ts: string;
  event_ts?: string;
  thread_ts?: string;
  /** The author of the thread's parent message (when this is a thread reply). */
  parent_user_id?: string;
  subtype?: string;
  bot_id?: string;
  hidden?: boolean;
  edited?: { user?: string; ts: string };
  previous?: SlackMessageSnapshot;
  deleted_ts?: string;
  /** Files attached to the message (`subtype: 'file_share'`), ids only. */
  file_ids?: string[];
}

export interface SlackAppMentionEvent {
  type: 'app_mention';
  channel: string;
  user?: string;
  text: string;
  ts: string;
  event_ts?: string;
  thread_ts?: string;
}

export interface SlackReactionEvent {
  type: 'reaction_added' | 'reaction_removed';
  user: string;
  reaction: string;
  item: { type?: string; channel: string; ts: string };
  item_user?: string;
  event_ts?: string;
}

/** Any event type we do not model: kept by name so the lead can log and acknowledge it. */
export interface SlackOtherEvent {
  type: 'other';
  original_type: string;
}

export type SlackEvent =
  SlackMessageEvent | SlackAppMentionEvent | SlackReactionEvent | SlackOtherEvent;

/** One element of `actions[]` in a `block_actions` payload. */
export interface SlackAction {
  action_id: string;
  block_id: string;
  /** `button`, `static_select`, `users_select` … */
  type: string;
  value?: string;
  selected_option?: { value: string; text?: string };
  selected_user?: string;
  action_ts?: string;
}

/** A view input's value: text, a selected value or user, a list for multi-selects, or null. */
export type SlackViewValue = string | string[] | null;

export interface SlackUserRef {
  id: string;
  name?: string;
}

export interface SlackRetryInfo {
  /** `X-Slack-Retry-Num`: 1, 2 or 3 on redeliveries (Slack waits for a 2xx within 3 s). */
  retryNum?: number;
  /** `X-Slack-Retry-Reason`, e.g. `http_timeout`, `http_error`. */
  retryReason?: string;
}

export interface SlackUrlVerification {
  kind: 'url_verification';
  challenge: string;
}

export interface SlackEventCallback extends SlackRetryInfo {
  kind: 'event';
  event_id: string;
  team_id: string;
  event_time?: number;
  event: SlackEvent;
}

export interface SlackSlashCommand extends SlackRetryInfo {
  kind: 'slash_command';
  team_id: string;
  channel_id: string;
  user_id: string;
  user_name?: string;
  /** With the slash: `/ticket`. */
  command: string;
  text: string;
  response_url: string;
  trigger_id: string;
}

export interface SlackBlockActions extends SlackRetryInfo {
  kind: 'block_actions';
  user: SlackUserRef;
  team_id: string;
  channel_id?: string;
  /** The message the actions were on (absent for actions inside a modal). */
  message?: { ts: string; thread_ts?: string };
  /** Set when the actions happened inside a modal. */
  view?: { id: string; callback_id: string; private_metadata: string };
  actions: SlackAction[];
  trigger_id: string;
  response_url?: string;
}

export interface SlackViewSubmission extends SlackRetryInfo {
  kind: 'view_submission';
  user: SlackUserRef;
  team_id: string;
  trigger_id?: string;
  view: {
    id: string;
    callback_id: string;
    private_metadata: string;
    /** `state.values` flattened: `{ 'block_id.action_id': value }`. */
    values: Record<string, SlackViewValue>;
  };
}

/** A well-formed request of a kind we do not handle (`view_closed`, `shortcut`, `ssl_check` …). */
export interface SlackUnsupported extends SlackRetryInfo {
  kind: 'unsupported';
  type: string;
}

export type SlackInbound =
  | SlackUrlVerification
  | SlackEventCallback
  | SlackSlashCommand
  | SlackBlockActions
  | SlackViewSubmission
  | SlackUnsupported;

export type SlackParseResult = { ok: true; inbound: SlackInbound } | { ok: false; error: string };
