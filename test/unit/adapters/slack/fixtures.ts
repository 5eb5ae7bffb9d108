/** The shared Slack payload fixtures (/work/shared/fixtures/slack, beside the repo). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseSlackRequest } from '../../../../adapters/slack/inbound.js';
import type { SlackInbound, SlackMessageEvent } from '../../../../adapters/slack/types.js';
import { signSlackRequest } from '../../../../adapters/slack/verify.js';
import type { RawRequest } from '../../../../src/ports/raw-http.js';

export const SIGNING_SECRET = 'test-slack-signing-secret';
/** The fixtures' time: 2026-01-01T10:00Z. */
export const FIXTURE_NOW = new Date(1767261600 * 1000);

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../../../../../shared/fixtures/slack/${name}`, import.meta.url));
}

/** The exact file bytes (sign these, never a re-serialization). */
export function fixtureBytes(name: string): Buffer {
  return readFileSync(fixturePath(name));
}

export function fixtureJson<T = any>(name: string): T {
  return JSON.parse(fixtureBytes(name).toString('utf8')) as T;
}

/** `payload=<url-encoded JSON>`: how Slack posts interactivity, built from the fixture's bytes. */
export function interactivityBody(name: string): Buffer {
  const json = fixtureBytes(name).toString('utf8');
  return Buffer.from(new URLSearchParams({ payload: json }).toString(), 'utf8');
}

const FORM = 'application/x-www-form-urlencoded';

/** The request Slack would send for a fixture, signed at `at` (seconds) with `secret`. */
export function slackRequest(
  name: string,
  opts: { at?: number; secret?: string; headers?: Record<string, string> } = {},
): RawRequest {
  const interactive = name === 'block_actions.json' || name === 'view_submission.json';
  const rawBody = interactive ? interactivityBody(name) : fixtureBytes(name);
  const contentType = name.endsWith('.json') && !interactive ? 'application/json' : FORM;
  const at = opts.at ?? Math.floor(FIXTURE_NOW.getTime() / 1000);
  return {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(at),
      'x-slack-signature': signSlackRequest(opts.secret ?? SIGNING_SECRET, at, rawBody),
      ...opts.headers,
    },
    rawBody,
  };
}

/** Parses a fixture as Slack would send it (signed, with its content type). */
export function parseFixture(name: string, headers: Record<string, string> = {}): SlackInbound {
  const result = parseSlackRequest(slackRequest(name, { headers }));
  if (!result.ok) throw new Error(result.error);
  return result.inbound;
}

export function messageOf(inbound: SlackInbound): SlackMessageEvent {
  if (inbound.kind !== 'event' || inbound.event.type !== 'message')
    throw new Error('not a message');
  return inbound.event;
}
