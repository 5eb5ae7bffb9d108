/**
 * Keeps the queue counts cheap to read: every ticket change appends a delta row, and the counts
 * are their sums, so a busy tenant's rows are folded back into one per (status, unassigned).
 */
import type { AppDeps } from './context.js';

/** A tenant with fewer delta rows than this is left alone: its sums cost nothing yet. */
const MIN_ROWS = 64;
/** Tenants folded per run; the rest wait for the next run. */
const MAX_TENANTS = 500;

export function runQueueCountsFold(deps: AppDeps): Promise<{ tenants: number; rows: number }> {
  return deps.uow.read.queueCounts.fold(MIN_ROWS, MAX_TENANTS);
}
