import { describe, expect, it } from 'vitest';
import {
  phoneOfWaId,
  toInboundEvents,
  toRoutedInboundEvents,
} from '../../../../adapters/whatsapp-cloud/inbound.js';
import type { InboundEvent } from '../../../../src/ports/channel.js';
import { fixtureJson } from './fixtures.js';

const CUST = { id: '919900000001', name: 'Cust A', phone: '+919900000001' };
const at = (unix: number) => new Date(unix * 1000);
const SENT_WAMID = 'wamid.HBgMOTE5OTAwMDAwMDAxFQIAERgUM0JGQUtFMDAwMDAwMDAwMDAwMDEA';
const inbound = (suffix: string) =>
  `wamid.HBgMOTE5OTAwMDAwMDAxFQIAEhgUM0FGQUtFMDAwMDAwMDAwMDAx${suffix}`;
const message = (suffix: string, unix: number, rest: Partial<InboundEvent>): InboundEvent =>
  ({
    channel: 'whatsapp',
    externalId: inbound(suffix),
    chatId: '919900000001',
    from: CUST,
    sentAt: at(unix),
    ...rest,
  }) as InboundEvent;
const status = (s: 'sent' | 'delivered' | 'read' | 'failed', unix: number, extra = {}) => ({
  channel: 'whatsapp',
  kind: 'status',
  externalId: `status:${SENT_WAMID}:${s}`,
  chatId: '919900000001',
  from: { id: '919900000001', phone: '+919900000001' },
  sentAt: at(unix),
  status: { messageExternalId: SENT_WAMID, status: s, ...extra },
});

const cases: [string, unknown][] = [
  [
    'text.json',
    message('MDEA', 1767261600, { kind: 'text', text: 'Hi, my order #1042 has not arrived yet.' }),
  ],
  [
    'image.json',
    message('MDIA', 1767261610, {
      kind: 'media',
      text: 'Screenshot of the error',
      media: [{ kind: 'photo', platformFileId: '1000000000000102', mimeType: 'image/jpeg' }],
    }),
  ],
  [
    'document.json',
    message('MDMA', 1767261620, {
      kind: 'media',
      text: 'Invoice attached',
      media: [
        {
          kind: 'document',
          platformFileId: '1000000000000103',
          mimeType: 'application/pdf',
          fileName: 'invoice-1042.pdf',
        },
      ],
    }),
  ],
  [
    'audio.json',
    message('MDQA', 1767261630, {
      kind: 'media',
      media: [
        { kind: 'voice', platformFileId: '1000000000000104', mimeType: 'audio/ogg; codecs=opus' },
      ],
    }),
  ],
  [
    'video.json',
    message('MDUA', 1767261640, {
      kind: 'media',
      text: 'Video of the damaged parcel',
      media: [{ kind: 'video', platformFileId: '1000000000000105', mimeType: 'video/mp4' }],
    }),
  ],
  [
    'location.json',
    message('MDYA', 1767261650, {
      kind: 'location',
      location: {
        latitude: 12.971599,
        longitude: 77.594566,
        name: 'Example Warehouse (test)',
        address: '1 Test Street, Example Nagar, Bengaluru 560001',
      },
    }),
  ],
  [
    'contacts.json',
    message('MDcA', 1767261660, {
      kind: 'contact',
      contact: { phone: '+919900000002', name: 'Cust B', userId: '919900000002' },
    }),
  ],
  [
    'interactive_button_reply.json',
    message('MDgA', 1767261670, {
      kind: 'button',
      buttonPayload: 'csat_yes_1042',
      text: 'Yes, resolved',
    }),
  ],
  [
    'interactive_list_reply.json',
    message('MDkA', 1767261680, {
      kind: 'button',
      buttonPayload: 'topic_delivery',
      text: 'Delivery issue',
    }),
  ],
  [
    'button.json',
    message('MTAA', 1767261690, {
      kind: 'button',
      buttonPayload: 'REOPEN_1042',
      text: 'Reopen ticket',
    }),
  ],
  ['unsupported.json', message('MTEA', 1767261700, { kind: 'unsupported' })],
  ['status_sent.json', status('sent', 1767261800)],
  ['status_delivered.json', status('delivered', 1767261805)],
  ['status_read.json', status('read', 1767261860)],
  [
    'status_failed.json',
    status('failed', 1767261810, { error: 'Re-engagement message', errorCode: 131047 }),
  ],
];

describe('toInboundEvents', () => {
  it.each(cases)('%s → one event', (file, expected) => {
    expect(toInboundEvents(fixtureJson(file))).toEqual([expected]);
  });

  it('routes every event to the business phone number id', () => {
    for (const [file] of cases) {
      const routed = toRoutedInboundEvents(fixtureJson(file));
      expect(routed.map((r) => r.phoneNumberId)).toEqual(['100000000000002']);
    }
  });

  it('keeps payload order across entries, changes and messages', () => {
    const text = fixtureJson('text.json');
    const image = fixtureJson('image.json');
    const read = fixtureJson('status_read.json');
    const twoMessages = structuredClone(text.entry[0].changes[0]);
    twoMessages.value.messages.push(structuredClone(image.entry[0].changes[0].value.messages[0]));
    const notification = {
      object: 'whatsapp_business_account',
      entry: [
        { id: '1', changes: [twoMessages, read.entry[0].changes[0]] },
        { id: '2', changes: [fixtureJson('button.json').entry[0].changes[0]] },
      ],
    };
    expect(toInboundEvents(notification).map((e) => [e.kind, e.externalId])).toEqual([
      ['text', inbound('MDEA')],
      ['media', inbound('MDIA')],
      ['status', `status:${SENT_WAMID}:read`],
      ['button', inbound('MTAA')],
    ]);
  });

  it('filters by phone number id when asked', () => {
    const other = fixtureJson('text.json');
    other.entry[0].changes[0].value.metadata.phone_number_id = '999';
    expect(toInboundEvents(other, { phoneNumberId: '100000000000002' })).toEqual([]);
    expect(toInboundEvents(other, { phoneNumberId: '999' })).toHaveLength(1);
  });

  it('gives a plain audio file the kind audio', () => {
    const audio = fixtureJson('audio.json');
    delete audio.entry[0].changes[0].value.messages[0].audio.voice;
    expect(toInboundEvents(audio)[0]?.media?.[0]?.kind).toBe('audio');
  });

  it('maps a sticker to media and unknown types to unsupported', () => {
    const n = fixtureJson('text.json');
    const m = n.entry[0].changes[0].value.messages[0];
    delete m.text;
    m.type = 'sticker';
    m.sticker = { id: 'st1', mime_type: 'image/webp', animated: false };
    expect(toInboundEvents(n)[0]).toMatchObject({
      kind: 'media',
      media: [{ kind: 'sticker', platformFileId: 'st1', mimeType: 'image/webp' }],
    });
    m.type = 'reaction';
    expect(toInboundEvents(n)[0]?.kind).toBe('unsupported');
    m.type = 'image'; // declared image without an image object
    expect(toInboundEvents(n)[0]?.kind).toBe('unsupported');
  });

  it('ignores other objects, other fields and malformed entries', () => {
    expect(toInboundEvents(null)).toEqual([]);
    expect(toInboundEvents({ object: 'page', entry: [] })).toEqual([]);
    const template = fixtureJson('text.json');
    template.entry[0].changes[0].field = 'message_template_status_update';
    expect(toInboundEvents(template)).toEqual([]);
    const broken = fixtureJson('text.json');
    delete broken.entry[0].changes[0].value.messages[0].id;
    expect(toInboundEvents(broken)).toEqual([]);
    const unknownStatus = fixtureJson('status_read.json');
    unknownStatus.entry[0].changes[0].value.statuses[0].status = 'deleted';
    expect(toInboundEvents(unknownStatus)).toEqual([]);
  });

  it.each([
    ['a message id', (v: any) => (v.messages[0].id = 'wamid.\u0000x'), 'text.json'],
    ['a sender', (v: any) => (v.messages[0].from = '91990\ud800'), 'text.json'],
    ['a status id', (v: any) => (v.statuses[0].id = 'wamid.\u0000'), 'status_read.json'],
  ])(
    'skips an event whose %s PostgreSQL cannot store (found by the webhook fuzz)',
    (_l, patch, file) => {
      const notification = fixtureJson(file) as Record<string, any>;
      patch(notification.entry[0].changes[0].value);
      expect(toInboundEvents(notification)).toEqual([]);
    },
  );

  it('gives a phone only for numeric wa_ids', () => {
    expect(phoneOfWaId('919900000001')).toBe('+919900000001');
    expect(phoneOfWaId('US.13491208655302741918')).toBeUndefined();
  });
});

describe('timestamps Meta could not have sent (found by the route fuzz)', () => {
  it.each([1e308, -1e308, '99999999999999999999', 'soon', Number.NaN])(
    'skips an event whose timestamp is %s instead of recording an Invalid Date',
    (timestamp) => {
      for (const file of ['text.json', 'status_delivered.json']) {
        const notification = fixtureJson(file) as Record<string, any>;
        const value = notification.entry[0].changes[0].value;
        for (const item of [...(value.messages ?? []), ...(value.statuses ?? [])])
          item.timestamp = timestamp;
        expect(toInboundEvents(notification)).toEqual([]);
      }
    },
  );

  it('still reads an ordinary timestamp, as digits or as a number', () => {
    const notification = fixtureJson('text.json') as Record<string, any>;
    notification.entry[0].changes[0].value.messages[0].timestamp = 1767261600;
    expect(toInboundEvents(notification)[0]!.sentAt).toEqual(at(1767261600));
  });
});
