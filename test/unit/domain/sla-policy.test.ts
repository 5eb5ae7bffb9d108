import { describe, expect, it } from 'vitest';
import type { BusinessCalendar } from '../../../src/domain/business-calendar.js';
import {
  DEFAULT_SLA_POLICY,
  mergeSlaPolicy,
  resolveSlaPolicy,
  type SlaPolicyRecord,
} from '../../../src/domain/sla-policy.js';
import { DEFAULT_SLA_TARGETS } from '../../../src/domain/sla-targets.js';

const paris: BusinessCalendar = {
  timezone: 'Europe/Paris',
  hours: { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']] },
  holidays: [],
};
const ticket: { groupId: string | null; category: string; customerTier: string | null } = {
  groupId: 'g-stores',
  category: 'order_issue',
  customerTier: 'gold',
};

describe('DEFAULT_SLA_POLICY', () => {
  it('has the agreed defaults', () => {
    expect(DEFAULT_SLA_POLICY).toEqual({
      targets: {
        urgent: { first_response_seconds: 900, resolution_seconds: 7200 },
        high: { first_response_seconds: 3600, resolution_seconds: 14400 },
        medium: { first_response_seconds: 14400, resolution_seconds: 86400 },
        low: { first_response_seconds: 28800, resolution_seconds: 172800 },
      },
      calendar: null,
      pause_when_awaiting_customer: true,
      escalation: { warning_ratio: 0.75, climb_after_seconds: 1800, bump_priority_on_breach: true },
    });
    expect(DEFAULT_SLA_POLICY.targets).toBe(DEFAULT_SLA_TARGETS);
    expect(Object.isFrozen(DEFAULT_SLA_POLICY)).toBe(true);
    expect(Object.isFrozen(DEFAULT_SLA_POLICY.escalation)).toBe(true);
  });
});

describe('resolveSlaPolicy', () => {
  it('is the defaults when the tenant has no records, as a fresh copy', () => {
    const policy = resolveSlaPolicy([], ticket);
    expect(policy).toEqual(DEFAULT_SLA_POLICY);
    policy.targets.high.first_response_seconds = 1;
    policy.escalation.warning_ratio = 0.1;
    expect(DEFAULT_SLA_TARGETS.high.first_response_seconds).toBe(3600);
    expect(DEFAULT_SLA_POLICY.escalation.warning_ratio).toBe(0.75);
  });

  it('a layer overrides only the fields it sets, down to one field of one priority', () => {
    const records: SlaPolicyRecord[] = [
      {
        scope: 'tenant',
        scopeValue: '',
        policy: {
          targets: { high: { first_response_seconds: 1800 } },
          escalation: { climb_after_seconds: 600 },
        },
      },
    ];
    const policy = resolveSlaPolicy(records, ticket);
    expect(policy.targets.high).toEqual({
      first_response_seconds: 1800,
      resolution_seconds: 14400,
    });
    expect(policy.targets.urgent).toEqual(DEFAULT_SLA_TARGETS.urgent);
    expect(policy.escalation).toEqual({
      warning_ratio: 0.75,
      climb_after_seconds: 600,
      bump_priority_on_breach: true,
    });
    expect(policy.calendar).toBeNull();
    expect(policy.pause_when_awaiting_customer).toBe(true);
  });

  it('applies tenant < group < category < tier, whatever the order of the records', () => {
    const fr = (seconds: number) => ({ targets: { urgent: { first_response_seconds: seconds } } });
    const records: SlaPolicyRecord[] = [
      { scope: 'tier', scopeValue: 'gold', policy: fr(400) },
      { scope: 'category', scopeValue: 'order_issue', policy: fr(300) },
      { scope: 'group', scopeValue: 'g-stores', policy: fr(200) },
      { scope: 'tenant', scopeValue: '', policy: fr(100) },
    ];
    const pick = (t: typeof ticket) =>
      resolveSlaPolicy(records, t).targets.urgent.first_response_seconds;
    expect(pick(ticket)).toBe(400);
    expect(pick({ ...ticket, customerTier: null })).toBe(300);
    expect(pick({ ...ticket, customerTier: 'silver', category: 'billing' })).toBe(200);
    expect(pick({ groupId: null, category: 'billing', customerTier: null })).toBe(100);
    expect(pick({ groupId: 'g-other', category: 'billing', customerTier: 'bronze' })).toBe(100);
  });

  it('merges different fields from different layers', () => {
    const records: SlaPolicyRecord[] = [
      {
        scope: 'tenant',
        scopeValue: '',
        policy: { calendar: paris, pause_when_awaiting_customer: false },
      },
      {
        scope: 'group',
        scopeValue: 'g-stores',
        policy: { targets: { low: { resolution_seconds: 99 } } },
      },
      {
        scope: 'category',
        scopeValue: 'order_issue',
        policy: { escalation: { warning_ratio: 0.5 } },
      },
      {
        scope: 'tier',
        scopeValue: 'gold',
        policy: { escalation: { bump_priority_on_breach: false } },
      },
    ];
    const policy = resolveSlaPolicy(records, ticket);
    expect(policy.calendar).toEqual(paris);
    expect(policy.pause_when_awaiting_customer).toBe(false);
    expect(policy.targets.low).toEqual({ first_response_seconds: 28800, resolution_seconds: 99 });
    expect(policy.escalation).toEqual({
      warning_ratio: 0.5,
      climb_after_seconds: 1800,
      bump_priority_on_breach: false,
    });
  });

  it('calendar null explicitly means 24/7; a missing calendar inherits', () => {
    const records: SlaPolicyRecord[] = [
      { scope: 'tenant', scopeValue: '', policy: { calendar: paris } },
      { scope: 'group', scopeValue: 'g-night', policy: { calendar: null } },
      {
        scope: 'category',
        scopeValue: 'order_issue',
        policy: { pause_when_awaiting_customer: false },
      },
    ];
    expect(resolveSlaPolicy(records, ticket).calendar).toEqual(paris);
    expect(resolveSlaPolicy(records, { ...ticket, groupId: 'g-night' }).calendar).toBeNull();
  });

  it('ignores a group, category or tier record with an empty value', () => {
    const records: SlaPolicyRecord[] = [
      { scope: 'tier', scopeValue: '', policy: { pause_when_awaiting_customer: false } },
      { scope: 'group', scopeValue: '', policy: { pause_when_awaiting_customer: false } },
    ];
    expect(
      resolveSlaPolicy(records, { groupId: null, category: 'billing', customerTier: null })
        .pause_when_awaiting_customer,
    ).toBe(true);
  });
});

describe('mergeSlaPolicy', () => {
  it('leaves both arguments unchanged and skips fields that are not numbers or booleans', () => {
    const base = mergeSlaPolicy(DEFAULT_SLA_POLICY, undefined);
    const override = {
      targets: { medium: { first_response_seconds: null as unknown as number } },
      pause_when_awaiting_customer: undefined,
    };
    const merged = mergeSlaPolicy(base, override);
    expect(merged).toEqual(base);
    expect(merged.targets).not.toBe(base.targets);
  });
});
