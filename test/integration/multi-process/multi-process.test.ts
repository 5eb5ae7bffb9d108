/**
 * Several processes, reduced (issue 6; the full run is bench/multi-process-bench.ts): two Parley
 * child processes started like production on this file's database, their schedulers on, behind a
 * round-robin "load balancer" (the load generator): Telegram and WhatsApp customers through the
 * bot, agents' Slack thread replies (each event also retried to the other process), urgent
 * tickets whose 4-s SLA makes escalations fire from whichever process sweeps, two scheduled
 * tickets falling due, and the daily report due the moment both start. Then: nothing lost,
 * nothing sent twice, nothing out of order, each escalation rung and each job once.
 * Throughput is not asserted. 25–45 s on two busy cores, most of it the two cold starts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MultiRun, type MultiRunResult, startMultiRun } from '../../../bench/multi/run.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

let database: TestDatabase;
let run: MultiRun;
let result: MultiRunResult;

beforeAll(async () => {
  database = await createTestDatabase({ max: 1 });
  run = startMultiRun({
    processes: 2,
    databaseUrl: database.url,
    seconds: 6,
    warmupSeconds: 1,
    rate: 10,
    customers: 6,
    urgentEveryMs: 2_500,
    slackReplyEveryMs: 600,
    scheduledTickets: 2,
    drainTimeoutMs: 45_000,
    seed: 11,
    keep: 'never',
  });
  result = await run.result;
}, 170_000);

afterAll(async () => {
  await run?.cancel();
  await database?.close();
}, 60_000);

describe('two Parley processes on one database', () => {
  it('shared the webhooks: every one acknowledged, recorded once and processed in order', () => {
    const inbound = result.verdict.inbound;
    expect(result.settled).toBe(true);
    expect(inbound.acked).toBeGreaterThan(40);
    expect(inbound.acked).toBe(inbound.created);
    expect(inbound.lost_examples).toEqual([]);
    expect(inbound.lost + inbound.unprocessed + inbound.recorded_twice).toBe(0);
    expect(result.shared.inbound_reordered).toBe(0);
  });

  it('sent every outbox row once, in order per conversation', () => {
    const out = result.verdict.outbound;
    expect(result.drained).toBe(true);
    expect(out.examples).toEqual([]);
    expect(out.rows_sent).toBeGreaterThan(30);
    expect(out.deliveries).toBe(out.rows_sent);
    expect(result.shared.outbox_not_delivered).toEqual({});
    expect(out.phantom + out.duplicated + out.resent_after_kill + out.unexplained).toBe(0);
    expect(out.reordered).toBe(0);
  });

  it("delivered each agent's Slack reply once, though both processes got the event", () => {
    const replies = result.verdict.replies;
    expect(replies.acked).toBeGreaterThan(0);
    expect(replies.lost_examples).toEqual([]);
    expect(replies.lost_replies).toBe(0);
    expect(replies.delivered_twice).toBe(0);
    expect(result.shared.slack.duplicate_posts).toBe(0);
    expect(result.shared.slack.cards).toBe(result.shared.slack.tickets);
    expect(result.shared.slack.card_posts).toBe(result.shared.slack.cards);
  });

  it('fired each escalation rung once and delivered each ping once', () => {
    const esc = result.verdict.escalations;
    expect(esc.rungs_fired).toBeGreaterThan(0);
    expect(esc.pings_delivered).toBeGreaterThan(0);
    expect(esc.pings_missing).toBe(0);
    expect(esc.pings_duplicated).toBe(0);
    expect(result.shared.escalations.rungs_duplicated).toBe(0);
  });

  it('ran the daily report and each scheduled ticket once', () => {
    expect(result.shared.daily_report).toMatchObject({
      reports: 1,
      telegram_deliveries: 1,
      slack_posts: 1,
    });
    expect(result.shared.scheduled).toEqual({
      scheduled: 2,
      opened: 2,
      tickets: 2,
      ran_once: true,
    });
    expect(result.passed).toBe(true);
  });
});
