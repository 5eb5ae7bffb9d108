/**
 * What the REST fuzz sends per operation: a well-formed body for each request schema (which the
 * fuzz then mutates), path parameters (real ids and junk) and query values. Operations come
 * from `OPERATIONS`, the source of the OpenAPI document, so a new route is fuzzed as soon as it
 * is documented; a request schema without a well-formed body here fails the test.
 */
import fc from 'fast-check';
import type { Operation } from '../../../../src/http/openapi/operations.js';
import { NASTY_STRINGS, nastyString } from './hostile.js';

/** The smallest JPEG-looking bytes (SOI, JFIF APP0, EOI) that pass the magic-byte check. */
export const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
  Buffer.from('JFIF\0', 'latin1'),
  Buffer.alloc(9, 1),
  Buffer.from([0xff, 0xd9]),
]);

/** Records the fuzz aims real ids at. */
export interface RealRecords {
  ticketId: string;
  ticketNumber: string;
  agentId: string;
  groupId: string;
  groupName: string;
  customerId: string;
  scheduledId: string;
  scheduledKey: string;
}

let unique = 0;
const next = () => `${Date.now().toString(36)}${unique++}`;

/** A well-formed body per request schema name (a fresh one per call: unique keys stay unique). */
export function validBodies(r: RealRecords): Record<string, () => unknown> {
  const ticket = () => ({
    customer: { name: 'Fuzz Customer', email: `fuzz-${next()}@example.test` },
    subject: 'Blender arrived broken',
    description: 'The jar is cracked',
    category: 'order_issue',
    priority: 'medium',
    kind: 'b2c',
    links: { order_ref: 'ORD-1', invoice_ref: 'INV-1' },
    delivery_date: '2026-01-02',
  });
  const attachment = () => ({
    file_name: 'photo.jpg',
    mime_type: 'image/jpeg',
    data_base64: JPEG.toString('base64'),
  });
  return {
    CreateTicketRequest: () => ({ ...ticket(), attachments: [attachment()] }),
    UpdateTicketRequest: () => ({
      priority: 'high',
      category: 'billing',
      links: { order_ref: 'ORD-2' },
    }),
    CreateMessageRequest: () => ({
      body: 'Any news?',
      internal: false,
      attachments: [attachment()],
    }),
    ApprovalRequest: () => ({ decision: 'approve' }),
    CustomerInput: () => ({
      name: 'Fuzz Person',
      phone: '+15550001234',
      email: `c-${next()}@example.test`,
      external_id: `ext-${next()}`,
      language: 'en',
    }),
    LinksInput: () => ({ order_ref: 'ORD-3' }),
    AttachmentInput: attachment,
    CreateAgentRequest: () => ({
      name: 'Fuzz Agent',
      email: `a-${next()}@example.test`,
      role: 'agent',
      slack_user_id: `U${next().toUpperCase()}`,
      capacity: 5,
      groups: [r.groupName],
    }),
    CreateTenantRequest: () => ({ name: 'Fuzz Brand', slug: `fuzz-${next()}` }),
    SlaPolicyRequest: () => ({
      targets: {
        urgent: { first_response_seconds: 900, resolution_seconds: 14_400 },
        high: { first_response_seconds: 3600, resolution_seconds: 86_400 },
      },
      calendar: {
        timezone: 'Asia/Kolkata',
        hours: { mon: [['09:00', '18:00']], sat: [['10:00', '14:00']] },
        holidays: ['2026-12-25'],
      },
      pause_when_awaiting_customer: true,
      escalation: { warning_ratio: 0.75, climb_after_seconds: 1800 },
    }),
    SlaOverrideRequest: () => ({
      targets: { high: { first_response_seconds: 600 } },
      pause_when_awaiting_customer: false,
    }),
    SetWatcherRequest: () => ({ role: 'watcher', notify: { slack_dm: true, events: ['status'] } }),
    CreateGroupRequest: () => ({
      name: `Queue ${next()}`,
      slack_channel_id: 'C0FUZZ1',
      assignment: 'manual',
      members: [r.agentId],
    }),
    UpdateGroupRequest: () => ({ assignment: 'round_robin', members: [r.agentId] }),
    CreateWebhookSubscriptionRequest: () => ({
      url: `https://crm.example.test/parley/${next()}`,
      events: ['ticket.created', 'ticket.updated'],
    }),
    CreateReceiptLinkRequest: () => ({
      store_ref: 'S-1',
      product_sku: 'SKU-1',
      invoice_ref: 'INV-9',
      purchase_date: '2026-01-01',
      expires_in_days: 30,
    }),
    TenantSettingsRequest: () => ({
      claim_window_grace_days: 3,
      canned_replies: { thanks: { en: 'Thanks {{customer_name}}' } },
      reaction_shortcuts: { eyes: 'claim' },
    }),
    ScheduleTicketRequest: () => ({
      external_key: `journey-${next()}`,
      run_at: new Date(Date.now() + 86_400_000).toISOString(),
      ticket: ticket(),
    }),
  };
}

/** Path segments that stress decoding and routing, already percent-encoded. */
const RAW_SEGMENTS = [
  '%',
  '%zz',
  '%FF',
  '%00',
  '%ED%A0%80', // a UTF-8 encoded lone surrogate
  '%C0%AE%C0%AE', // overlong dots
  '..',
  '%2e%2e',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '%2F',
  '.',
  '__proto__',
  'constructor',
  'prototype',
  '-1',
  '0',
  '99999999999999999999',
  'a'.repeat(70),
];

/** Percent-encodes any string, lone surrogates included (as their raw UTF-16 code units). */
export function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return [...value]
      .map((ch) => {
        const unit = ch.charCodeAt(0);
        return unit >= 0xd800 && unit <= 0xdfff
          ? `%${(0xe0 | (unit >> 12)).toString(16)}%${(0x80 | ((unit >> 6) & 0x3f)).toString(16)}%${(0x80 | (unit & 0x3f)).toString(16)}`
          : encodeURIComponent(ch);
      })
      .join('');
  }
}

export const junkSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...RAW_SEGMENTS),
  nastyString.filter((s) => s.length > 0 && s.length < 5000).map(encodeSegment),
);

/** Real values a path parameter may take for this operation. */
export function realParams(op: Operation, r: RealRecords): Record<string, string[]> {
  const id = op.path.startsWith('/groups/')
    ? [r.groupId]
    : op.path.startsWith('/customers/')
      ? [r.customerId]
      : [r.agentId];
  return {
    ref: [r.ticketId, r.ticketNumber, `#${Number(r.ticketNumber.split('-').pop())}`],
    id,
    id_or_key: [r.scheduledId, r.scheduledKey],
    scope: ['group', 'category', 'tier'],
    value: [r.groupId, r.groupName, 'order_issue', 'vip'],
  };
}

/** The operation's path with each `{param}` real or junk. */
export function pathArbitrary(op: Operation, r: RealRecords): fc.Arbitrary<string> {
  const names = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const real = realParams(op, r);
  const values = names.map((name) =>
    fc.oneof(
      { weight: 2, arbitrary: fc.constantFrom(...(real[name] ?? ['x'])).map(encodeSegment) },
      { weight: 1, arbitrary: junkSegment },
    ),
  );
  return fc.tuple(...values).map((chosen) => {
    let i = 0;
    return op.path.replace(/\{(\w+)\}/g, () => chosen[i++]!);
  });
}

/** A query string over the operation's documented parameters, with hostile values. */
export function queryArbitrary(op: Operation): fc.Arbitrary<string> {
  const names = op.query ? Object.keys(op.query.shape) : [];
  const pair = fc.tuple(
    fc.oneof(
      { weight: 4, arbitrary: names.length ? fc.constantFrom(...names) : fc.constant('q') },
      { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'a[b]', 'limit[]') },
    ),
    fc.oneof(
      fc.constantFrom(...NASTY_STRINGS).map(encodeSegment),
      fc.constantFrom('%', '%FF', '%00', '0', '-5', '201', '1.5', 'true,false', ',,,'),
      nastyString.filter((s) => s.length < 3000).map(encodeSegment),
    ),
  );
  return fc
    .array(pair, { maxLength: 4 })
    .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}` : ''));
}

/** A header value fetch can send (visible ASCII and Latin-1), sometimes very long. */
export const headerValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({
    unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    maxLength: 60,
  }),
  fc.string({
    unit: fc.integer({ min: 0xa0, max: 0xff }).map((c) => String.fromCharCode(c)),
    maxLength: 20,
  }),
  fc.constantFrom("'; DROP TABLE idempotency_keys; --", 'x'.repeat(300), '__proto__', ' '),
);
