import {
  addBusinessSeconds,
  businessSecondsBetween,
  type BusinessCalendar,
} from './business-calendar.js';
import type { SlaPolicy } from './sla-policy.js';
import type { SlaDueTimes } from './sla-targets.js';
import type { Priority } from './vocabulary.js';

/**
 * SLA clock arithmetic on top of the business calendar: due times, pauses while awaiting the
 * customer, priority changes, warnings and the figures reported when a target is met.
 * Pure: every instant comes in as an argument.
 */

export type { SlaDueTimes } from './sla-targets.js';

/** Due times for a ticket opened (or re-timed) at `start`, counted in the policy's calendar. */
export function computeSlaDue(input: {
  start: Date;
  priority: Priority;
  policy: Pick<SlaPolicy, 'targets' | 'calendar'>;
}): SlaDueTimes {
  const { start, priority, policy } = input;
  const target = policy.targets[priority];
  return {
    first_response_due_at: addBusinessSeconds(
      start,
      target.first_response_seconds,
      policy.calendar,
    ),
    resolution_due_at: addBusinessSeconds(start, target.resolution_seconds, policy.calendar),
  };
}

/**
 * Due times after a pause (awaiting the customer) from `pausedAt` to `resumedAt`. Each deadline
 * still ahead at `pausedAt` (and, for the first response, not yet met) keeps the business time
 * it had left: new = resumedAt + (business seconds from pausedAt to the old due). A deadline
 * already passed at `pausedAt` stays where it was.
 */
export function resumeDueTimes(input: {
  pausedAt: Date;
  resumedAt: Date;
  due: SlaDueTimes;
  firstResponseAt: Date | null;
  calendar: BusinessCalendar | null;
}): SlaDueTimes {
  const { pausedAt, resumedAt, due, firstResponseAt, calendar } = input;
  if (resumedAt.getTime() <= pausedAt.getTime()) return { ...due };
  const push = (deadline: Date): Date => {
    if (deadline.getTime() <= pausedAt.getTime()) return deadline;
    const remaining = businessSecondsBetween(pausedAt, deadline, calendar);
    const moved = addBusinessSeconds(resumedAt, remaining, calendar);
    return moved.getTime() > deadline.getTime() ? moved : deadline;
  };
  return {
    first_response_due_at:
      firstResponseAt === null ? push(due.first_response_due_at) : due.first_response_due_at,
    resolution_due_at: push(due.resolution_due_at),
  };
}

/**
 * Due times after a priority change: the new priority's targets counted from `createdAt`, then
 * credited with the pause time the current due times already carry. The credit per target is
 * the business time between the old priority's un-paused due and the current due (never
 * negative), added after the new un-paused due.
 */
export function recomputeForPriority(input: {
  createdAt: Date;
  oldPriority: Priority;
  newPriority: Priority;
  current: SlaDueTimes;
  policy: Pick<SlaPolicy, 'targets' | 'calendar'>;
}): SlaDueTimes {
  const { createdAt, oldPriority, newPriority, current, policy } = input;
  return retimeDueTimes({
    createdAt,
    current,
    from: { priority: oldPriority, policy },
    to: { priority: newPriority, policy },
  });
}

type Timing = { priority: Priority; policy: Pick<SlaPolicy, 'targets' | 'calendar'> };

/**
 * Due times when the ticket's timing changes: another priority, or another policy (a category or
 * group override applies now). `to`'s targets counted from `createdAt` in its calendar, credited
 * with the pause time the current due times carry under `from` (business time between `from`'s
 * un-paused due and the current due, in `from`'s calendar; never negative).
 */
export function retimeDueTimes(input: {
  createdAt: Date;
  current: SlaDueTimes;
  from: Timing;
  to: Timing;
}): SlaDueTimes {
  const { createdAt, current, from, to } = input;
  const plainOld = computeSlaDue({ start: createdAt, ...from });
  const plainNew = computeSlaDue({ start: createdAt, ...to });
  const credited = (plain: Date, oldPlain: Date, currentDue: Date): Date => {
    const credit = businessSecondsBetween(oldPlain, currentDue, from.policy.calendar);
    return credit > 0 ? addBusinessSeconds(plain, credit, to.policy.calendar) : plain;
  };
  return {
    first_response_due_at: credited(
      plainNew.first_response_due_at,
      plainOld.first_response_due_at,
      current.first_response_due_at,
    ),
    resolution_due_at: credited(
      plainNew.resolution_due_at,
      plainOld.resolution_due_at,
      current.resolution_due_at,
    ),
  };
}

/**
 * When to warn that a target is about to be breached: once `ratio` of the target has elapsed,
 * i.e. `(1 - ratio) · targetSeconds` of business time before `due`. `ratio` is clamped to [0, 1].
 */
export function warningAt(input: {
  due: Date;
  targetSeconds: number;
  ratio: number;
  calendar: BusinessCalendar | null;
}): Date {
  const { due, targetSeconds, ratio, calendar } = input;
  const r = Math.min(1, Math.max(0, ratio));
  return addBusinessSeconds(due, -(1 - r) * targetSeconds, calendar);
}

/** Elapsed time from `from` to `to`: wall-clock and business seconds, whole seconds, ≥ 0. */
export function slaFigures(input: { from: Date; to: Date; calendar: BusinessCalendar | null }): {
  seconds: number;
  businessSeconds: number;
} {
  const { from, to, calendar } = input;
  const wall = Math.max(0, to.getTime() - from.getTime());
  return {
    seconds: Math.floor(wall / 1000),
    businessSeconds: Math.floor(businessSecondsBetween(from, to, calendar)),
  };
}
