/**
 * Automatic assignment within an agent group (issue 4): who gets the next waiting ticket.
 *
 * - `round_robin`: the next eligible member after the group's cursor (the last one picked),
 *   wrapping around, so every eligible member gets one before anyone gets a second.
 * - `least_loaded`: the eligible member with the fewest open tickets; ties go to the one who
 *   waited longest since their last assignment, then to the next one after the cursor.
 * - `manual`: nobody is picked; tickets wait for a claim or a supervisor.
 *
 * Eligible: active, available, not an engineer, and below their capacity (null = no limit).
 * Nobody eligible → `null`: the ticket stays unassigned, in the group's queue (oldest first).
 */
import type { AgentRole } from './vocabulary.js';

export const ASSIGNMENT_STRATEGIES = ['manual', 'round_robin', 'least_loaded'] as const;
export type AssignmentStrategy = (typeof ASSIGNMENT_STRATEGIES)[number];

export function isAssignmentStrategy(value: unknown): value is AssignmentStrategy {
  return (ASSIGNMENT_STRATEGIES as readonly unknown[]).includes(value);
}

/** A member of a group as assignment sees it. Members come in a stable order. */
export interface AssignmentCandidate {
  id: string;
  role: AgentRole;
  active: boolean;
  available: boolean;
  /** Open tickets the agent may hold at once; null = no limit. */
  capacity: number | null;
  /** Open tickets assigned to the agent now (any group). */
  openCount: number;
  /** When the group last gave this member a ticket; null = never. */
  lastAssignedAt?: Date | null;
  /** Their Slack user, whose presence may count as availability (tenant setting). */
  slackUserId?: string | null;
}

export function isEligible(c: AssignmentCandidate): boolean {
  return (
    c.active &&
    c.available &&
    c.role !== 'engineer' &&
    (c.capacity === null || c.openCount < c.capacity)
  );
}

/** How many more tickets the eligible members can take now (Infinity when one has no limit). */
export function freeSlots(members: readonly AssignmentCandidate[]): number {
  let total = 0;
  for (const m of members) {
    if (!isEligible(m)) continue;
    if (m.capacity === null) return Infinity;
    total += m.capacity - m.openCount;
  }
  return total;
}

/** Members in rotation order: the ones after the cursor first, wrapping; the cursor's last. */
function rotation<T extends { id: string }>(members: readonly T[], cursor: string | null): T[] {
  const at = cursor === null ? -1 : members.findIndex((m) => m.id === cursor);
  return [...members.slice(at + 1), ...members.slice(0, at + 1)];
}

const waitedSince = (c: AssignmentCandidate) => c.lastAssignedAt?.getTime() ?? -Infinity;

export interface PickInput {
  strategy: AssignmentStrategy;
  members: readonly AssignmentCandidate[];
  /** The member picked last in this group (round-robin cursor); null at the start. */
  cursor: string | null;
}

/** The member to give the next ticket to, or null when the ticket has to wait. */
export function pickAssignee(input: PickInput): string | null {
  if (input.strategy === 'manual') return null;
  const order = rotation(input.members, input.cursor).filter(isEligible);
  if (input.strategy === 'round_robin') return order[0]?.id ?? null;
  let best: AssignmentCandidate | undefined;
  for (const c of order) {
    if (
      !best ||
      c.openCount < best.openCount ||
      (c.openCount === best.openCount && waitedSince(c) < waitedSince(best))
    ) {
      best = c;
    }
  }
  return best?.id ?? null;
}

/**
 * The same members after `agentId` got a ticket at `at`: for picking several tickets in a row
 * without reading the database again.
 */
export function afterAssignment(
  members: readonly AssignmentCandidate[],
  agentId: string,
  at: Date,
): AssignmentCandidate[] {
  return members.map((m) =>
    m.id === agentId ? { ...m, openCount: m.openCount + 1, lastAssignedAt: at } : m,
  );
}
