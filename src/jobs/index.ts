/**
 * The sweeps Parley runs on its schedule. Each is thin: it calls a use case in `app/` that claims
 * due rows with SQL and does the work.
 */
import type { AppDeps } from '../app/context.js';
import { runFlowReminders } from '../app/inbound/flow-reminders.js';
import { runFloodSummaries } from '../app/inbound/flood-summary.js';
import { runAutoClose } from '../app/auto-close.js';
import { runDailyReports } from '../app/daily-report.js';
import { runScheduledTickets } from '../app/scheduled-tickets.js';
import { runWhatsappWindowWarnings } from '../app/whatsapp-window-timer.js';
import { runSlaSweep } from '../app/sla-sweep.js';
import { runOutboxRetention } from '../app/outbox-retention.js';
import { runQueueCountsFold } from '../app/queue-counts-fold.js';
import type { SweepJob } from './scheduler.js';

export function sweepJobs(
  deps: AppDeps,
  opts: { outboxRetentionDays: number } = { outboxRetentionDays: 0 },
): SweepJob[] {
  return [
    // Short locks: if a process dies mid-run, another takes the job over within seconds (two
    // runs overlapping is safe: each claims disjoint rows with SKIP LOCKED).
    { name: 'sla:sweep', everyMs: 1_000, lockLifetimeMs: 5_000, run: () => runSlaSweep(deps) },
    { name: 'flow:reminders', everyMs: 30_000, run: () => runFlowReminders(deps) },
    { name: 'tickets:auto-close', everyMs: 60_000, run: () => runAutoClose(deps) },
    { name: 'reports:daily', everyMs: 60_000, run: () => runDailyReports(deps) },
    {
      name: 'tickets:scheduled',
      everyMs: 5_000,
      lockLifetimeMs: 15_000,
      run: () => runScheduledTickets(deps),
    },
    { name: 'whatsapp:window', everyMs: 30_000, run: () => runWhatsappWindowWarnings(deps) },
    // A hold lasts `per_seconds` (default 60): its summary is at most 5 s late.
    { name: 'inbound:flood-summaries', everyMs: 5_000, run: () => runFloodSummaries(deps) },
    // Each ticket change appends a delta to the queue counts; folded so a read sums a few rows.
    { name: 'tickets:queue-counts', everyMs: 10_000, run: () => runQueueCountsFold(deps) },
    // Old sent and failed rows; a long backlog is worked off a bounded run at a time.
    {
      name: 'outbox:retention',
      everyMs: 600_000,
      lockLifetimeMs: 120_000,
      run: () => runOutboxRetention(deps, opts.outboxRetentionDays),
    },
  ];
}
