import { describe, expect, it } from 'vitest';
import {
  parseVCard,
  toInboundEvent,
  toStatusEvent,
} from '../../../../adapters/whatsapp-web/inbound.js';
import { waMessage } from './fake-client.js';

const VCARD = [
  'BEGIN:VCARD',
  'VERSION:3.0',
  'N:;Ravi;;;',
  'FN:Ravi Kumar',
  'TEL;type=CELL;type=VOICE;waid=919900000002:+91 99000 00002',
  'END:VCARD',
].join('\n');

describe('toInboundEvent', () => {
  it('maps a text message with sender, phone and time', () => {
    expect(toInboundEvent(waMessage({ body: 'my order is late' }))).toEqual({
      channel: 'whatsapp',
      kind: 'text',
      externalId: 'false_919900000001@c.us_3EB0AAAA',
      chatId: '919900000001@c.us',
      from: { id: '919900000001@c.us', name: 'Asha', phone: '+919900000001' },
      sentAt: new Date(1_767_225_600_000),
      text: 'my order is late',
    });
  });

  it.each([
    ['image', 'photo', 'broken seal', 'broken seal'],
    ['video', 'video', '', undefined],
    ['audio', 'audio', '', undefined],
    ['ptt', 'voice', '', undefined],
    ['document', 'document', 'invoice', 'invoice'],
    ['sticker', 'sticker', '', undefined],
  ])('maps %s to %s media with the caption as text', (type, kind, body, text) => {
    const event = toInboundEvent(waMessage({ type, body, hasMedia: true }));
    expect(event?.kind).toBe('media');
    expect(event?.text).toBe(text);
    expect(event?.media).toEqual([{ kind, platformFileId: 'false_919900000001@c.us_3EB0AAAA' }]);
  });

  it('maps a location', () => {
    const event = toInboundEvent(
      waMessage({
        type: 'location',
        body: '',
        location: { latitude: 12.97, longitude: '77.59', name: 'Shop', address: 'MG Road' },
      }),
    );
    expect(event?.kind).toBe('location');
    expect(event?.location).toEqual({
      latitude: 12.97,
      longitude: 77.59,
      name: 'Shop',
      address: 'MG Road',
    });
  });

  it('maps a vcard to a contact', () => {
    const event = toInboundEvent(waMessage({ type: 'vcard', body: VCARD, vCards: [VCARD] }));
    expect(event?.kind).toBe('contact');
    expect(event?.contact).toEqual({
      phone: '+919900000002',
      name: 'Ravi Kumar',
      userId: '919900000002@c.us',
    });
  });

  it('maps button and list responses to button events', () => {
    const button = toInboundEvent(
      waMessage({ type: 'buttons_response', body: 'Yes', selectedButtonId: 'confirm_yes' }),
    );
    expect(button).toMatchObject({ kind: 'button', buttonPayload: 'confirm_yes', text: 'Yes' });
    const row = toInboundEvent(
      waMessage({ type: 'list_response', body: 'Refund', selectedRowId: 'cat_refund' }),
    );
    expect(row).toMatchObject({ kind: 'button', buttonPayload: 'cat_refund' });
  });

  it('ignores groups, our own messages, status broadcasts and system notices', () => {
    expect(toInboundEvent(waMessage({ from: '120363000000000000@g.us' }))).toBeNull();
    expect(toInboundEvent(waMessage({ fromMe: true }))).toBeNull();
    expect(toInboundEvent(waMessage({ isStatus: true }))).toBeNull();
    expect(toInboundEvent(waMessage({ from: 'status@broadcast' }))).toBeNull();
    expect(toInboundEvent(waMessage({ type: 'e2e_notification' }))).toBeNull();
  });

  it('marks other kinds unsupported and gives no phone for @lid senders', () => {
    expect(toInboundEvent(waMessage({ type: 'poll_creation' }))?.kind).toBe('unsupported');
    const lid = toInboundEvent(waMessage({ from: '123456789012345@lid' }));
    expect(lid?.from).toEqual({ id: '123456789012345@lid', name: 'Asha' });
  });

  it('parses a vCard without waid from its TEL value', () => {
    expect(parseVCard('BEGIN:VCARD\nFN:Mina\nTEL:+62 812-3456\nEND:VCARD')).toEqual({
      phone: '+628123456',
      name: 'Mina',
    });
    expect(parseVCard('BEGIN:VCARD\nFN:Nobody\nEND:VCARD')).toBeNull();
  });
});

describe('toStatusEvent', () => {
  const ours = waMessage({
    fromMe: true,
    from: '919800000000@c.us',
    to: '919900000001@c.us',
    id: { _serialized: 'true_919900000001@c.us_OUT1' },
  });
  const at = new Date('2026-01-01T00:00:00Z');

  it.each([
    [1, 'sent'],
    [2, 'delivered'],
    [3, 'read'],
    [4, 'read'],
    [-1, 'failed'],
  ])('maps ack %s to %s on the customer chat', (ack, status) => {
    const event = toStatusEvent(ours, ack, at);
    expect(event).toMatchObject({
      kind: 'status',
      chatId: '919900000001@c.us',
      externalId: `true_919900000001@c.us_OUT1:ack:${ack}`,
      status: { messageExternalId: 'true_919900000001@c.us_OUT1', status },
    });
  });

  it('ignores pending acks', () => {
    expect(toStatusEvent(ours, 0, at)).toBeNull();
  });
});

describe('a timestamp that is not a usable time (found by the route fuzz)', () => {
  it.each([Number.NaN, 1e308, Number.POSITIVE_INFINITY])(
    'uses the time it arrived for %s',
    (timestamp) => {
      const receivedAt = new Date('2026-03-01T10:00:00Z');
      const event = toInboundEvent(waMessage({ body: 'hi', timestamp }), receivedAt);
      expect(event?.sentAt).toEqual(receivedAt);
    },
  );
});
