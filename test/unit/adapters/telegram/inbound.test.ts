import type { Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { toInboundEvents } from '../../../../adapters/telegram/inbound.js';
import type { InboundEvent } from '../../../../src/ports/channel.js';
import { fixture, fixtureNames } from './support.js';

const custA = { id: '100000001', name: 'Cust A', languageCode: 'en', username: 'cust_a_test' };
const base = { channel: 'telegram' as const, chatId: '100000001', from: custA };
const at = (unix: number) => new Date(unix * 1000);
const receivedAt = new Date('2026-01-01T10:06:00Z');

const expected: Record<string, InboundEvent[]> = {
  'message_text.json': [
    {
      ...base,
      kind: 'text',
      externalId: '100000001:101',
      sentAt: at(1767261600),
      text: 'Hi, my order #1042 has not arrived yet.',
    },
  ],
  'message_start_deeplink.json': [
    {
      ...base,
      kind: 'command',
      externalId: '100000001:102',
      sentAt: at(1767261610),
      text: '/start tkt_1042',
      command: { name: 'start', args: 'tkt_1042' },
    },
  ],
  'message_photo.json': [
    {
      ...base,
      kind: 'media',
      externalId: '100000001:103',
      sentAt: at(1767261620),
      text: 'Screenshot of the error on checkout',
      media: [
        {
          kind: 'photo',
          platformFileId: 'AgACAgUAAxkBAAIBZ2FAKE_PHOTO_X_0001AAMCAAN5AAM2BA',
          mimeType: 'image/jpeg',
          sizeBytes: 142311,
        },
      ],
    },
  ],
  'message_document.json': [
    {
      ...base,
      kind: 'media',
      externalId: '100000001:104',
      sentAt: at(1767261630),
      text: 'Invoice attached',
      media: [
        {
          kind: 'document',
          platformFileId: 'BQACAgUAAxkBAAIBaFAKE_DOCUMENT_0001AAGCAAN5AAE2BA',
          mimeType: 'application/pdf',
          fileName: 'invoice-1042.pdf',
          sizeBytes: 48213,
        },
      ],
    },
  ],
  'message_voice.json': [
    {
      ...base,
      kind: 'media',
      externalId: '100000001:105',
      sentAt: at(1767261640),
      media: [
        {
          kind: 'voice',
          platformFileId: 'AwACAgUAAxkBAAIBaVFAKE_VOICE_0001AAGCAAN5AAE2BA',
          mimeType: 'audio/ogg',
          sizeBytes: 21873,
        },
      ],
    },
  ],
  'message_location.json': [
    {
      ...base,
      kind: 'location',
      externalId: '100000001:106',
      sentAt: at(1767261650),
      location: { latitude: 12.971599, longitude: 77.594566 },
    },
  ],
  'message_contact.json': [
    {
      ...base,
      from: { ...custA, phone: '+919900000001' },
      kind: 'contact',
      externalId: '100000001:107',
      sentAt: at(1767261660),
      contact: { phone: '+919900000001', name: 'Cust A', userId: '100000001' },
    },
  ],
  'edited_message.json': [
    {
      ...base,
      kind: 'edit',
      externalId: '100000001:101:edit:1767261675',
      editedExternalId: '100000001:101',
      sentAt: at(1767261675),
      text: 'Hi, my order #1042 has not arrived yet (ordered on 20 Dec).',
    },
  ],
  'callback_query.json': [
    {
      ...base,
      kind: 'button',
      externalId: 'cb:4382000000000000901',
      sentAt: receivedAt,
      buttonPayload: 'csat:1042:yes',
      callbackQueryId: '4382000000000000901',
    },
  ],
  'my_chat_member_blocked.json': [
    {
      ...base,
      kind: 'blocked',
      externalId: '100000001:blocked:1767262200',
      sentAt: at(1767262200),
      blocked: true,
    },
  ],
  // The agents' supergroup is not a customer chat.
  'group_message_text.json': [],
};

describe('toInboundEvents on the shared fixtures', () => {
  it('has an expectation for every fixture file', () => {
    expect(Object.keys(expected).sort()).toEqual(fixtureNames());
  });

  it.each(fixtureNames())('%s', (name) => {
    const update = fixture(name) as unknown as Update;
    expect(toInboundEvents(update, receivedAt)).toStrictEqual(expected[name]);
  });
});

describe("the agents' chat (TELEGRAM_AGENT_CHAT_ID)", () => {
  const update = fixture('group_message_text.json') as unknown as Update;

  it('reads messages of that one group, and of no other group', () => {
    const events = toInboundEvents(update, receivedAt, { staffChatId: '-1001000000001' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ chatId: '-1001000000001', from: { id: '100000002' } });
    expect(toInboundEvents(update, receivedAt, { staffChatId: '-1009999999999' })).toEqual([]);
  });
});
