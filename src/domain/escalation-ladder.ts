/**
 * The SLA escalation ladder (pure): given one ticket's SLA snapshot, its policy, the rungs already
 * fired for its current deadlines and `now`, which rungs fire now, which breaches to mark, whether
 * the priority goes up, and when the sweep must look at the ticket next.
 *
 * Each open target (first response until it is given, resolution until resolved) has a ladder,
 * keyed by (ticket, target, due time): a new due time is a new deadline and starts a new ladder.
 * The rungs (defaults from `DEFAULT_ESCALATION`: warning_ratio 0.75, climb_after_seconds 1800,
 * bump_priority_on_breach true):
 * - rung 0, warning: at `warningAt(due, target, warning_ratio)` (75 % of the target elapsed, in
 *   business time) → the assignee, or the ticket's thread when unassigned. Skipped when the
 *   deadline has already passed (the breach rung says more).
 * - rung 1, breach: at the due time → the group's lead (its supervisors, else the tenant's).
 * - rung 2: `climb_after_seconds` after rung 1 fired, unacknowledged → the manager channel.
 * - rung 3: another `climb_after_seconds` later, still unacknowledged → the manager channel
 *   again, as a second call. Then the ladder stops.
 * - Any acknowledgement of a ladder's rung stops the rest of that ladder.
 * - At most one rung per ladder fires per evaluation; the next one is timed from when the
 *   previous one fired (never a burst after downtime).
 *
 * Breaches are facts, not pings: at the due time the target is marked breached (at its due time)
 * whether or not its ladder was acknowledged or its ping waits for business hours. A breach
 * raises the priority one level (low→medium→high→urgent) once per target — the guard is the
 * target's `…_breached_at`, set in the same change — and re-times the targets that are still
 * running with `recomputeForPriority`. Re-timing never starts a second ladder for the same breach
 * and never causes a ping storm:
 * - a breached target keeps its due time (its ladder continues where it was);
 * - a running target's new due time is never later than its current one (a bump only tightens)
 *   and never earlier than the new target's warning share from now, so a bump cannot breach the
 *   other target on the spot: at worst its warning fires now and its breach comes later.
 *
 * Business hours: pings of a ticket that is not urgent wait for the policy calendar's next
 * opening (`nextBusinessTime`); urgent tickets ping at any hour. The climb between rungs is
 * counted in business time for tickets that are not urgent (a breach at 17:50 climbs at 09:20
 * the next working day, not at 09:00 on arrival), in wall-clock time for urgent ones.
 *
 * A paused ticket (`sla_paused_at`) and a resolved or closed one have no checks at all.
 */
import { addBusinessSeconds, isBusinessTime, nextBusinessTime } from './business-calendar.js';
import { bumpPriority } from './priority.js';
import { recomputeForPriority, warningAt } from './sla-clock.js';
import type { SlaPolicy } from './sla-policy.js';
import { nextSlaDue } from './sla-targets.js';
import { isOpenStatus, type Priority, type TicketStatus } from './vocabulary.js';

export const SLA_TARGET_NAMES = ['first_response', 'resolution'] as const;
export type SlaTargetName = (typeof SLA_TARGET_NAMES)[number];

export const RUNG_WARNING = 0;
export const RUNG_BREACH = 1;
export const RUNG_MANAGER = 2;
export const RUNG_SECOND_CALL = 3;
export const LAST_RUNG = RUNG_SECOND_CALL;

/** Who a rung pings; the application turns `group_lead` into agents and `assignee` into one. */
export type RungAudience = 'assignee' | 'group_lead' | 'manager_channel';

export function rungAudience(rung: number): RungAudience {
  if (rung === RUNG_WARNING) return 'assignee';
  if (rung === RUNG_BREACH) return 'group_lead';
  return 'manager_channel';
}

/** What the ladder reads of a ticket. */
export interface LadderTicket {
  status: TicketStatus;
  priority: Priority;
  createdAt: Date;
  firstResponseAt: Date | null;
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  slaPausedAt: Date | null;
  firstResponseBreachedAt: Date | null;
  resolutionBreachedAt: Date | null;
}

/** A rung already fired (a `sla_escalations` row). */
export interface FiredRung {
  target: SlaTargetName;
  dueAt: Date;
  rung: number;
  firedAt: Date;
  acknowledgedAt: Date | null;
}

export interface RungFiring {
  target: SlaTargetName;
  dueAt: Date;
  rung: number;
  audience: RungAudience;
}

export interface BreachMark {
  target: SlaTargetName;
  /** The deadline that was missed (stored as the target's `…_breached_at`). */
  dueAt: Date;
}

export interface PriorityBump {
  from: Priority;
  to: Priority;
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  /** `sla_due_at` for the new due times. */
  slaDueAt: Date | null;
}

export interface LadderDecision {
  fire: RungFiring[];
  breaches: BreachMark[];
  bump: PriorityBump | null;
  /** Set when a due rung waits for business hours. */
  deferredUntil: Date | null;
  /** The ticket's next interesting moment (> now), or null when nothing is left to watch. */
  nextCheckAt: Date | null;
}

const NOTHING: LadderDecision = Object.freeze({
  fire: [],
  breaches: [],
  bump: null,
  deferredUntil: null,
  nextCheckAt: null,
}) as LadderDecision;

type DueTimes = Record<SlaTargetName, Date | null>;

const TARGET_SECONDS = {
  first_response: 'first_response_seconds',
  resolution: 'resolution_seconds',
} as const;

const targetSeconds = (policy: SlaPolicy, priority: Priority, target: SlaTargetName): number =>
  policy.targets[priority][TARGET_SECONDS[target]];

const breachedAtOf = (t: LadderTicket, target: SlaTargetName): Date | null =>
  target === 'first_response' ? t.firstResponseBreachedAt : t.resolutionBreachedAt;

/** The targets still running: first response until it is given, resolution while open. */
function runningDueTimes(t: LadderTicket): DueTimes {
  return {
    first_response: t.firstResponseAt === null ? t.firstResponseDueAt : null,
    resolution: t.resolutionDueAt,
  };
}

export function evaluateLadder(input: {
  ticket: LadderTicket;
  policy: SlaPolicy;
  /** Fired rungs of this ticket (any deadline; those of older deadlines are ignored). */
  fired: readonly FiredRung[];
  now: Date;
}): LadderDecision {
  const { ticket, policy, fired, now } = input;
  if (!isOpenStatus(ticket.status) || ticket.slaPausedAt !== null) return NOTHING;
  const t = now.getTime();
  const due = runningDueTimes(ticket);

  const breaches: BreachMark[] = [];
  for (const target of SLA_TARGET_NAMES) {
    const d = due[target];
    if (d && d.getTime() <= t && breachedAtOf(ticket, target) === null) {
      breaches.push({ target, dueAt: d });
    }
  }
  const bump = bumpFor(ticket, policy, due, breaches, now);
  const priority = bump?.to ?? ticket.priority;
  if (bump) {
    due.first_response = ticket.firstResponseAt === null ? bump.firstResponseDueAt : null;
    due.resolution = bump.resolutionDueAt;
  }
  const urgent = priority === 'urgent';
  const climb = (from: Date): Date =>
    urgent
      ? new Date(from.getTime() + policy.escalation.climb_after_seconds * 1000)
      : addBusinessSeconds(from, policy.escalation.climb_after_seconds, policy.calendar);
  const mayPing = urgent || isBusinessTime(now, policy.calendar);

  const fire: RungFiring[] = [];
  const moments: number[] = [];
  let deferredUntil: Date | null = null;
  for (const target of SLA_TARGET_NAMES) {
    const d = due[target];
    if (!d) continue;
    const rungs = fired.filter((f) => f.target === target && f.dueAt.getTime() === d.getTime());
    const notYetBreached =
      breachedAtOf(ticket, target) === null && !breaches.some((b) => b.target === target);
    if (notYetBreached) moments.push(d.getTime());
    if (rungs.some((r) => r.acknowledgedAt !== null)) continue;
    const top = rungs.reduce<FiredRung | null>((a, r) => (a && a.rung >= r.rung ? a : r), null);
    let next = top ? top.rung + 1 : RUNG_WARNING;
    if (next > LAST_RUNG) continue;
    if (next === RUNG_WARNING && d.getTime() <= t) next = RUNG_BREACH;
    const at =
      next === RUNG_WARNING
        ? warningAt({
            due: d,
            targetSeconds: targetSeconds(policy, priority, target),
            ratio: policy.escalation.warning_ratio,
            calendar: policy.calendar,
          })
        : next === RUNG_BREACH
          ? d
          : climb(top!.firedAt);
    if (at.getTime() > t) {
      moments.push(at.getTime());
      continue;
    }
    if (!mayPing) {
      deferredUntil ??= nextBusinessTime(now, policy.calendar);
      moments.push(deferredUntil.getTime());
      continue;
    }
    fire.push({ target, dueAt: d, rung: next, audience: rungAudience(next) });
    if (next === RUNG_WARNING) moments.push(d.getTime());
    else if (next < LAST_RUNG) moments.push(climb(now).getTime());
  }

  const soonest = moments.length ? Math.min(...moments) : null;
  return {
    fire,
    breaches,
    bump,
    deferredUntil,
    // Never now or earlier: the sweep must not claim the ticket again within the same run.
    nextCheckAt: soonest === null ? null : new Date(Math.max(soonest, t + 1000)),
  };
}

/**
 * The priority bump of this evaluation's breaches (one level per newly breached target), with
 * the re-timed due times; null when nothing breached, bumping is off or the ticket is urgent.
 */
function bumpFor(
  ticket: LadderTicket,
  policy: SlaPolicy,
  due: DueTimes,
  breaches: readonly BreachMark[],
  now: Date,
): PriorityBump | null {
  if (breaches.length === 0 || !policy.escalation.bump_priority_on_breach) return null;
  let to = ticket.priority;
  for (let i = 0; i < breaches.length; i++) to = bumpPriority(to);
  if (to === ticket.priority) return null;
  const frDue = ticket.firstResponseDueAt;
  const resDue = ticket.resolutionDueAt;
  if (!frDue || !resDue) return null;
  const recomputed = recomputeForPriority({
    createdAt: ticket.createdAt,
    oldPriority: ticket.priority,
    newPriority: to,
    current: { first_response_due_at: frDue, resolution_due_at: resDue },
    policy,
  });
  const retime = (target: SlaTargetName, current: Date, fresh: Date): Date => {
    const running = due[target] !== null;
    const breached =
      breachedAtOf(ticket, target) !== null || breaches.some((b) => b.target === target);
    if (!running || breached) return current;
    const share =
      (1 - clampRatio(policy.escalation.warning_ratio)) * targetSeconds(policy, to, target);
    const floor = addBusinessSeconds(now, share, policy.calendar);
    const candidate = Math.max(fresh.getTime(), floor.getTime());
    return new Date(Math.min(current.getTime(), candidate));
  };
  const firstResponseDueAt = retime('first_response', frDue, recomputed.first_response_due_at);
  const resolutionDueAt = retime('resolution', resDue, recomputed.resolution_due_at);
  return {
    from: ticket.priority,
    to,
    firstResponseDueAt,
    resolutionDueAt,
    slaDueAt: nextSlaDue({
      first_response_due_at: firstResponseDueAt,
      resolution_due_at: resolutionDueAt,
      first_response_at: ticket.firstResponseAt,
      status: ticket.status,
    }),
  };
}

const clampRatio = (ratio: number): number => Math.min(1, Math.max(0, ratio));
