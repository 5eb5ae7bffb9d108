/**
 * Platform faults, reduced (issue 6; the full run is bench/fault-bench.ts): the same run and
 * checks as the bench, with Parley in this process (same wiring as `npm start`) on the test
 * database. Steady Telegram and WhatsApp webhooks and agents' replies while the fake platforms
 * answer 429 with retry-after, 5xx, hang past the client's timeout and drop connections, then both
 * are down for a moment (inside the retry budget), then Telegram is down for longer than the
 * budget, then an inbound burst far beyond the in-flight limit. Then: nothing acknowledged is
 * lost, nothing duplicated or reordered, no retry before Retry-After, no row tried more than
 * maxAttempts times, every give-up surfaced on its message and ticket, and the burst shed with
 * 503s (no timeouts), each shed webhook landing once when retried.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ciPhases } from '../../../bench/fault/phases.js';
import { type FaultRunResult, type FaultTarget, runFaultBench } from '../../../bench/fault/run.js';
import { type TestParley, startTestParley } from '../../support/test-parley.js';

let result: FaultRunResult;
let parley: TestParley | undefined;

beforeAll(async () => {
  result = await runFaultBench(
    {
      phases: ciPhases(),
      rate: 10,
      customers: 6,
      replyEveryMs: 700,
      burstCustomers: 120,
      burstMessagesEach: 1,
      burstConnections: 60,
      maxAttempts: 3,
      platformTimeoutMs: 1_000,
      overloadMaxInFlight: 16,
      overloadMaxEventLoopDelayMs: 0,
      drainTimeoutMs: 20_000,
      seed: 6,
    },
    async (env): Promise<FaultTarget> => {
      parley = await startTestParley({ env: { ...env, PUBLIC_URL: 'http://127.0.0.1:9' } });
      return {
        url: parley.url,
        databaseUrl: parley.database.url,
        pause: () => parley!.dispatcher.stop(),
        stop: async () => undefined,
      };
    },
  );
}, 60_000);

afterAll(async () => {
  await parley?.close();
}, 30_000);

describe('Parley against misbehaving platforms', () => {
  it('injected every kind of fault and drained afterwards', () => {
    const injected = result.injected;
    expect(injected.telegram.rate_limited + injected.whatsapp.rate_limited).toBeGreaterThan(0);
    expect(injected.telegram.server_error + injected.whatsapp.server_error).toBeGreaterThan(0);
    expect(result.faults.faulted_requests).toBeGreaterThan(10);
    expect(result.settled).toBe(true);
    expect(result.drained).toBe(true);
  });

  it('lost no acknowledged webhook, duplicated and reordered nothing', () => {
    const v = result.verdict;
    expect(v.inbound.lost_examples).toEqual([]);
    expect(v.inbound.acked).toBe(v.inbound.created);
    expect(v.inbound.recorded_twice).toBe(0);
    expect(v.outbound.examples.filter((e) => !e.includes('delivered twice'))).toEqual([]);
    expect(v.outbound.rows_sent).toBeGreaterThan(20);
    expect(v.outbound.rows_pending).toBe(0);
    expect(v.outbound.reordered).toBe(0);
    expect(v.outbound.phantom).toBe(0);
    expect(result.faults.duplicated_unexplained).toBe(0);
    // A reply whose row gave up during the outage is failed on its message, not lost.
    expect(v.replies.lost_replies).toBe(result.replies.failed);
    expect(result.replies.lost).toBe(0);
  });

  it('waited out every Retry-After and never tried a row more than maxAttempts times', () => {
    expect(result.faults.early_retry_examples).toEqual([]);
    expect(result.faults.early_retries).toBe(0);
    expect(result.faults.rows_over_attempt_budget).toBe(0);
    expect(result.faults.max_requests_per_row).toBeLessThanOrEqual(3);
  });

  it('gave up on rows during the long outage and surfaced each failure on its ticket', () => {
    expect(result.faults.failed_rows).toBeGreaterThan(0);
    expect(result.faults.failed_unsurfaced_examples).toEqual([]);
    expect(result.faults.failed_surfaced).toBe(result.faults.failed_rows);
  });

  it('kept delivering to WhatsApp while Telegram was down', () => {
    const outage = result.phases.find((p) => p.name === 'outage_long')!;
    expect(outage.faulted.telegram).toBeGreaterThan(0);
    expect(outage.delivered.telegram).toBe(0);
    expect(outage.delivered.whatsapp).toBeGreaterThan(0);
  });

  it('shed the burst quickly and took every shed webhook once when retried', () => {
    const burst = result.burst;
    // Shedding is owed only beyond capacity: when this machine kept up (in flight never reached
    // the limit of 16), nothing had to be shed. overload-shedding.test.ts holds the limit
    // deterministically.
    if ((burst.max_in_flight_seen ?? 0) >= 16) expect(burst.shed).toBeGreaterThan(0);
    expect(burst.timeouts).toBe(0);
    expect(burst.acked).toBe(burst.messages);
    expect(result.verdict.inbound.recorded_twice).toBe(0);
  });

  it('passed the bench verdict', () => {
    expect(result.failures).toEqual([]);
    expect(result.line).toMatch(/lost=0 unprocessed=0 lost_replies=0 duplicated=0 .*verdict=PASS/);
  });
});
