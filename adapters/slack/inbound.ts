/**
 * A verified request to `POST /slack/events` → `SlackInbound` (pure). Three body shapes reach
 * that one URL: Events API envelopes (JSON), slash commands (form fields) and interactivity
 * (a form with one `payload` field holding JSON). Run `verifySlackRequest` first. Socket Mode
 * envelopes carry the same three as JSON (`parseSocketModePayload`).
 */
import type { RawRequest } from '../../src/ports/raw-http.js';
import { fromInteraction } from './interactions.js';
import { compact, isObj, Malformed, obj, opt, req, type Obj } from './read-json.js';
import type {
  SlackEvent,
  SlackInbound,
  SlackMessageEvent,
  SlackMessageSnapshot,
  SlackParseResult,
  SlackRetryInfo,
} from './types.js';
import { slackHeader } from './verify.js';
import { storableStrings } from '../../src/domain/unicode-text.js';

export { flattenValues } from './interactions.js';
export { isBotOrSelf, isEdit, isHumanMessage } from './message-filters.js';

/** `X-Slack-Retry-Num` / `X-Slack-Retry-Reason` (Events API redeliveries). */
export function retryInfoOf(headers: RawRequest['headers']): SlackRetryInfo {
  const num = slackHeader(headers, 'x-slack-retry-num');
  const reason = slackHeader(headers, 'x-slack-retry-reason');
  const parsed = num !== undefined && /^\d+$/.test(num.trim()) ? Number(num.trim()) : undefined;
  return compact({ retryNum: parsed, retryReason: reason || undefined });
}

export function parseSlackRequest(req: Pick<RawRequest, 'headers' | 'rawBody'>): SlackParseResult {
  const retry = retryInfoOf(req.headers);
  const contentType = (slackHeader(req.headers, 'content-type') ?? '').toLowerCase();
  const text = req.rawBody.toString('utf8');
  try {
    const json =
      contentType.includes('json') || (!contentType.includes('form') && /^\s*\{/.test(text));
    let inbound: SlackInbound;
    if (json) inbound = fromEnvelope(obj(JSON.parse(text), 'body'));
    else {
      const form = new URLSearchParams(text);
      const payload = form.get('payload');
      if (payload !== null) inbound = fromInteraction(obj(JSON.parse(payload), 'payload'));
      else if (form.get('ssl_check') === '1') inbound = { kind: 'unsupported', type: 'ssl_check' };
      else if (form.has('command')) inbound = fromSlashCommand(form);
      else throw new Malformed('form body is neither a command nor a payload');
    }
    // PostgreSQL cannot store NUL or lone surrogates: an agent's `/ticket reply 42 \u0000` would
    // otherwise fail its insert with a 500.
    inbound = storableStrings(inbound);
    return {
      ok: true,
      inbound: inbound.kind === 'url_verification' ? inbound : { ...inbound, ...retry },
    };
  } catch (err) {
    if (err instanceof Malformed || err instanceof SyntaxError) {
      return { ok: false, error: err.message };
    }
    throw err;
  }
}

/**
 * What a Socket Mode envelope carries (its `payload`, already JSON): an Events API callback, a
 * slash command's fields, or an interaction; the same `SlackInbound` as the HTTP route's.
 */
export function parseSocketModePayload(payload: unknown, retry: SlackRetryInfo): SlackParseResult {
  try {
    const body = obj(payload, 'payload');
    let inbound: SlackInbound;
    if (typeof body.command === 'string') {
      const form = new URLSearchParams();
      for (const [k, v] of Object.entries(body)) if (typeof v === 'string') form.set(k, v);
      inbound = fromSlashCommand(form);
    } else if (body.type === 'event_callback' || body.type === 'url_verification') {
      inbound = fromEnvelope(body);
    } else {
      inbound = fromInteraction(body);
    }
    return {
      ok: true,
      inbound: inbound.kind === 'url_verification' ? inbound : { ...inbound, ...compact(retry) },
    };
  } catch (err) {
    if (err instanceof Malformed) return { ok: false, error: err.message };
    throw err;
  }
}

function fromEnvelope(body: Obj): SlackInbound {
  const type = req(body, 'type', 'body');
  if (type === 'url_verification') {
    return { kind: 'url_verification', challenge: req(body, 'challenge', 'body') };
  }
  if (type !== 'event_callback') return { kind: 'unsupported', type };
  return compact({
    kind: 'event' as const,
    event_id: req(body, 'event_id', 'body'),
    team_id: req(body, 'team_id', 'body'),
    event_time: typeof body.event_time === 'number' ? body.event_time : undefined,
    event: fromEvent(obj(body.event, 'event')),
  });
}

function fromEvent(e: Obj): SlackEvent {
  const type = req(e, 'type', 'event');
  switch (type) {
    case 'message':
      return fromMessage(e);
    case 'app_mention':
      return compact({
        type,
        channel: req(e, 'channel', 'event'),
        user: opt(e, 'user'),
        text: opt(e, 'text') ?? '',
        ts: req(e, 'ts', 'event'),
        event_ts: opt(e, 'event_ts'),
        thread_ts: opt(e, 'thread_ts'),
      });
    case 'reaction_added':
    case 'reaction_removed': {
      const item = obj(e.item, 'event.item');
      // Reactions on files (`item.type: 'file'`) have no channel and ts: not a message of ours.
      if (typeof item.channel !== 'string' || typeof item.ts !== 'string') {
        return { type: 'other', original_type: type };
      }
      return compact({
        type,
        user: req(e, 'user', 'event'),
        reaction: req(e, 'reaction', 'event'),
        item: compact({
          type: opt(item, 'type'),
          channel: req(item, 'channel', 'item'),
          ts: req(item, 'ts', 'item'),
        }),
        item_user: opt(e, 'item_user'),
        event_ts: opt(e, 'event_ts'),
      });
    }
    default:
      return { type: 'other', original_type: type };
  }
}

function editedOf(m: Obj): SlackMessageSnapshot['edited'] {
  const edited = m.edited;
  if (!isObj(edited) || typeof edited.ts !== 'string') return undefined;
  return compact({ user: opt(edited, 'user'), ts: edited.ts });
}

function snapshot(m: unknown): SlackMessageSnapshot | undefined {
  if (!isObj(m) || typeof m.ts !== 'string') return undefined;
  return compact({
    user: opt(m, 'user'),
    text: opt(m, 'text') ?? '',
    ts: m.ts,
    thread_ts: opt(m, 'thread_ts'),
    bot_id: opt(m, 'bot_id'),
    edited: editedOf(m),
  });
}

function fromMessage(e: Obj): SlackMessageEvent {
  const subtype = opt(e, 'subtype');
  const base = {
    type: 'message' as const,
    channel: req(e, 'channel', 'event'),
    channel_type: opt(e, 'channel_type'),
    subtype,
    hidden: e.hidden === true ? true : undefined,
    event_ts: opt(e, 'event_ts') ?? opt(e, 'ts'),
  };
  if (subtype === 'message_changed') {
    // The fields of interest are those of the edited message, not of the event.
    const inner = obj(e.message, 'event.message');
    return compact({
      ...base,
      user: opt(inner, 'user'),
      text: opt(inner, 'text') ?? '',
      ts: req(inner, 'ts', 'event.message'),
      thread_ts: opt(inner, 'thread_ts'),
      parent_user_id: opt(inner, 'parent_user_id'),
      bot_id: opt(inner, 'bot_id') ?? opt(e, 'bot_id'),
      edited: editedOf(inner),
      previous: snapshot(e.previous_message),
    });
  }
  const files = Array.isArray(e.files) ? e.files.filter(isObj) : [];
  return compact({
    ...base,
    user: opt(e, 'user'),
    text: opt(e, 'text') ?? '',
    ts: req(e, 'ts', 'event'),
    thread_ts: opt(e, 'thread_ts'),
    parent_user_id: opt(e, 'parent_user_id'),
    bot_id: opt(e, 'bot_id'),
    edited: editedOf(e),
    previous: snapshot(e.previous_message),
    deleted_ts: opt(e, 'deleted_ts'),
    file_ids: files.length ? files.map((f) => String(f.id)) : undefined,
  });
}

function fromSlashCommand(form: URLSearchParams): SlackInbound {
  const fields = Object.fromEntries(form) as Obj;
  return compact({
    kind: 'slash_command' as const,
    team_id: req(fields, 'team_id', 'command'),
    channel_id: req(fields, 'channel_id', 'command'),
    user_id: req(fields, 'user_id', 'command'),
    user_name: opt(fields, 'user_name'),
    command: req(fields, 'command', 'command'),
    text: opt(fields, 'text') ?? '',
    response_url: req(fields, 'response_url', 'command'),
    trigger_id: req(fields, 'trigger_id', 'command'),
  });
}
