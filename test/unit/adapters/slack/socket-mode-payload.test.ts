/** Socket Mode envelope payloads parse into the same SlackInbound as the HTTP route's bodies. */
import { describe, expect, it } from 'vitest';
import { parseSlackRequest, parseSocketModePayload } from '../../../../adapters/slack/inbound.js';
import { sharedFixture } from '../../../support/chat-driver.js';
import { slashCommandFields } from '../../../support/slack-driver.js';

const http = (body: string, contentType: string) =>
  parseSlackRequest({ headers: { 'content-type': contentType }, rawBody: Buffer.from(body) });

describe('parseSocketModePayload', () => {
  it('reads an events_api payload like the Events API body, with the retry attempt', () => {
    const envelope = sharedFixture('slack/event_message_in_thread.json');
    const socket = parseSocketModePayload(envelope, { retryNum: 2, retryReason: 'timeout' });
    const viaHttp = http(JSON.stringify(envelope), 'application/json');
    expect(socket).toEqual(
      viaHttp.ok
        ? { ok: true, inbound: { ...viaHttp.inbound, retryNum: 2, retryReason: 'timeout' } }
        : viaHttp,
    );
    expect(socket.ok && socket.inbound.kind).toBe('event');
  });

  it('reads a slash_commands payload like the form body', () => {
    const fields = slashCommandFields('show 42', 'U0TESTAGTB');
    const socket = parseSocketModePayload(fields, {});
    expect(socket).toEqual(
      http(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded'),
    );
    expect(socket.ok && socket.inbound.kind === 'slash_command' && socket.inbound.text).toBe(
      'show 42',
    );
  });

  it('reads an interactive payload like the form payload field', () => {
    const payload = sharedFixture('slack/block_actions.json');
    const socket = parseSocketModePayload(payload, {});
    expect(socket).toEqual(
      http(
        `payload=${encodeURIComponent(JSON.stringify(payload))}`,
        'application/x-www-form-urlencoded',
      ),
    );
    expect(socket.ok && socket.inbound.kind).toBe('block_actions');
  });

  it('refuses what is not an object or misses required fields', () => {
    expect(parseSocketModePayload('nope', {}).ok).toBe(false);
    expect(parseSocketModePayload({ type: 'event_callback' }, {}).ok).toBe(false);
    expect(parseSocketModePayload({ command: '/ticket' }, {}).ok).toBe(false);
  });
});
