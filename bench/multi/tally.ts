/**
 * The multi-process bench's verdict from the crash bench's checks and its own: no kills here, so
 * every send must happen exactly once (a re-send counts as a duplicate), and every piece of shared
 * work (webhooks, outbox rows, escalation rungs, the daily report, scheduled tickets) once.
 */
import type { Verdict } from '../crash/verify.js';
import type { SharedWorkVerdict } from './verify-shared-work.js';

export interface Tally {
  lost: number;
  duplicated: number;
  reordered: number;
  escalations_duplicated: number;
  jobs_once: boolean;
  passed: boolean;
  failures: string[];
}

export function tally(
  v: Verdict,
  shared: SharedWorkVerdict,
  run: { settled: boolean; drained: boolean },
): Tally {
  const notDelivered = Object.values(shared.outbox_not_delivered).reduce((a, b) => a + b, 0);
  const lost =
    v.inbound.lost +
    v.inbound.unprocessed +
    v.inbound.not_acked +
    v.outbound.phantom +
    v.replies.lost_replies +
    v.escalations.pings_missing +
    notDelivered;
  const duplicated =
    v.inbound.recorded_twice +
    v.outbound.duplicated +
    v.outbound.resent_after_kill +
    v.outbound.unexplained +
    v.replies.delivered_twice +
    shared.slack.duplicate_posts +
    Math.max(0, shared.slack.card_posts - shared.slack.cards) +
    Math.max(0, shared.scheduled.tickets - shared.scheduled.scheduled);
  const reordered = v.outbound.reordered + shared.inbound_reordered;
  const escalationsDuplicated =
    v.escalations.pings_duplicated +
    v.escalations.pings_resent_after_kill +
    shared.escalations.rungs_duplicated;
  const jobsOnce = shared.daily_report.ran_once && shared.scheduled.ran_once;

  const failures: string[] = [];
  const check = (bad: boolean, what: string) => bad && failures.push(what);
  check(v.inbound.lost > 0, `${v.inbound.lost} acknowledged webhooks not recorded`);
  check(
    v.inbound.unprocessed > 0,
    `${v.inbound.unprocessed} acknowledged webhooks never processed`,
  );
  check(
    v.inbound.not_acked > 0 || !run.settled,
    `${v.inbound.not_acked} webhooks never acknowledged`,
  );
  check(
    v.inbound.recorded_twice > 0,
    `${v.inbound.recorded_twice} customer messages recorded twice`,
  );
  check(v.outbound.phantom > 0, `${v.outbound.phantom} outbox rows marked sent, never delivered`);
  check(
    notDelivered > 0,
    `outbox rows not delivered: ${JSON.stringify(shared.outbox_not_delivered)}`,
  );
  check(!run.drained, 'the outbox did not drain in time');
  check(
    v.outbound.duplicated + v.outbound.resent_after_kill + v.outbound.unexplained > 0,
    `customer deliveries twice or unexplained: ${v.outbound.duplicated}/${v.outbound.resent_after_kill}/${v.outbound.unexplained}`,
  );
  check(
    v.replies.lost_replies > 0,
    `${v.replies.lost_replies} Slack agent replies never delivered`,
  );
  check(
    v.replies.delivered_twice > 0,
    `${v.replies.delivered_twice} Slack agent replies delivered twice`,
  );
  check(shared.slack.duplicate_posts > 0, `${shared.slack.duplicate_posts} Slack posts twice`);
  check(
    shared.slack.cards !== shared.slack.tickets || shared.slack.card_posts !== shared.slack.cards,
    `Slack cards ${shared.slack.cards} (posted ${shared.slack.card_posts}) for ${shared.slack.tickets} tickets`,
  );
  check(
    reordered > 0,
    `${v.outbound.reordered} deliveries and ${shared.inbound_reordered} inbound messages out of order`,
  );
  check(
    v.escalations.pings_missing > 0,
    `${v.escalations.pings_missing} staff pings never delivered`,
  );
  check(escalationsDuplicated > 0, `${escalationsDuplicated} escalation rungs or pings twice`);
  check(v.escalations.rungs_fired === 0, 'no escalation fired (not exercised)');
  check(
    !shared.daily_report.ran_once,
    `daily report not once: ${JSON.stringify(shared.daily_report)}`,
  );
  check(
    !shared.scheduled.ran_once,
    `scheduled tickets not once: ${JSON.stringify(shared.scheduled)}`,
  );
  return {
    lost,
    duplicated,
    reordered,
    escalations_duplicated: escalationsDuplicated,
    jobs_once: jobsOnce,
    passed: failures.length === 0,
    failures,
  };
}
