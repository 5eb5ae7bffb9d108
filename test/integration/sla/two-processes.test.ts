/**
 * Two Parley processes on one database sweep SLA events at the same time: no rung fires twice,
 * and a process that dies mid-sweep loses nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../../src/app/context.js';
import { runSlaSweep } from '../../../src/app/sla-sweep.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { type FakeStaffPlatforms, startFakeStaffPlatforms } from '../../support/staff-platforms.js';
import { type TestParley, startTestParley } from '../../support/test-parley.js';
import { ticketIdOf } from './sla-helpers.js';

const clock = new ManualClock('2026-03-02T10:00:00Z');
let a: TestParley;
let b: TestParley;
/** Slack is wired (in both processes, from the same configuration): the pings counted below. */
let staff: FakeStaffPlatforms;
let supervisorId: string;
const db = () => a.database.pool;
const minutes = (n: number) => new Date(clock.now().getTime() + n * 60_000);

beforeAll(async () => {
  staff = await startFakeStaffPlatforms({ slack: true });
  const wiring = { env: staff.env, channels: staff.channels };
  a = await startTestParley({ clock, ...wiring });
  b = await startTestParley({ clock, database: a.database, ...wiring });
  const res = await a.api('POST', '/agents', { body: { name: 'Lead', role: 'supervisor' } });
  supervisorId = res.body.id;
});
afterAll(async () => {
  await b?.close();
  await a?.close();
  await staff?.close();
});

async function openUrgent(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await a.api('POST', '/tickets', {
      body: {
        customer: { name: `Cust ${i}`, email: `c${i}@example.test` },
        subject: `Urgent ${i}`,
        category: 'order_issue',
        priority: 'urgent',
      },
    });
    expect(res.status).toBe(201);
    ids.push(await ticketIdOf(db(), res.body.number));
  }
  return ids;
}

async function counts(ticketIds: string[]) {
  const { rows } = await db().query(
    `select
       (select count(*)::int from sla_escalations where ticket_id = any($1)) as rungs,
       (select count(*)::int from (select distinct ticket_id, target, due_at, rung
          from sla_escalations where ticket_id = any($1)) d) as distinct_rungs,
       (select count(*)::int from outbox where ticket_id = any($1) and dedupe_key like 'staff:slack:sla:%'
          and payload->'audience'->>'kind' = 'manager_channel') as manager_pings,
       (select count(*)::int from outbox where ticket_id = any($1) and dedupe_key like 'staff:slack:sla:%'
          and payload->'audience'->>'agentId' = $2) as lead_pings,
       (select count(*)::int from audit_events where ticket_id = any($1)
          and action = 'sla_escalation') as audited`,
    [ticketIds, supervisorId],
  );
  return rows[0] as {
    rungs: number;
    distinct_rungs: number;
    manager_pings: number;
    lead_pings: number;
    audited: number;
  };
}

const bothSweep = () => Promise.all([a.jobs.runNow('sla:sweep'), b.jobs.runNow('sla:sweep')]);

describe('two Parley processes sweeping one database', () => {
  it('an urgent ticket breaches and the manager channel is pinged once', async () => {
    const start = clock.now();
    const ids = await openUrgent(1);
    for (const at of [0, 11.25, 15, 45]) {
      clock.set(new Date(start.getTime() + at * 60_000));
      await bothSweep();
      await bothSweep();
    }
    expect(await counts(ids)).toEqual({
      rungs: 3,
      distinct_rungs: 3,
      manager_pings: 1,
      lead_pings: 1,
      audited: 3,
    });
  });

  it('many due tickets, small batches, both processes at once: each rung fires exactly once', async () => {
    const ids = await openUrgent(40);
    clock.set(minutes(15)); // every ticket's first response is due: rung 1 for each
    const sweeps = await Promise.all([
      runSlaSweep(a.deps, { batchSize: 7 }),
      runSlaSweep(b.deps, { batchSize: 7 }),
      runSlaSweep(a.deps, { batchSize: 5 }),
    ]);
    expect(sweeps.reduce((n, r) => n + r.fired, 0)).toBe(40);
    await bothSweep();
    expect(await counts(ids)).toMatchObject({ rungs: 40, distinct_rungs: 40, lead_pings: 40 });
    const { rows } = await db().query(
      'select count(*)::int as n from sla_checks where ticket_id = any($1) and next_check_at <= $2',
      [ids, clock.now()],
    );
    expect(rows[0].n).toBe(0);
  });

  it('one run claims at most maxBatches batches, however many workers it runs', async () => {
    const ids = await openUrgent(7);
    clock.set(minutes(15));
    const run = await runSlaSweep(a.deps, { batchSize: 2, maxBatches: 3, concurrency: 2 });
    expect(run).toMatchObject({ claimed: 6, fired: 6, batches: 3 });
    expect(await counts(ids)).toMatchObject({ rungs: 6, lead_pings: 6 });
    await bothSweep();
    expect(await counts(ids)).toMatchObject({ rungs: 7, distinct_rungs: 7, lead_pings: 7 });
  });

  it('a failed batch stops the run from claiming more, after its other batch has finished', async () => {
    const ids = await openUrgent(6);
    clock.set(minutes(15));
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let claimed!: () => void;
    const holding = new Promise<void>((resolve) => (claimed = resolve));
    const failing: AppDeps = {
      ...a.deps,
      uow: {
        read: a.deps.uow.read,
        transaction: (work) => {
          calls += 1;
          if (calls === 1) return Promise.reject(new Error('connection lost'));
          return a.deps.uow.transaction(async (s) => {
            const result = await work(s);
            claimed();
            await gate;
            return result;
          });
        },
      },
    };
    let settled = false;
    const run = runSlaSweep(failing, { batchSize: 2, concurrency: 2 }).finally(() => {
      settled = true;
    });
    await holding;
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false); // the other batch still holds its tickets: the run waits for it
    release();
    await expect(run).rejects.toThrow('connection lost');
    expect(calls).toBe(2); // no batch was started after the failure
    expect(await counts(ids)).toMatchObject({ rungs: 2, lead_pings: 2 });
    await bothSweep();
    expect(await counts(ids)).toMatchObject({ rungs: 6, distinct_rungs: 6, lead_pings: 6 });
  });

  it('skips tickets another process holds, and fires them once that process commits', async () => {
    const ids = await openUrgent(5);
    clock.set(minutes(15));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let claimed!: () => void;
    const holding = new Promise<void>((resolve) => (claimed = resolve));
    const slow: AppDeps = {
      ...a.deps,
      uow: {
        read: a.deps.uow.read,
        transaction: (work) =>
          a.deps.uow.transaction(async (s) => {
            const result = await work(s);
            claimed();
            await gate; // still holding the batch's row locks
            return result;
          }),
      },
    };
    const first = runSlaSweep(slow);
    await holding;
    await runSlaSweep(b.deps); // skips the locked batch
    expect(await counts(ids)).toMatchObject({ rungs: 0, lead_pings: 0 });
    release();
    await first;
    expect(await counts(ids)).toMatchObject({ rungs: 5, lead_pings: 5 }); // fired by the holder
    await bothSweep();
    expect(await counts(ids)).toMatchObject({ rungs: 5, distinct_rungs: 5, lead_pings: 5 });
  });

  it('a process dying mid-sweep loses nothing: the other one fires every rung, once', async () => {
    const ids = await openUrgent(6);
    clock.set(minutes(15));
    const dying: AppDeps = {
      ...a.deps,
      uow: {
        read: a.deps.uow.read,
        transaction: (work) =>
          a.deps.uow.transaction(async (s) => {
            await work(s);
            throw new Error('process killed before commit');
          }),
      },
    };
    await expect(runSlaSweep(dying)).rejects.toThrow('process killed');
    expect(await counts(ids)).toMatchObject({ rungs: 0, lead_pings: 0, audited: 0 });
    await bothSweep();
    expect(await counts(ids)).toMatchObject({
      rungs: 6,
      distinct_rungs: 6,
      lead_pings: 6,
      audited: 6,
    });
  });
});
