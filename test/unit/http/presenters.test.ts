import { describe, expect, it } from 'vitest';
import {
  presentAgent,
  presentAuditEvent,
  presentCustomer,
  presentList,
  presentMessage,
  presentQueueCounts,
  presentTenant,
  presentTicket,
} from '../../../src/http/presenters.js';
import { AgentJson } from '../../../src/http/schemas/agents.js';
import { CustomerJson } from '../../../src/http/schemas/customers.js';
import { TenantJson } from '../../../src/http/schemas/tenants.js';
import {
  AuditEventJson,
  MessageJson,
  TicketCountsJson,
  TicketJson,
} from '../../../src/http/schemas/tickets.js';
import { message, TENANT, ticket } from './fixtures.js';

/** Ticket keys, exactly as CONTRACT.md lists them. */
const CONTRACT_TICKET_KEYS = [
  'id',
  'number',
  'subject',
  'description',
  'status',
  'priority',
  'category',
  'kind',
  'channel',
  'customer',
  'assignee',
  'links',
  'delivery_date',
  'within_policy_window',
  'days_late',
  'sla',
  'resolution',
  'created_at',
  'updated_at',
  'resolved_at',
  'closed_at',
];
const TICKET_EXTENSIONS = ['approval', 'last_delivery_error'];

const CONTRACT_MESSAGE_KEYS = [
  'id',
  'ticket_id',
  'author_type',
  'author_id',
  'body',
  'internal',
  'attachments',
  'channel',
  'delivery_status',
  'created_at',
];
const MESSAGE_EXTENSIONS = ['delivery_error'];

const sorted = (keys: string[]) => [...keys].sort();

describe('presentTicket', () => {
  it('has the contract keys (plus documented extensions) and nothing else', () => {
    const json = presentTicket(ticket());
    expect(sorted(Object.keys(json))).toEqual(
      sorted([...CONTRACT_TICKET_KEYS, ...TICKET_EXTENSIONS]),
    );
    expect(Object.keys(json.customer).sort()).toEqual(['id', 'name']);
    expect(sorted(Object.keys(json.sla))).toEqual(
      sorted([
        'first_response_due_at',
        'resolution_due_at',
        'first_response_at',
        'breached',
        'next_due_at',
        'paused_at',
        'first_response_breached_at',
        'resolution_breached_at',
      ]),
    );
  });

  it('writes dates as ISO strings and keeps nulls', () => {
    const json = presentTicket(
      ticket({
        assignee: { id: 'a1', name: 'Bo' },
        resolution: { code: 'replacement', notes: 'sent' },
        status: 'resolved',
        resolvedAt: new Date('2026-03-02T09:00:00Z'),
      }),
    );
    expect(json.created_at).toBe('2026-03-01T10:00:00.000Z');
    expect(json.sla.first_response_due_at).toBe('2026-03-01T14:00:00.000Z');
    expect(json.sla.first_response_at).toBeNull();
    expect(json.assignee).toEqual({ id: 'a1', name: 'Bo' });
    expect(json.resolution).toEqual({ code: 'replacement', notes: 'sent', reference: null });
    expect(json.resolved_at).toBe('2026-03-02T09:00:00.000Z');
    expect(json.closed_at).toBeNull();
    expect(json.number).toBe('TK-2026-00042');
  });

  it('fills every link key', () => {
    const json = presentTicket(ticket({ links: { order_ref: 'SO-1' } as never }));
    expect(json.links).toEqual({
      order_ref: 'SO-1',
      invoice_ref: null,
      product_sku: null,
      store_ref: null,
      batch_ref: null,
      crm_contact_id: null,
    });
  });

  it('matches the documented response schema', () => {
    expect(TicketJson.strict().safeParse(presentTicket(ticket())).success).toBe(true);
  });
});

describe('presentMessage', () => {
  it('has the contract keys (plus documented extensions) and nothing else', () => {
    const json = presentMessage(
      message({
        attachments: [
          { id: 'f1', sha256: 'abc', sizeBytes: 12, mimeType: 'image/png', fileName: 'a.png' },
        ],
      }),
    );
    expect(sorted(Object.keys(json))).toEqual(
      sorted([...CONTRACT_MESSAGE_KEYS, ...MESSAGE_EXTENSIONS]),
    );
    expect(json.attachments).toEqual([
      { id: 'f1', file_name: 'a.png', mime_type: 'image/png', size_bytes: 12, sha256: 'abc' },
    ]);
    expect(json.created_at).toBe('2026-03-01T10:05:00.000Z');
    expect(MessageJson.strict().safeParse(json).success).toBe(true);
  });
});

describe('other presenters', () => {
  it('present customers with their identities', () => {
    const json = presentCustomer({
      id: 'c1',
      tenantId: TENANT.id,
      name: 'Ana',
      language: 'es',
      tier: null,
      identities: [
        { kind: 'phone', value: '+491511234567' },
        { kind: 'external', value: 'crm-9' },
      ],
      createdAt: new Date('2026-01-02T00:00:00Z'),
    });
    expect(json).toMatchObject({ phone: '+491511234567', external_id: 'crm-9', email: null });
    expect(CustomerJson.strict().safeParse(json).success).toBe(true);
  });

  it('present agents, tenants, audit events and counts', () => {
    const agent = presentAgent({
      id: 'a1',
      tenantId: TENANT.id,
      name: 'Bo',
      email: null,
      role: 'supervisor',
      slackUserId: 'U1',
      telegramUserId: null,
      active: true,
      capacity: 5,
      groups: ['l1'],
      createdAt: new Date('2026-01-02T00:00:00Z'),
    });
    expect(agent.slack_user_id).toBe('U1');
    expect(AgentJson.strict().safeParse(agent).success).toBe(true);

    const tenant = presentTenant(TENANT);
    expect(Object.keys(tenant)).toEqual(expect.arrayContaining(['id', 'name', 'slug']));
    expect(TenantJson.strict().safeParse(tenant).success).toBe(true);

    const event = presentAuditEvent({
      id: 7,
      entityType: 'ticket',
      entityId: 't1',
      ticketId: 't1',
      action: 'status_changed',
      actorType: 'agent',
      actorId: 'a1',
      changes: { status: { from: 'new', to: 'assigned' } },
      createdAt: new Date('2026-01-02T00:00:00Z'),
    });
    expect(AuditEventJson.strict().safeParse(event).success).toBe(true);

    const counts = presentQueueCounts({ byStatus: { new: 2 }, unassigned: 2, overdue: 0 });
    expect(counts).toEqual({ by_status: { new: 2 }, unassigned: 2, overdue: 0, mine: null });
    expect(TicketCountsJson.safeParse(counts).success).toBe(true);
  });

  it('wraps lists as {data, next_cursor}', () => {
    expect(presentList({ data: [1, 2], nextCursor: 'c' }, (n) => n * 2)).toEqual({
      data: [2, 4],
      next_cursor: 'c',
    });
    expect(presentList({ data: [] }, (n) => n)).toEqual({ data: [], next_cursor: null });
  });
});
