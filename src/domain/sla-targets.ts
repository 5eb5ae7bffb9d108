import { isOpenStatus, type Priority, type TicketStatus } from './vocabulary.js';

/** Per-priority SLA targets, in seconds (CONTRACT.md, `/sla-policy` `targets`). */
export type SlaTargets = Record<
  Priority,
  { first_response_seconds: number; resolution_seconds: number }
>;

const MINUTE = 60;
const HOUR = 60 * MINUTE;

export const DEFAULT_SLA_TARGETS: Readonly<SlaTargets> = Object.freeze({
  urgent: { first_response_seconds: 15 * MINUTE, resolution_seconds: 2 * HOUR },
  high: { first_response_seconds: 1 * HOUR, resolution_seconds: 4 * HOUR },
  medium: { first_response_seconds: 4 * HOUR, resolution_seconds: 24 * HOUR },
  low: { first_response_seconds: 8 * HOUR, resolution_seconds: 48 * HOUR },
});

export interface SlaDueTimes {
  first_response_due_at: Date;
  resolution_due_at: Date;
}

/**
 * Due times counted on the wall clock, 24/7 (the `calendar: null` policy). For a policy with a
 * business calendar use `computeSlaDue` in sla-clock.ts (the same result when the calendar is
 * null).
 */
export function computeDueTimes(input: {
  createdAt: Date;
  priority: Priority;
  targets: SlaTargets;
}): SlaDueTimes {
  const { createdAt, priority, targets } = input;
  const target = targets[priority];
  const start = createdAt.getTime();
  return {
    first_response_due_at: new Date(start + target.first_response_seconds * 1000),
    resolution_due_at: new Date(start + target.resolution_seconds * 1000),
  };
}

/**
 * The next SLA deadline to watch (sorting by `sla_due_at`, scheduling the sweep):
 * - resolved or closed → null;
 * - no first response yet → the first-response due time (or the resolution due time if a
 *   tenant configured that earlier — whichever comes first);
 * - otherwise → the resolution due time.
 */
export function nextSlaDue(input: {
  first_response_due_at: Date;
  resolution_due_at: Date;
  first_response_at: Date | null | undefined;
  status: TicketStatus;
}): Date | null {
  const { first_response_due_at, resolution_due_at, first_response_at, status } = input;
  if (!isOpenStatus(status)) return null;
  if (first_response_at == null && first_response_due_at < resolution_due_at) {
    return first_response_due_at;
  }
  return resolution_due_at;
}
