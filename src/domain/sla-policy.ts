import type { BusinessCalendar } from './business-calendar.js';
import { DEFAULT_SLA_TARGETS, type SlaTargets } from './sla-targets.js';
import { PRIORITIES, type Priority } from './vocabulary.js';

/**
 * SLA policies (CONTRACT.md, `/sla-policy`): targets per priority, a business calendar
 * (`null` = 24/7), whether the clock pauses while awaiting the customer, and escalation
 * settings. A tenant may layer overrides by group, category and customer tier.
 */

export interface EscalationSettings {
  /** Warn when this share of a target has elapsed (0.75 = at 75 %). */
  warning_ratio: number;
  /** Climb one rung of the escalation ladder after this many unacknowledged seconds. */
  climb_after_seconds: number;
  /** Raise the ticket's priority one step when a target is breached. */
  bump_priority_on_breach: boolean;
}

export interface SlaPolicy {
  targets: SlaTargets;
  calendar: BusinessCalendar | null;
  pause_when_awaiting_customer: boolean;
  escalation: EscalationSettings;
}

export type { SlaTargets } from './sla-targets.js';
export type SlaTarget = SlaTargets[Priority];

/** A layer of a policy: every field optional; `calendar: null` explicitly means 24/7. */
export interface SlaPolicyOverride {
  targets?: Partial<Record<Priority, Partial<SlaTarget>>>;
  calendar?: BusinessCalendar | null;
  pause_when_awaiting_customer?: boolean;
  escalation?: Partial<EscalationSettings>;
}

export const SLA_POLICY_SCOPES = ['tenant', 'group', 'category', 'tier'] as const;
export type SlaPolicyScope = (typeof SLA_POLICY_SCOPES)[number];

export interface SlaPolicyRecord {
  scope: SlaPolicyScope;
  /** '' for the tenant scope; a group id, category or customer tier otherwise. */
  scopeValue: string;
  policy: SlaPolicyOverride;
}

export const DEFAULT_ESCALATION: Readonly<EscalationSettings> = Object.freeze({
  warning_ratio: 0.75,
  climb_after_seconds: 1800,
  bump_priority_on_breach: true,
});

export const DEFAULT_SLA_POLICY: Readonly<SlaPolicy> = Object.freeze({
  targets: DEFAULT_SLA_TARGETS,
  calendar: null,
  pause_when_awaiting_customer: true,
  escalation: DEFAULT_ESCALATION,
});

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * `base` with the fields `override` sets replaced: targets per priority and per field, calendar
 * when present (null = 24/7, undefined = inherit), escalation per field. Returns a new object;
 * neither argument is changed.
 */
export function mergeSlaPolicy(
  base: SlaPolicy,
  override: SlaPolicyOverride | undefined,
): SlaPolicy {
  const targets = {} as SlaTargets;
  for (const p of PRIORITIES) {
    const from = base.targets[p];
    const layer = override?.targets?.[p];
    targets[p] = {
      first_response_seconds: isNumber(layer?.first_response_seconds)
        ? layer.first_response_seconds
        : from.first_response_seconds,
      resolution_seconds: isNumber(layer?.resolution_seconds)
        ? layer.resolution_seconds
        : from.resolution_seconds,
    };
  }
  const esc = override?.escalation;
  return {
    targets,
    calendar: override?.calendar !== undefined ? override.calendar : base.calendar,
    pause_when_awaiting_customer:
      typeof override?.pause_when_awaiting_customer === 'boolean'
        ? override.pause_when_awaiting_customer
        : base.pause_when_awaiting_customer,
    escalation: {
      warning_ratio: isNumber(esc?.warning_ratio)
        ? esc.warning_ratio
        : base.escalation.warning_ratio,
      climb_after_seconds: isNumber(esc?.climb_after_seconds)
        ? esc.climb_after_seconds
        : base.escalation.climb_after_seconds,
      bump_priority_on_breach:
        typeof esc?.bump_priority_on_breach === 'boolean'
          ? esc.bump_priority_on_breach
          : base.escalation.bump_priority_on_breach,
    },
  };
}

/**
 * The policy that applies to a ticket: the defaults, then the tenant record, then the record of
 * the ticket's group, then of its category, then of its customer's tier — each layer overriding
 * only the fields it sets.
 */
export function resolveSlaPolicy(
  records: readonly SlaPolicyRecord[],
  ticket: { groupId: string | null; category: string; customerTier: string | null },
): SlaPolicy {
  const find = (scope: SlaPolicyScope, value: string | null): SlaPolicyOverride | undefined => {
    if (scope !== 'tenant' && (value === null || value === '')) return undefined;
    return records.find((r) => r.scope === scope && (scope === 'tenant' || r.scopeValue === value))
      ?.policy;
  };
  let policy = mergeSlaPolicy(DEFAULT_SLA_POLICY, undefined);
  policy = mergeSlaPolicy(policy, find('tenant', ''));
  policy = mergeSlaPolicy(policy, find('group', ticket.groupId));
  policy = mergeSlaPolicy(policy, find('category', ticket.category));
  policy = mergeSlaPolicy(policy, find('tier', ticket.customerTier));
  return policy;
}
