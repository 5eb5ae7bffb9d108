/**
 * Auto-close: a resolved ticket whose tenant's delay (`auto_close_after_hours`, default 96) has
 * passed becomes closed through the same change path as any other change (audit, Slack card,
 * outbox events), by the system. A CSAT question still waiting on the customer for that ticket is
 * dropped: they did not answer.
 *
 * Several processes may sweep: a batch is claimed with `FOR UPDATE SKIP LOCKED` and closed in the
 * claim's transaction, so each ticket closes once. When a batch fails, its tickets are retried one
 * per transaction, so one bad ticket cannot hold the others back.
 */
import { SYSTEM_ACTOR } from '../domain/actor.js';
import { assertTransition } from '../domain/ticket-transitions.js';
import type { Stores } from '../ports/stores.js';
import type { AppDeps } from './context.js';
import { applyTicketChanges } from './ticket-change-set.js';

export interface AutoCloseResult {
  closed: number;
  /** Left for the next sweep: the customer's conversation was busy at that moment. */
  deferred: number;
  failed: number;
}

type Outcome = 'closed' | 'deferred' | 'skipped';

async function closeOne(
  s: Stores,
  deps: AppDeps,
  tenantId: string,
  ticketId: string,
  now: Date,
): Promise<Outcome> {
  const before = await s.tickets.findById(tenantId, ticketId, { forUpdate: true });
  if (!before || before.status !== 'resolved') return 'skipped';
  if (before.conversationId) {
    const csat = await s.autoClose.clearCsatQuestion(
      tenantId,
      before.conversationId,
      ticketId,
      now,
    );
    if (csat === 'busy') return 'deferred';
  }
  assertTransition('resolved', 'closed', SYSTEM_ACTOR);
  await applyTicketChanges(s, deps, {
    before,
    changes: { status: 'closed', closedAt: now, updatedAt: now },
    actor: SYSTEM_ACTOR,
    action: 'auto_closed',
  });
  return 'closed';
}

function tally(outcomes: Outcome[], result: AutoCloseResult): void {
  for (const o of outcomes) {
    if (o === 'closed') result.closed += 1;
    else if (o === 'deferred') result.deferred += 1;
  }
}

/** One sweep: batches of `limit` until a batch comes back short (at most `maxBatches`). */
export async function runAutoClose(
  deps: AppDeps,
  opts: { limit?: number; maxBatches?: number } = {},
): Promise<AutoCloseResult> {
  const limit = opts.limit ?? 100;
  const result: AutoCloseResult = { closed: 0, deferred: 0, failed: 0 };
  for (let batch = 0; batch < (opts.maxBatches ?? 10); batch += 1) {
    const closedBefore = result.closed;
    await closeBatch(deps, limit, result);
    if (result.closed - closedBefore < limit) break;
  }
  if (result.closed > 0) deps.onOutboxWrite?.();
  return result;
}

async function closeBatch(deps: AppDeps, limit: number, result: AutoCloseResult): Promise<void> {
  let claimed: { tenantId: string; ticketId: string }[] = [];
  try {
    const outcomes = await deps.uow.transaction(async (s) => {
      const now = deps.clock.now();
      claimed = await s.autoClose.claimDue(now, limit);
      const out: Outcome[] = [];
      for (const c of claimed) out.push(await closeOne(s, deps, c.tenantId, c.ticketId, now));
      return out;
    });
    tally(outcomes, result);
  } catch (err) {
    deps.logger.warn(
      { err, tickets: claimed.length },
      'auto-close batch failed; retrying one by one',
    );
    for (const c of claimed) {
      try {
        // Still due: it was a moment ago; closeOne re-reads it locked and skips it if closed since.
        const outcome = await deps.uow.transaction((s) =>
          closeOne(s, deps, c.tenantId, c.ticketId, deps.clock.now()),
        );
        tally([outcome], result);
      } catch (oneErr) {
        result.failed += 1;
        deps.logger.error(
          { err: oneErr, tenantId: c.tenantId, ticketId: c.ticketId },
          'auto-close failed for a ticket',
        );
      }
    }
  }
}
