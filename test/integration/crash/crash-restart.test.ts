/**
 * Crash safety, reduced (issue 6; the full run is bench/crash-bench.ts): Parley as a child process
 * exactly as in production (`node --import tsx src/main.ts`, embedded PostgreSQL under a temp
 * DATA_DIR), Telegram and WhatsApp webhooks at 10/s plus agents' replies and urgent tickets,
 * SIGKILLed twice (once the Node process alone, its PostgreSQL adopted on restart; once with its
 * PostgreSQL, which then recovers from its WAL), restarted each time. Then: nothing acknowledged
 * is lost, nothing is delivered out of order, and a copy is only ever sent again across a kill.
 *
 * Slow by nature (three cold starts of Parley, and rows a killed process had claimed wait out the
 * outbox lease of 30 s before they are sent again): about 40–60 s on two busy cores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CrashRun, type CrashRunResult, startCrashRun } from '../../../bench/crash/run.js';

let run: CrashRun;
let result: CrashRunResult;

beforeAll(async () => {
  run = startCrashRun({
    seconds: 8,
    kills: 2,
    rate: 10,
    customers: 4,
    replyEveryMs: 400,
    urgentEveryMs: 3_000,
    seed: 6,
    tailMs: 5_000,
    drainTimeoutMs: 45_000,
    keep: 'never',
  });
  result = await run.result;
}, 170_000);

afterAll(async () => {
  await run?.cancel();
}, 60_000);

describe('Parley killed with SIGKILL under load and restarted', () => {
  it('was killed twice, both ways, and came back each time', () => {
    expect(result.kills.map((k) => k.mode)).toEqual(['app', 'host']);
    expect(result.settled).toBe(true);
    expect(result.drained).toBe(true);
  });

  it('kept every acknowledged webhook, and processed each once', () => {
    const inbound = result.verdict.inbound;
    expect(inbound.acked).toBeGreaterThan(50);
    expect(inbound.acked).toBe(inbound.created);
    expect(inbound.lost_examples).toEqual([]);
    expect(inbound.lost).toBe(0);
    expect(inbound.unprocessed).toBe(0);
    expect(inbound.recorded_twice).toBe(0);
  });

  it('delivered every outbox row in order, re-sending only across a kill', () => {
    const out = result.verdict.outbound;
    expect(out.examples).toEqual([]);
    expect(out.rows_sent).toBeGreaterThan(20);
    expect(out.rows_pending + out.rows_failed).toBe(0);
    expect(out.phantom).toBe(0);
    expect(out.reordered).toBe(0);
    expect(out.duplicated).toBe(0);
    expect(out.unexplained).toBe(0);
  });

  it('delivered every acknowledged agent reply', () => {
    expect(result.verdict.replies.acked).toBeGreaterThan(0);
    expect(result.verdict.replies.lost_examples).toEqual([]);
    expect(result.verdict.replies.lost_replies).toBe(0);
  });

  it('fired no escalation ping twice', () => {
    const esc = result.verdict.escalations;
    expect(esc.pings_missing).toBe(0);
    expect(esc.pings_duplicated).toBe(0);
  });
});
