import { describe, expect, it } from 'vitest';
import { dateFromUnixSeconds, type InboundEvent } from '../../../src/ports/channel.js';
import {
  MalformedInboundEvent,
  checkInboundEvents,
} from '../../../src/ports/inbound-event-schema.js';

const event = (over: Record<string, unknown> = {}): InboundEvent =>
  ({
    channel: 'telegram',
    kind: 'text',
    externalId: '1:2',
    chatId: '1',
    from: { id: '1', name: 'Cust', languageCode: 'en' },
    sentAt: new Date('2026-01-01T10:00:00Z'),
    text: 'hello',
    ...over,
  }) as InboundEvent;

describe('dateFromUnixSeconds', () => {
  it('reads seconds as a number or as digits', () => {
    expect(dateFromUnixSeconds(1767261600)).toEqual(new Date('2026-01-01T10:00:00Z'));
    expect(dateFromUnixSeconds('1767261600')).toEqual(new Date('2026-01-01T10:00:00Z'));
  });

  it.each([
    1e308,
    -1e308,
    8.64e12 + 1,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    '1e3',
    '',
    null,
    {},
    '99999999999999999',
  ])('gives undefined for %s (never an Invalid Date)', (value) => {
    expect(dateFromUnixSeconds(value)).toBeUndefined();
  });
});

describe('checkInboundEvents', () => {
  it('passes events that are what the port promises', () => {
    const events = [event(), event({ kind: 'button', buttonPayload: 'x', text: undefined })];
    expect(checkInboundEvents(events)).toBe(events);
  });

  it.each([
    ['a numeric language code', { from: { id: '1', languageCode: 7 } }],
    ['an object as text', { text: { bold: 'hi' } }],
    ['an invalid date', { sentAt: new Date(Number.NaN) }],
    ['an empty chat id', { chatId: '' }],
    ['a media item without a file id', { kind: 'media', media: [{ kind: 'photo' }] }],
    ['an infinite latitude', { location: { latitude: Infinity, longitude: 1 } }],
  ])('refuses %s', (_label, over) => {
    expect(() => checkInboundEvents([event(over)])).toThrow(MalformedInboundEvent);
  });
});
