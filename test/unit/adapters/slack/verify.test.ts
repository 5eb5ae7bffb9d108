import { isValidSlackRequest as boltIsValid } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import {
  isValidSlackRequest,
  signSlackRequest,
  verifySlackRequest,
} from '../../../../adapters/slack/verify.js';
import { ManualClock } from '../../../../src/domain/clock.js';
import type { RawRequest } from '../../../../src/ports/raw-http.js';
import { FIXTURE_NOW, SIGNING_SECRET, slackRequest } from './fixtures.js';

const NOW_SEC = Math.floor(FIXTURE_NOW.getTime() / 1000);
const clock = new ManualClock(FIXTURE_NOW);

const verify = (req: RawRequest, secret = SIGNING_SECRET, at: Date = FIXTURE_NOW) =>
  verifySlackRequest({
    signingSecret: secret,
    headers: req.headers,
    rawBody: req.rawBody,
    clock: new ManualClock(at),
  });

describe('verifySlackRequest (v0 signatures)', () => {
  it.each([
    'slash_command.txt',
    'event_message_in_thread.json',
    'url_verification.json',
    'block_actions.json',
    'view_submission.json',
  ])('accepts %s signed over its exact bytes', (name) => {
    expect(verify(slackRequest(name))).toEqual({ ok: true });
  });

  it('signs exactly as bolt verifies (v0:{ts}:{raw body}, HMAC-SHA256 hex)', () => {
    const req = slackRequest('slash_command.txt');
    expect(
      boltIsValid({
        signingSecret: SIGNING_SECRET,
        body: req.rawBody.toString('utf8'),
        headers: {
          'x-slack-signature': String(req.headers['x-slack-signature']),
          'x-slack-request-timestamp': NOW_SEC,
        },
        nowMilliseconds: FIXTURE_NOW.getTime(),
      }),
    ).toBe(true);
    expect(signSlackRequest('s', 1, 'b')).toBe(signSlackRequest('s', '1', Buffer.from('b')));
    expect(signSlackRequest('s', 1, 'b')).toMatch(/^v0=[0-9a-f]{64}$/);
  });

  it('refuses a timestamp more than five minutes old or ahead, accepting the edge', () => {
    const at = (sec: number) => slackRequest('slash_command.txt', { at: sec });
    expect(verify(at(NOW_SEC - 301))).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verify(at(NOW_SEC + 301))).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verify(at(NOW_SEC - 300))).toEqual({ ok: true });
    expect(verify(at(NOW_SEC + 300))).toEqual({ ok: true });
  });

  it('moves with the injected clock: a request valid now is stale six minutes later', () => {
    const req = slackRequest('event_app_mention.json');
    const c = new ManualClock(FIXTURE_NOW);
    const input = {
      signingSecret: SIGNING_SECRET,
      headers: req.headers,
      rawBody: req.rawBody,
      clock: c,
    };
    expect(isValidSlackRequest(input)).toBe(true);
    c.advance(6 * 60 * 1000);
    expect(verifySlackRequest(input)).toEqual({ ok: false, reason: 'stale_timestamp' });
  });

  it('refuses a signature made with another secret', () => {
    const req = slackRequest('slash_command.txt', { secret: 'someone-else' });
    expect(verify(req)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a tampered body, even by one byte', () => {
    const req = slackRequest('slash_command.txt');
    const tampered = Buffer.from(req.rawBody);
    tampered[tampered.length - 1] = tampered[tampered.length - 1]! ^ 1;
    expect(verify({ ...req, rawBody: tampered })).toEqual({ ok: false, reason: 'bad_signature' });
    const reserialized = Buffer.from(
      JSON.stringify(JSON.parse(slackRequest('url_verification.json').rawBody.toString())),
    );
    const json = slackRequest('url_verification.json');
    expect(verify({ ...json, rawBody: reserialized })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('refuses a valid signature replayed with another timestamp', () => {
    const req = slackRequest('slash_command.txt');
    const headers = { ...req.headers, 'x-slack-request-timestamp': String(NOW_SEC - 10) };
    expect(verify({ ...req, headers })).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses missing or malformed headers and an unset secret', () => {
    const req = slackRequest('slash_command.txt');
    const sig = String(req.headers['x-slack-signature']);
    const without = (name: string) => {
      const headers = { ...req.headers };
      delete headers[name];
      return { ...req, headers };
    };
    expect(verify(without('x-slack-signature'))).toEqual({ ok: false, reason: 'missing_headers' });
    expect(verify(without('x-slack-request-timestamp'))).toEqual({
      ok: false,
      reason: 'missing_headers',
    });
    const bad = (headers: Record<string, string>) =>
      verify({ ...req, headers: { ...req.headers, ...headers } });
    expect(bad({ 'x-slack-request-timestamp': '17e8' })).toEqual({
      ok: false,
      reason: 'bad_timestamp',
    });
    expect(bad({ 'x-slack-signature': sig.replace('v0=', 'v1=') })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(bad({ 'x-slack-signature': sig.slice(0, -2) })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verify(req, '')).toEqual({ ok: false, reason: 'no_secret' });
  });

  it('reads headers in any case', () => {
    const req = slackRequest('slash_command.txt');
    const headers = {
      'X-Slack-Signature': req.headers['x-slack-signature'],
      'X-Slack-Request-Timestamp': [String(req.headers['x-slack-request-timestamp'])],
    };
    expect(
      verifySlackRequest({ signingSecret: SIGNING_SECRET, headers, rawBody: req.rawBody, clock }),
    ).toEqual({ ok: true });
  });
});
