/**
 * The sweeps Parley runs on its schedule. Each is thin: it calls a use case in `app/` that claims
 * due rows with SQL and does the work.
 */
import type { AppDeps } from '../app/context.js';
import { runFlowReminders } from '../app/inbound/flow-reminders.js';
import type { SweepJob } from './scheduler.js';

export function sweepJobs(deps: AppDeps): SweepJob[] {
  return [{ name: 'flow:reminders', everyMs: 30_000, run: () => runFlowReminders(deps) }];
}
