/** Found by the webhook fuzz: `/ticket reply 42 <NUL>` answered 500 (PostgreSQL refuses NUL). */
import { describe, expect, it } from 'vitest';
import { parseSlackRequest } from '../../../../adapters/slack/inbound.js';
import { storableStrings } from '../../../../src/domain/unicode-text.js';

const form = (text: string) =>
  new URLSearchParams({
    team_id: 'T1',
    channel_id: 'C1',
    user_id: 'U1',
    command: '/ticket',
    text,
    response_url: 'https://hooks.slack.test/x',
    trigger_id: '1.2.3',
  }).toString();

describe('Slack requests carry only text PostgreSQL can store', () => {
  it('drops NUL from a slash command', () => {
    const parsed = parseSlackRequest({
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      rawBody: Buffer.from(form('reply 42 a\u0000b')),
    });
    expect(parsed.ok && parsed.inbound.kind === 'slash_command' && parsed.inbound.text).toBe(
      'reply 42 ab',
    );
  });

  it('drops NUL and replaces lone surrogates in an event', () => {
    const body = JSON.stringify({
      type: 'event_callback',
      event_id: 'Ev1',
      team_id: 'T1',
      event: { type: 'message', text: 'x\u0000\ud800y 👍', user: 'U1', channel: 'C1', ts: '1.2' },
    });
    const parsed = parseSlackRequest({
      headers: { 'content-type': 'application/json' },
      rawBody: Buffer.from(body),
    });
    if (!parsed.ok || parsed.inbound.kind !== 'event') throw new Error('not parsed');
    expect((parsed.inbound.event as { text: string }).text).toBe('x\ufffdy 👍');
  });
});

describe('storableStrings', () => {
  it('cleans strings at any depth, keys too, and keeps a __proto__ key an own property', () => {
    const input = JSON.parse(
      '{"a":["\\u0000x",{"__proto__":{"polluted":"\\ud800"}}],"k\\u0000":1}',
    );
    const out = storableStrings(input) as Record<string, any>;
    expect(out.a[0]).toBe('x');
    expect(Object.hasOwn(out.a[1], '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(out.a[1], '__proto__')?.value).toEqual({
      polluted: '\ufffd',
    });
    expect(out.k).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
