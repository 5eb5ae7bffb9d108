import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BusinessCalendar } from '../../../src/domain/business-calendar.js';
import {
  type FiredRung,
  type LadderDecision,
  type LadderTicket,
  evaluateLadder,
} from '../../../src/domain/escalation-ladder.js';
import { decodeLadderRef, encodeLadderRef } from '../../../src/domain/escalation-actions.js';
import { computeSlaDue } from '../../../src/domain/sla-clock.js';
import {
  DEFAULT_SLA_POLICY,
  type SlaPolicy,
  mergeSlaPolicy,
} from '../../../src/domain/sla-policy.js';
import { PRIORITIES, type Priority } from '../../../src/domain/vocabulary.js';

const MIN = 60_000;
const at = (iso: string) => new Date(iso);
const plusMin = (d: Date, minutes: number) => new Date(d.getTime() + minutes * MIN);

const allDay = mergeSlaPolicy(DEFAULT_SLA_POLICY, undefined);
/** Mon–Fri 09:00–20:00 UTC. */
const shopHours: BusinessCalendar = {
  timezone: 'UTC',
  hours: Object.fromEntries(
    (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((d) => [d, [['09:00', '20:00']]]),
  ),
  holidays: [],
};
const shop = mergeSlaPolicy(DEFAULT_SLA_POLICY, { calendar: shopHours });

// 2026-03-02 is a Monday.
const MON_10 = at('2026-03-02T10:00:00Z');

function newTicket(priority: Priority, createdAt: Date, policy: SlaPolicy): LadderTicket {
  const due = computeSlaDue({ start: createdAt, priority, policy });
  return {
    status: 'assigned',
    priority,
    createdAt,
    firstResponseAt: null,
    firstResponseDueAt: due.first_response_due_at,
    resolutionDueAt: due.resolution_due_at,
    slaPausedAt: null,
    firstResponseBreachedAt: null,
    resolutionBreachedAt: null,
  };
}

interface Fired extends FiredRung {
  audience: string;
}

/** Applies a decision the way the sweep stores it. */
function apply(ticket: LadderTicket, d: LadderDecision, fired: Fired[], now: Date): LadderTicket {
  for (const f of d.fire) fired.push({ ...f, firedAt: now, acknowledgedAt: null });
  const next = { ...ticket };
  for (const b of d.breaches) {
    if (b.target === 'first_response') next.firstResponseBreachedAt = b.dueAt;
    else next.resolutionBreachedAt = b.dueAt;
  }
  if (d.bump) {
    next.priority = d.bump.to;
    next.firstResponseDueAt = d.bump.firstResponseDueAt;
    next.resolutionDueAt = d.bump.resolutionDueAt;
  }
  return next;
}

/** Runs the ladder from check to check until `until` (or nothing is left to check). */
function simulate(
  start: LadderTicket,
  policy: SlaPolicy,
  from: Date,
  until: Date,
  opts: { acknowledgeRung?: number } = {},
) {
  let ticket = start;
  const fired: Fired[] = [];
  const decisions: { now: Date; decision: LadderDecision }[] = [];
  let now: Date | null = from;
  for (let i = 0; i < 200 && now && now <= until; i++) {
    const decision = evaluateLadder({ ticket, policy, fired, now });
    decisions.push({ now, decision });
    ticket = apply(ticket, decision, fired, now);
    if (opts.acknowledgeRung !== undefined) {
      for (const f of fired) if (f.rung === opts.acknowledgeRung) f.acknowledgedAt ??= now;
    }
    if (decision.nextCheckAt) expect(decision.nextCheckAt.getTime()).toBeGreaterThan(now.getTime());
    now = decision.nextCheckAt;
  }
  return { ticket, fired, decisions };
}

const timeline = (fired: Fired[]) =>
  fired.map((f) => `${f.target}#${f.rung} ${f.audience} @${f.firedAt.toISOString().slice(11, 19)}`);

describe('the escalation ladder of an urgent ticket (24/7)', () => {
  const t = newTicket('urgent', MON_10, allDay);

  it('warns the assignee at 75 %, pings the lead at the breach, then the manager channel twice', () => {
    const { fired } = simulate(t, allDay, MON_10, plusMin(MON_10, 100));
    expect(timeline(fired.filter((f) => f.target === 'first_response'))).toEqual([
      'first_response#0 assignee @10:11:15',
      'first_response#1 group_lead @10:15:00',
      'first_response#2 manager_channel @10:45:00',
      'first_response#3 manager_channel @11:15:00',
    ]);
    expect(timeline(fired.filter((f) => f.target === 'resolution'))).toEqual([
      'resolution#0 assignee @11:30:00',
    ]);
  });

  it('marks the breach at the due time and bumps nothing (already urgent)', () => {
    const d = evaluateLadder({ ticket: t, policy: allDay, fired: [], now: plusMin(MON_10, 15) });
    expect(d.breaches).toEqual([{ target: 'first_response', dueAt: t.firstResponseDueAt }]);
    expect(d.bump).toBeNull();
    expect(d.fire).toEqual([
      {
        target: 'first_response',
        dueAt: t.firstResponseDueAt,
        rung: 1,
        audience: 'group_lead',
      },
    ]);
    expect(d.nextCheckAt).toEqual(plusMin(MON_10, 45));
  });

  it('fires nothing again at the same moment once the rung is recorded', () => {
    const now = plusMin(MON_10, 15);
    const first = evaluateLadder({ ticket: t, policy: allDay, fired: [], now });
    const fired: FiredRung[] = first.fire.map((f) => ({
      ...f,
      firedAt: now,
      acknowledgedAt: null,
    }));
    const breached = { ...t, firstResponseBreachedAt: t.firstResponseDueAt };
    const again = evaluateLadder({ ticket: breached, policy: allDay, fired, now });
    expect(again.fire).toEqual([]);
    expect(again.breaches).toEqual([]);
  });

  it('skips the warning when the deadline has already passed, and climbs from when rung 1 fired', () => {
    const late = plusMin(MON_10, 50);
    const d = evaluateLadder({ ticket: t, policy: allDay, fired: [], now: late });
    expect(d.fire.map((f) => f.rung)).toEqual([1]);
    expect(d.nextCheckAt).toEqual(plusMin(late, 30));
  });

  it('stops climbing once any rung of the ladder is acknowledged', () => {
    const { fired } = simulate(t, allDay, MON_10, plusMin(MON_10, 100), { acknowledgeRung: 1 });
    expect(fired.filter((f) => f.target === 'first_response').map((f) => f.rung)).toEqual([0, 1]);
  });

  it('stops the first-response ladder when the first response is given', () => {
    const answered = { ...t, firstResponseAt: plusMin(MON_10, 12) };
    const d = evaluateLadder({
      ticket: answered,
      policy: allDay,
      fired: [],
      now: plusMin(MON_10, 16),
    });
    expect(d.fire).toEqual([]);
    expect(d.breaches).toEqual([]);
    expect(d.nextCheckAt).toEqual(plusMin(MON_10, 90)); // the resolution warning
  });

  it('has no checks while paused, resolved or closed', () => {
    const now = plusMin(MON_10, 20);
    for (const ticket of [
      { ...t, slaPausedAt: plusMin(MON_10, 5) },
      { ...t, status: 'resolved' as const },
      { ...t, status: 'closed' as const },
    ]) {
      expect(evaluateLadder({ ticket, policy: allDay, fired: [], now })).toMatchObject({
        fire: [],
        breaches: [],
        bump: null,
        nextCheckAt: null,
      });
    }
  });

  it('starts a new ladder for a new deadline', () => {
    const now = plusMin(MON_10, 14);
    const old: FiredRung = {
      target: 'first_response',
      dueAt: plusMin(MON_10, 15),
      rung: 0,
      firedAt: plusMin(MON_10, 11),
      acknowledgedAt: now,
    };
    const moved = { ...t, firstResponseDueAt: plusMin(MON_10, 17) };
    const d = evaluateLadder({ ticket: moved, policy: allDay, fired: [old], now });
    expect(d.fire.map((f) => [f.rung, f.dueAt])).toEqual([[0, plusMin(MON_10, 17)]]);
  });
});

describe('breaches bump the priority once, without a ping storm', () => {
  it('a medium ticket breaching its first response becomes high; the breached deadline stays', () => {
    const t = newTicket('medium', MON_10, allDay);
    const now = plusMin(MON_10, 240);
    const d = evaluateLadder({ ticket: t, policy: allDay, fired: [], now });
    expect(d.bump).toMatchObject({ from: 'medium', to: 'high' });
    expect(d.bump!.firstResponseDueAt).toEqual(t.firstResponseDueAt);
    // High resolution (4 h from creation) would be now: instead, 25 % of 4 h from now.
    expect(d.bump!.resolutionDueAt).toEqual(plusMin(now, 60));
    expect(d.breaches.map((b) => b.target)).toEqual(['first_response']);
    expect(d.fire.map((f) => `${f.target}#${f.rung}`)).toEqual([
      'first_response#1',
      'resolution#0',
    ]);
  });

  it('never lengthens a deadline with a bump', () => {
    const t = { ...newTicket('medium', MON_10, allDay), resolutionDueAt: plusMin(MON_10, 250) };
    const d = evaluateLadder({ ticket: t, policy: allDay, fired: [], now: plusMin(MON_10, 240) });
    expect(d.bump!.resolutionDueAt).toEqual(plusMin(MON_10, 250));
  });

  it('bumps once per target: re-evaluating a breached target does not bump again', () => {
    const { ticket, decisions } = simulate(
      newTicket('low', MON_10, allDay),
      allDay,
      MON_10,
      plusMin(MON_10, 6 * 24 * 60),
    );
    const bumps = decisions.filter((d) => d.decision.bump).map((d) => d.decision.bump!.to);
    expect(bumps).toEqual(['medium', 'high']); // first response, then resolution
    expect(ticket.priority).toBe('high');
  });

  it('does not bump when the policy says so', () => {
    const policy = mergeSlaPolicy(allDay, { escalation: { bump_priority_on_breach: false } });
    const t = newTicket('medium', MON_10, policy);
    const d = evaluateLadder({ ticket: t, policy, fired: [], now: plusMin(MON_10, 241) });
    expect(d.breaches).toHaveLength(1);
    expect(d.bump).toBeNull();
  });

  it('for any ticket and policy: each rung fires once, at most four per deadline, checks move forward', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PRIORITIES),
        fc.integer({ min: 0, max: 7 * 24 * 60 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 60, max: 4 * 3600 }),
        fc.boolean(),
        fc.boolean(),
        (priority, offsetMin, ratio, climb, bump, withCalendar) => {
          const policy = mergeSlaPolicy(withCalendar ? shop : allDay, {
            escalation: {
              warning_ratio: ratio,
              climb_after_seconds: climb,
              bump_priority_on_breach: bump,
            },
          });
          const created = plusMin(MON_10, offsetMin);
          const { fired } = simulate(
            newTicket(priority, created, policy),
            policy,
            created,
            plusMin(created, 14 * 24 * 60),
          );
          const keys = fired.map((f) => `${f.target}|${f.dueAt.getTime()}|${f.rung}`);
          expect(new Set(keys).size).toBe(keys.length);
          const perDeadline = new Map<string, number>();
          for (const f of fired) {
            const k = `${f.target}|${f.dueAt.getTime()}`;
            perDeadline.set(k, (perDeadline.get(k) ?? 0) + 1);
          }
          for (const n of perDeadline.values()) expect(n).toBeLessThanOrEqual(4);
          // One deadline per target, plus at most one re-timed one per bump.
          expect(perDeadline.size).toBeLessThanOrEqual(4);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('business hours', () => {
  // A medium ticket opened Monday 16:00: 4 business hours → due Monday 20:00, at closing.
  const created = at('2026-03-02T16:00:00Z');
  const t = newTicket('medium', created, shop);

  it('marks the breach at 20:00 but pings the lead at the next opening', () => {
    expect(t.firstResponseDueAt).toEqual(at('2026-03-02T20:00:00Z'));
    const d = evaluateLadder({
      ticket: t,
      policy: shop,
      fired: [],
      now: at('2026-03-02T20:00:00Z'),
    });
    expect(d.breaches.map((b) => b.target)).toEqual(['first_response']);
    expect(d.bump?.to).toBe('high');
    expect(d.fire).toEqual([]);
    expect(d.deferredUntil).toEqual(at('2026-03-03T09:00:00Z'));
    expect(d.nextCheckAt).toEqual(at('2026-03-03T09:00:00Z'));
  });

  it('pings at 09:00, then climbs in business time', () => {
    const { fired } = simulate(t, shop, created, at('2026-03-04T12:00:00Z'));
    expect(
      fired
        .filter((f) => f.target === 'first_response')
        .map((f) => `${f.rung}@${f.firedAt.toISOString()}`),
    ).toEqual([
      '0@2026-03-02T19:00:00.000Z',
      '1@2026-03-03T09:00:00.000Z',
      '2@2026-03-03T09:30:00.000Z',
      '3@2026-03-03T10:00:00.000Z',
    ]);
  });

  it('pings an urgent ticket at any hour', () => {
    const night = at('2026-03-02T23:00:00Z');
    const urgent = { ...t, priority: 'urgent' as const, firstResponseDueAt: night };
    const d = evaluateLadder({ ticket: urgent, policy: shop, fired: [], now: night });
    expect(d.fire.map((f) => f.rung)).toEqual([1]);
  });

  it('counts the climb of a non-urgent ticket in business time across the night', () => {
    const rung1: FiredRung = {
      target: 'first_response',
      dueAt: at('2026-03-02T19:50:00Z'),
      rung: 1,
      firedAt: at('2026-03-02T19:50:00Z'),
      acknowledgedAt: null,
    };
    const ticket = {
      ...t,
      priority: 'high' as const,
      firstResponseDueAt: rung1.dueAt,
      firstResponseBreachedAt: rung1.dueAt,
    };
    const d = evaluateLadder({
      ticket,
      policy: shop,
      fired: [rung1],
      now: at('2026-03-02T19:55:00Z'),
    });
    expect(d.nextCheckAt).toEqual(at('2026-03-03T09:20:00Z'));
  });
});

describe('ladder references on buttons', () => {
  it('round-trips and rejects anything else', () => {
    const ref = {
      ticketId: '0b6c0d5e-8f7a-4a52-9a57-3f1a3e0c2d11',
      target: 'resolution' as const,
      dueAt: at('2026-03-02T20:00:00.123Z'),
    };
    expect(decodeLadderRef(encodeLadderRef(ref))).toEqual(ref);
    for (const bad of [
      '',
      'x|resolution|2026-03-02T20:00:00Z',
      `${ref.ticketId}|other|2026-03-02T20:00:00Z`,
      `${ref.ticketId}|resolution|soon`,
      `${ref.ticketId}|resolution|2026-03-02T20:00:00Z|extra`,
    ]) {
      expect(decodeLadderRef(bad)).toBeNull();
    }
  });
});
