/**
 * SLA policies: the tenant's own (`GET|PUT /sla-policy`), overrides by agent group, category and
 * customer tier (`/sla-policy/overrides`), and `loadSlaPolicy`, the policy a ticket runs under.
 * Readers: any staff member of the tenant. Writers: supervisors and admins. Every change is
 * audited on the tenant (`sla_policy_changed`, before → after).
 */
import { actorRef, isSupervisorOrAbove } from '../domain/actor.js';
import { type BusinessCalendar, calendarProblems } from '../domain/business-calendar.js';
import { ParleyError, forbidden, notFound } from '../domain/errors.js';
import type { Tenant } from '../domain/records.js';
import {
  type EscalationSettings,
  type SlaPolicy,
  type SlaPolicyOverride,
  type SlaPolicyRecord,
  type SlaTarget,
  resolveSlaPolicy,
} from '../domain/sla-policy.js';
import type { Priority } from '../domain/vocabulary.js';
import type { Stores } from '../ports/stores.js';
import type { AppDeps, RequestContext } from './context.js';
import { vocabularyOf } from './tenant-policy.js';
import { isUuid } from '../domain/uuid.js';

/** `PUT /sla-policy`: priorities left out take the defaults; escalation left out stays as it is. */
export interface SlaPolicyUpdate {
  targets: Partial<Record<Priority, SlaTarget>>;
  calendar: BusinessCalendar | null;
  pause_when_awaiting_customer: boolean;
  escalation?: Partial<EscalationSettings> | undefined;
}

export type SlaOverrideScope = Exclude<SlaPolicyRecord['scope'], 'tenant'>;

export interface SlaOverrideView {
  scope: SlaOverrideScope;
  value: string;
  policy: SlaPolicyOverride;
}

/** Who a ticket is, for choosing its policy: its group, category and customer (or tier). */
export interface SlaPolicySubject {
  groupId: string | null;
  category: string;
  customerId?: string | null;
  /** When the caller already knows it; otherwise read from the customer. */
  customerTier?: string | null;
}

/**
 * The policy a ticket runs under: the defaults, overlaid by the tenant's record and the records of
 * its group, category and customer tier (see `resolveSlaPolicy`). Runs in the caller's stores.
 */
export async function loadSlaPolicy(
  s: Stores,
  tenant: Pick<Tenant, 'id'>,
  ticket: SlaPolicySubject,
): Promise<SlaPolicy> {
  return (await loadSlaPolicyByCategory(s, tenant, ticket))(ticket.category);
}

/**
 * `loadSlaPolicy` for one group and customer under any category, read once: for a change that
 * moves a ticket from one category to another.
 */
export async function loadSlaPolicyByCategory(
  s: Stores,
  tenant: Pick<Tenant, 'id'>,
  ticket: Omit<SlaPolicySubject, 'category'>,
): Promise<(category: string) => SlaPolicy> {
  const records = await s.slaPolicies.list(tenant.id);
  let customerTier = ticket.customerTier ?? null;
  if (ticket.customerTier === undefined && ticket.customerId && records.some(isTier)) {
    customerTier = (await s.customers.findById(tenant.id, ticket.customerId))?.tier ?? null;
  }
  return (category) =>
    resolveSlaPolicy(records, { groupId: ticket.groupId, category, customerTier });
}

const isTier = (r: SlaPolicyRecord) => r.scope === 'tier';

/** The tenant-wide policy (defaults overlaid by the tenant's record), without any override. */
function tenantPolicy(records: SlaPolicyRecord[]): SlaPolicy {
  return resolveSlaPolicy(
    records.filter((r) => r.scope === 'tenant'),
    { groupId: null, category: '', customerTier: null },
  );
}

function assertStaff(ctx: RequestContext): void {
  if (ctx.actor.type === 'customer') throw forbidden('Customers may not read the SLA policy');
}

function assertCanChange(ctx: RequestContext): void {
  if (!isSupervisorOrAbove(ctx.actor)) {
    throw forbidden('Only a supervisor or an admin may change the SLA policy');
  }
}

function assertCalendar(calendar: BusinessCalendar | null | undefined): void {
  if (calendar === undefined) return;
  const problems = calendarProblems(calendar);
  if (problems.length > 0) {
    throw new ParleyError(
      'unprocessable',
      'invalid_calendar',
      `The calendar cannot be used: ${problems.join('; ')}`,
      { problems },
    );
  }
}

export async function getSlaPolicy(deps: AppDeps, ctx: RequestContext): Promise<SlaPolicy> {
  assertStaff(ctx);
  return tenantPolicy(await deps.uow.read.slaPolicies.list(ctx.tenant.id));
}

export async function updateSlaPolicy(
  deps: AppDeps,
  ctx: RequestContext,
  input: SlaPolicyUpdate,
): Promise<SlaPolicy> {
  assertCanChange(ctx);
  assertCalendar(input.calendar);
  return deps.uow.transaction(async (s) => {
    const now = deps.clock.now();
    const records = await s.slaPolicies.list(ctx.tenant.id);
    const before = tenantPolicy(records);
    const stored: SlaPolicyOverride = {
      targets: definedTargets(input.targets),
      calendar: input.calendar,
      pause_when_awaiting_customer: input.pause_when_awaiting_customer,
      escalation: { ...before.escalation, ...defined(input.escalation ?? {}) },
    };
    await s.slaPolicies.upsert(
      ctx.tenant.id,
      { scope: 'tenant', scopeValue: '', policy: stored },
      now,
    );
    const after = tenantPolicy([{ scope: 'tenant', scopeValue: '', policy: stored }]);
    await audit(s, ctx, now, changedKeys(before, after));
    return after;
  });
}

export async function listSlaOverrides(
  deps: AppDeps,
  ctx: RequestContext,
): Promise<SlaOverrideView[]> {
  assertStaff(ctx);
  const records = await deps.uow.read.slaPolicies.list(ctx.tenant.id);
  return records.filter((r) => r.scope !== 'tenant').map(toView);
}

export async function putSlaOverride(
  deps: AppDeps,
  ctx: RequestContext,
  scope: SlaOverrideScope,
  value: string,
  policy: SlaPolicyOverride,
): Promise<SlaOverrideView> {
  assertCanChange(ctx);
  assertCalendar(policy.calendar);
  return deps.uow.transaction(async (s) => {
    const now = deps.clock.now();
    const scopeValue = await scopeValueOf(s, ctx.tenant, scope, value);
    const records = await s.slaPolicies.list(ctx.tenant.id);
    const earlier = records.find((r) => r.scope === scope && r.scopeValue === scopeValue);
    const record: SlaPolicyRecord = { scope, scopeValue, policy: compact(policy) };
    await s.slaPolicies.upsert(ctx.tenant.id, record, now);
    await audit(s, ctx, now, {
      [`override.${scope}.${scopeValue}`]: { from: earlier?.policy ?? null, to: record.policy },
    });
    return toView(record);
  });
}

export async function deleteSlaOverride(
  deps: AppDeps,
  ctx: RequestContext,
  scope: SlaOverrideScope,
  value: string,
): Promise<SlaOverrideView[]> {
  assertCanChange(ctx);
  return deps.uow.transaction(async (s) => {
    const now = deps.clock.now();
    const scopeValue = await scopeValueOf(s, ctx.tenant, scope, value, { mustExist: false });
    const records = await s.slaPolicies.list(ctx.tenant.id);
    const earlier = records.find((r) => r.scope === scope && r.scopeValue === scopeValue);
    if (!earlier || !(await s.slaPolicies.remove(ctx.tenant.id, scope, scopeValue))) {
      throw notFound('SLA policy override');
    }
    await audit(s, ctx, now, {
      [`override.${scope}.${scopeValue}`]: { from: earlier.policy, to: null },
    });
    return records.filter((r) => r.scope !== 'tenant' && r !== earlier).map(toView);
  });
}

/**
 * The stored scope value: a group's id (given as its id or its name), a category of the tenant's
 * vocabulary, or a tier as given. Unknown groups and categories are a 422 when writing.
 */
async function scopeValueOf(
  s: Stores,
  tenant: Tenant,
  scope: SlaOverrideScope,
  value: string,
  opts: { mustExist?: boolean } = {},
): Promise<string> {
  const mustExist = opts.mustExist ?? true;
  if (scope === 'group') {
    const group = isUuid(value)
      ? await s.assignment.findGroup(tenant.id, value)
      : await s.assignment.findGroupByName(tenant.id, value);
    if (group) return group.id;
    if (mustExist) throw unknownScopeValue('group', value);
    return value;
  }
  if (scope === 'category') {
    const known = vocabularyOf(tenant).categories.some((c) => c.key === value);
    if (!known && mustExist) throw unknownScopeValue('category', value);
  }
  return value;
}

function unknownScopeValue(scope: 'group' | 'category', value: string): ParleyError {
  return new ParleyError(
    'unprocessable',
    scope === 'group' ? 'unknown_group' : 'unknown_category',
    `There is no ${scope === 'group' ? 'agent group' : 'category'} "${value}" in this team`,
  );
}

const toView = (r: SlaPolicyRecord): SlaOverrideView => ({
  scope: r.scope as SlaOverrideScope,
  value: r.scopeValue,
  policy: r.policy,
});

async function audit(
  s: Stores,
  ctx: RequestContext,
  now: Date,
  changes: Record<string, { from: unknown; to: unknown }>,
): Promise<void> {
  if (Object.keys(changes).length === 0) return;
  const who = actorRef(ctx.actor);
  await s.audit.record({
    tenantId: ctx.tenant.id,
    entityType: 'tenant',
    entityId: ctx.tenant.id,
    action: 'sla_policy_changed',
    actorType: who.actor_type,
    actorId: who.actor_id,
    changes,
    createdAt: now,
  });
}

function changedKeys(
  before: SlaPolicy,
  after: SlaPolicy,
): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after) as (keyof SlaPolicy)[]) {
    if (canonical(before[key]) !== canonical(after[key])) {
      out[key] = { from: before[key], to: after[key] };
    }
  }
  return out;
}

/** JSON with object keys sorted (jsonb does not keep the order they were written in). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Drops undefined fields (zod leaves optional keys out, but callers may pass them). */
function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function definedTargets(
  targets: Partial<Record<Priority, Partial<SlaTarget> | undefined>>,
): NonNullable<SlaPolicyOverride['targets']> {
  const out: NonNullable<SlaPolicyOverride['targets']> = {};
  for (const [priority, target] of Object.entries(targets) as [
    Priority,
    Partial<SlaTarget> | undefined,
  ][]) {
    if (target) out[priority] = defined(target);
  }
  return out;
}

/** An override as stored: only the fields it sets. */
function compact(policy: SlaPolicyOverride): SlaPolicyOverride {
  const out: SlaPolicyOverride = {};
  if (policy.targets) out.targets = definedTargets(policy.targets);
  if (policy.calendar !== undefined) out.calendar = policy.calendar;
  if (policy.pause_when_awaiting_customer !== undefined) {
    out.pause_when_awaiting_customer = policy.pause_when_awaiting_customer;
  }
  if (policy.escalation) out.escalation = defined(policy.escalation);
  return out;
}
