/** Builds and signs what Slack sends Parley (from ../shared/fixtures/slack), for tests. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { signSlackRequest } from '../../adapters/slack/verify.js';
import { sharedFixture } from './chat-driver.js';

export function slackDriver(parleyUrl: () => string, signingSecret: string) {
  /** A signed POST to /slack/events, as Slack sends it. */
  async function post(body: string, contentType: string, opts: { retry?: number } = {}) {
    const ts = Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      'content-type': contentType,
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': signSlackRequest(signingSecret, ts, body),
    };
    if (opts.retry) headers['x-slack-retry-num'] = String(opts.retry);
    const res = await fetch(`${parleyUrl()}/slack/events`, { method: 'POST', headers, body });
    return { status: res.status, body: await res.text() };
  }
  return {
    post,
    postEvent: (envelope: unknown) => post(JSON.stringify(envelope), 'application/json'),
    postCommand: (form: string) => post(form, 'application/x-www-form-urlencoded'),
  };
}

/** The fixture's thread-reply envelope, as `user` writing `text` (message `ts`) in a thread. */
export function threadReplyEnvelope(m: {
  channel: string;
  threadTs: string;
  ts: string;
  user: string;
  text: string;
  eventId: string;
}) {
  const e = sharedFixture('slack/event_message_in_thread.json');
  Object.assign(e.event, {
    text: m.text,
    thread_ts: m.threadTs,
    channel: m.channel,
    user: m.user,
    ts: m.ts,
    event_ts: m.ts,
  });
  delete e.event.blocks;
  e.event_id = m.eventId;
  return e;
}

/** The fixture's `/ticket` form fields, with another text and user. */
export function slashCommandFields(text: string, user: string): Record<string, string> {
  const file = fileURLToPath(
    new URL('../../../shared/fixtures/slack/slash_command.txt', import.meta.url),
  );
  const form = new URLSearchParams(readFileSync(file, 'utf8'));
  form.set('text', text);
  form.set('user_id', user);
  return Object.fromEntries(form);
}

export const slashCommandForm = (text: string, user: string) =>
  new URLSearchParams(slashCommandFields(text, user)).toString();
