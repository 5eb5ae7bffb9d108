import { describe, expect, it } from 'vitest';
import { LINK_KEYS } from '../../../src/domain/records.js';
import { CreateAgentBody } from '../../../src/http/schemas/agents.js';
import { CreateTenantBody } from '../../../src/http/schemas/tenants.js';
import { SlaPolicyBody } from '../../../src/http/schemas/sla-policy.js';
import {
  CreateMessageBody,
  CreateTicketBody,
  LinksInput,
  ListTicketsQuery,
  UpdateTicketBody,
} from '../../../src/http/schemas/tickets.js';

const AGENT_ID = '22222222-2222-4222-8222-222222222222';

describe('ListTicketsQuery', () => {
  it('defaults the limit to 50 and leaves the rest out', () => {
    expect(ListTicketsQuery.parse({})).toEqual({ limit: 50 });
  });

  it('reads comma lists, repeated parameters and both', () => {
    expect(ListTicketsQuery.parse({ status: 'new,assigned' }).status).toEqual(['new', 'assigned']);
    expect(ListTicketsQuery.parse({ status: ['new', 'assigned'] }).status).toEqual([
      'new',
      'assigned',
    ]);
    expect(ListTicketsQuery.parse({ priority: ['low, high', 'urgent'] }).priority).toEqual([
      'low',
      'high',
      'urgent',
    ]);
    expect(ListTicketsQuery.parse({ category: 'billing,,technical,' }).category).toEqual([
      'billing',
      'technical',
    ]);
  });

  it('rejects unknown statuses and priorities', () => {
    expect(ListTicketsQuery.safeParse({ status: 'new,open' }).success).toBe(false);
    expect(ListTicketsQuery.safeParse({ priority: 'critical' }).success).toBe(false);
  });

  it('bounds the limit to 1..200', () => {
    expect(ListTicketsQuery.parse({ limit: '200' }).limit).toBe(200);
    expect(ListTicketsQuery.parse({ limit: '1' }).limit).toBe(1);
    for (const limit of ['0', '201', '-5', '2.5', 'ten', '']) {
      expect(ListTicketsQuery.safeParse({ limit }).success, limit).toBe(false);
    }
  });

  it('accepts the four sorts only', () => {
    for (const sort of ['created_at', '-created_at', '-priority', 'sla_due_at']) {
      expect(ListTicketsQuery.parse({ sort }).sort).toBe(sort);
    }
    const bad = ListTicketsQuery.safeParse({ sort: 'priority' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['sort']);
  });

  it('reads overdue=true|false only', () => {
    expect(ListTicketsQuery.parse({ overdue: 'true' }).overdue).toBe(true);
    expect(ListTicketsQuery.parse({ overdue: 'false' }).overdue).toBe(false);
    expect(ListTicketsQuery.safeParse({ overdue: 'yes' }).success).toBe(false);
  });

  it('takes an agent id, me or none as assignee_id', () => {
    expect(ListTicketsQuery.parse({ assignee_id: AGENT_ID }).assignee_id).toBe(AGENT_ID);
    expect(ListTicketsQuery.parse({ assignee_id: 'me' }).assignee_id).toBe('me');
    expect(ListTicketsQuery.parse({ assignee_id: 'none' }).assignee_id).toBe('none');
    expect(ListTicketsQuery.safeParse({ assignee_id: 'bob' }).success).toBe(false);
    expect(ListTicketsQuery.safeParse({ customer_id: 'bob' }).success).toBe(false);
  });

  it('ignores unknown query parameters', () => {
    expect(ListTicketsQuery.parse({ _: '123' })).toEqual({ limit: 50 });
  });
});

describe('CreateTicketBody', () => {
  const valid = {
    customer: { name: 'Ana', phone: '+49 151 1234567' },
    subject: '  Broken mug  ',
    category: 'order_issue',
  };

  it('trims strings', () => {
    expect(CreateTicketBody.parse(valid).subject).toBe('Broken mug');
  });

  it('rejects unknown keys at any level, with their path', () => {
    const top = CreateTicketBody.safeParse({ ...valid, sujbect: 'x' });
    expect(top.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', path: [] });
    const nested = CreateTicketBody.safeParse({ ...valid, customer: { nick: 'A' } });
    expect(nested.error?.issues[0]?.path).toEqual(['customer']);
    expect(CreateTicketBody.safeParse({ ...valid, links: { shop: 'x' } }).success).toBe(false);
  });

  it('enforces lengths and required fields', () => {
    expect(CreateTicketBody.safeParse({ ...valid, subject: 'x'.repeat(301) }).success).toBe(false);
    expect(CreateTicketBody.safeParse({ ...valid, subject: '   ' }).success).toBe(false);
    expect(CreateTicketBody.safeParse({ ...valid, description: 'x'.repeat(20_001) }).success).toBe(
      false,
    );
    const { category: _category, ...withoutCategory } = valid;
    expect(CreateTicketBody.safeParse(withoutCategory).success).toBe(false);
  });

  it('checks dates, emails and base64 attachments', () => {
    expect(CreateTicketBody.safeParse({ ...valid, delivery_date: '2026-02-30' }).success).toBe(
      false,
    );
    expect(CreateTicketBody.parse({ ...valid, delivery_date: '2026-02-27' }).delivery_date).toBe(
      '2026-02-27',
    );
    expect(
      CreateTicketBody.safeParse({ ...valid, customer: { email: 'not-an-email' } }).success,
    ).toBe(false);
    const attachment = { file_name: 'a.jpg', mime_type: 'image/jpeg', data_base64: 'aGVs\nbG8=' };
    expect(CreateTicketBody.parse({ ...valid, attachments: [attachment] }).attachments).toEqual([
      { ...attachment, data_base64: 'aGVsbG8=' },
    ]);
    expect(
      CreateTicketBody.safeParse({
        ...valid,
        attachments: [{ ...attachment, data_base64: 'not base64!' }],
      }).success,
    ).toBe(false);
  });

  it('accepts exactly the contract link keys', () => {
    expect(Object.keys(LinksInput.shape).sort()).toEqual([...LINK_KEYS].sort());
    expect(LinksInput.parse({ order_ref: '', invoice_ref: null })).toEqual({
      order_ref: null,
      invoice_ref: null,
    });
  });
});

describe('UpdateTicketBody', () => {
  it('needs at least one field', () => {
    expect(UpdateTicketBody.safeParse({}).success).toBe(false);
  });
  it('takes an agent id, me or null as assignee', () => {
    expect(UpdateTicketBody.parse({ assignee_id: null }).assignee_id).toBeNull();
    expect(UpdateTicketBody.parse({ assignee_id: 'me' }).assignee_id).toBe('me');
    expect(UpdateTicketBody.safeParse({ assignee_id: 'bob' }).success).toBe(false);
  });
  it('checks the resolution code', () => {
    expect(UpdateTicketBody.safeParse({ resolution: { code: 'refund' } }).success).toBe(true);
    expect(UpdateTicketBody.safeParse({ resolution: { code: 'shrug' } }).success).toBe(false);
  });
});

describe('other bodies', () => {
  it('messages need a body or an attachment', () => {
    expect(CreateMessageBody.safeParse({ body: '  ' }).success).toBe(false);
    expect(CreateMessageBody.parse({ body: ' hi ', internal: true })).toEqual({
      body: 'hi',
      internal: true,
    });
  });
  it('agents need a known role', () => {
    expect(CreateAgentBody.safeParse({ name: 'Bo', role: 'boss' }).success).toBe(false);
    expect(CreateAgentBody.parse({ name: 'Bo', role: 'engineer', groups: ['l2'] }).role).toBe(
      'engineer',
    );
  });
  it('tenants need a slug and a real time zone', () => {
    expect(CreateTenantBody.parse({ name: 'Acme', slug: 'Acme-EU' }).slug).toBe('acme-eu');
    expect(CreateTenantBody.safeParse({ name: 'Acme', slug: '-acme' }).success).toBe(false);
    expect(
      CreateTenantBody.safeParse({ name: 'Acme', slug: 'acme', timezone: 'Mars/Base' }).success,
    ).toBe(false);
  });
  it('SLA policies check intervals and allow a null calendar', () => {
    const targets = { urgent: { first_response_seconds: 900, resolution_seconds: 7200 } };
    expect(
      SlaPolicyBody.safeParse({ targets, calendar: null, pause_when_awaiting_customer: true })
        .success,
    ).toBe(true);
    const calendar = {
      timezone: 'Asia/Kolkata',
      hours: { mon: [['18:00', '09:00']] },
      holidays: [],
    };
    expect(
      SlaPolicyBody.safeParse({ targets, calendar, pause_when_awaiting_customer: false }).success,
    ).toBe(false);
  });
});
