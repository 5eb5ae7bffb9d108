import { describe, expect, it } from 'vitest';
import type { BusinessCalendar } from '../../../src/domain/business-calendar.js';
import {
  computeSlaDue,
  recomputeForPriority,
  retimeDueTimes,
  resumeDueTimes,
  slaFigures,
  warningAt,
} from '../../../src/domain/sla-clock.js';
import { DEFAULT_SLA_POLICY, mergeSlaPolicy } from '../../../src/domain/sla-policy.js';

const H = 3600;
const HOUR_MS = H * 1000;
const at = (iso: string): Date => new Date(iso);
const iso = (d: Date): string => d.toISOString();
const plus = (d: Date, hours: number): Date => new Date(d.getTime() + hours * HOUR_MS);

const paris: BusinessCalendar = {
  timezone: 'Europe/Paris',
  hours: Object.fromEntries(
    (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((d) => [d, [['09:00', '18:00']]]),
  ),
  holidays: [],
};
const allDay = DEFAULT_SLA_POLICY;
const shop = mergeSlaPolicy(DEFAULT_SLA_POLICY, { calendar: paris });

// 2026-01-09 is a Friday; Paris is UTC+1 in January.
const FRIDAY_1730 = at('2026-01-09T16:30:00Z');

describe('computeSlaDue', () => {
  it('adds wall time with a 24/7 policy', () => {
    const t = at('2026-01-10T11:00:00Z');
    expect(computeSlaDue({ start: t, priority: 'urgent', policy: allDay })).toEqual({
      first_response_due_at: plus(t, 0.25),
      resolution_due_at: plus(t, 2),
    });
  });

  it('counts business hours with a calendar (Friday 17:30, medium: 4 h / 24 h)', () => {
    const due = computeSlaDue({ start: FRIDAY_1730, priority: 'medium', policy: shop });
    expect(iso(due.first_response_due_at)).toBe('2026-01-12T11:30:00.000Z'); // Mon 12:30
    // 0.5 h Friday + 9 h Monday + 9 h Tuesday + 5.5 h Wednesday → Wed 14:30.
    expect(iso(due.resolution_due_at)).toBe('2026-01-14T13:30:00.000Z');
  });
});

describe('resumeDueTimes', () => {
  const t = at('2026-01-10T11:00:00Z');
  const due = { first_response_due_at: plus(t, 1), resolution_due_at: plus(t, 4) };

  it('pushes both deadlines back by the paused time (24/7)', () => {
    const out = resumeDueTimes({
      pausedAt: t,
      resumedAt: plus(t, 2),
      due,
      firstResponseAt: null,
      calendar: null,
    });
    expect(out).toEqual({ first_response_due_at: plus(t, 3), resolution_due_at: plus(t, 6) });
  });

  it('leaves a met first response and an already-passed deadline where they are', () => {
    const met = resumeDueTimes({
      pausedAt: t,
      resumedAt: plus(t, 2),
      due,
      firstResponseAt: plus(t, -0.5),
      calendar: null,
    });
    expect(met).toEqual({ first_response_due_at: plus(t, 1), resolution_due_at: plus(t, 6) });

    const late = resumeDueTimes({
      pausedAt: plus(t, 1.5),
      resumedAt: plus(t, 3),
      due,
      firstResponseAt: null,
      calendar: null,
    });
    expect(late).toEqual({ first_response_due_at: plus(t, 1), resolution_due_at: plus(t, 5.5) });
  });

  it('changes nothing when the resume is not after the pause', () => {
    expect(
      resumeDueTimes({ pausedAt: t, resumedAt: t, due, firstResponseAt: null, calendar: null }),
    ).toEqual(due);
  });

  it('with a calendar, only paused business time moves the deadline', () => {
    const dueMonday = {
      first_response_due_at: at('2026-01-12T11:30:00Z'), // Mon 12:30
      resolution_due_at: at('2026-01-14T13:30:00Z'), // Wed 14:30
    };
    // Paused Friday 17:00, resumed Saturday: the hour Friday 17:00–18:00 was paused.
    const out = resumeDueTimes({
      pausedAt: at('2026-01-09T16:00:00Z'),
      resumedAt: at('2026-01-10T09:00:00Z'),
      due: dueMonday,
      firstResponseAt: null,
      calendar: paris,
    });
    expect(iso(out.first_response_due_at)).toBe('2026-01-12T12:30:00.000Z');
    expect(iso(out.resolution_due_at)).toBe('2026-01-14T14:30:00.000Z');

    // Paused Saturday, resumed Sunday: no business time elapsed, nothing moves.
    const weekend = resumeDueTimes({
      pausedAt: at('2026-01-10T09:00:00Z'),
      resumedAt: at('2026-01-11T20:00:00Z'),
      due: dueMonday,
      firstResponseAt: null,
      calendar: paris,
    });
    expect(weekend).toEqual(dueMonday);
  });
});

describe('recomputeForPriority', () => {
  const created = at('2026-01-10T11:00:00Z');

  it('recounts from creation with the new targets (24/7)', () => {
    const current = computeSlaDue({ start: created, priority: 'medium', policy: allDay });
    const out = recomputeForPriority({
      createdAt: created,
      oldPriority: 'medium',
      newPriority: 'urgent',
      current,
      policy: allDay,
    });
    expect(out).toEqual({
      first_response_due_at: plus(created, 0.25),
      resolution_due_at: plus(created, 2),
    });
  });

  it('keeps the pause credit the current due times carry, per target', () => {
    // Medium is 4 h / 24 h; the ticket was paused 30 min, and the first response 1 h more.
    const current = {
      first_response_due_at: plus(created, 5.5),
      resolution_due_at: plus(created, 24.5),
    };
    const out = recomputeForPriority({
      createdAt: created,
      oldPriority: 'medium',
      newPriority: 'high',
      current,
      policy: allDay,
    });
    expect(out).toEqual({
      first_response_due_at: plus(created, 2.5),
      resolution_due_at: plus(created, 4.5),
    });
  });

  it('never credits a negative amount', () => {
    const current = { first_response_due_at: created, resolution_due_at: created };
    const out = recomputeForPriority({
      createdAt: created,
      oldPriority: 'low',
      newPriority: 'high',
      current,
      policy: allDay,
    });
    expect(out).toEqual({
      first_response_due_at: plus(created, 1),
      resolution_due_at: plus(created, 4),
    });
  });

  it('credits in business time with a calendar', () => {
    // Friday 17:30 medium: first response Mon 12:30; a 1 h business pause made it Mon 13:30.
    const current = {
      first_response_due_at: at('2026-01-12T12:30:00Z'),
      resolution_due_at: at('2026-01-14T13:30:00Z'),
    };
    const out = recomputeForPriority({
      createdAt: FRIDAY_1730,
      oldPriority: 'medium',
      newPriority: 'high',
      current,
      policy: shop,
    });
    // High: 1 h first response → Mon 09:30, + 1 h credit → Mon 10:30 (09:30Z).
    expect(iso(out.first_response_due_at)).toBe('2026-01-12T09:30:00.000Z');
    // 4 h resolution → Mon 12:30 (11:30Z), no credit.
    expect(iso(out.resolution_due_at)).toBe('2026-01-12T11:30:00.000Z');
  });
});

describe('warningAt', () => {
  const due = at('2026-01-10T11:00:00Z');

  it('is (1 - ratio) of the target before the due time', () => {
    expect(warningAt({ due, targetSeconds: 4 * H, ratio: 0.75, calendar: null })).toEqual(
      plus(due, -1),
    );
    expect(warningAt({ due, targetSeconds: 4 * H, ratio: 1, calendar: null })).toEqual(due);
    expect(warningAt({ due, targetSeconds: 4 * H, ratio: 0, calendar: null })).toEqual(
      plus(due, -4),
    );
  });

  it('clamps the ratio to [0, 1]', () => {
    expect(warningAt({ due, targetSeconds: 4 * H, ratio: 1.5, calendar: null })).toEqual(due);
    expect(warningAt({ due, targetSeconds: 4 * H, ratio: -1, calendar: null })).toEqual(
      plus(due, -4),
    );
  });

  it('walks back in business time', () => {
    // Due Monday 09:30, 4 h target, 75 %: one business hour earlier is Friday 17:30.
    const out = warningAt({
      due: at('2026-01-12T08:30:00Z'),
      targetSeconds: 4 * H,
      ratio: 0.75,
      calendar: paris,
    });
    expect(iso(out)).toBe('2026-01-09T16:30:00.000Z');
  });
});

describe('slaFigures', () => {
  it('gives whole wall and business seconds', () => {
    // Friday 17:30 → Monday 10:00 (Paris): 64.5 h on the wall, 0.5 h + 1 h of business.
    expect(
      slaFigures({ from: FRIDAY_1730, to: at('2026-01-12T09:00:00.900Z'), calendar: paris }),
    ).toEqual({ seconds: 64.5 * H, businessSeconds: 1.5 * H });
    expect(
      slaFigures({ from: FRIDAY_1730, to: at('2026-01-12T09:00:00.900Z'), calendar: null }),
    ).toEqual({ seconds: 64.5 * H, businessSeconds: 64.5 * H });
  });

  it('is zero when to is before from', () => {
    expect(slaFigures({ from: FRIDAY_1730, to: plus(FRIDAY_1730, -1), calendar: paris })).toEqual({
      seconds: 0,
      businessSeconds: 0,
    });
  });
});

describe('retimeDueTimes', () => {
  const created = at('2026-01-10T11:00:00Z');
  const quick = {
    ...allDay,
    targets: {
      ...allDay.targets,
      medium: { first_response_seconds: 1800, resolution_seconds: 7200 },
    },
  };

  it('counts the new policy from creation, crediting the pause carried under the old one', () => {
    // Medium under the tenant policy is 4 h / 24 h; the ticket carries 30 min of pause.
    const current = {
      first_response_due_at: plus(created, 4.5),
      resolution_due_at: plus(created, 24.5),
    };
    const out = retimeDueTimes({
      createdAt: created,
      current,
      from: { priority: 'medium', policy: allDay },
      to: { priority: 'medium', policy: quick },
    });
    expect(out).toEqual({
      first_response_due_at: plus(created, 1),
      resolution_due_at: plus(created, 2.5),
    });
  });

  it('is recomputeForPriority when the policy stays', () => {
    const current = computeSlaDue({ start: created, priority: 'low', policy: allDay });
    const viaRetime = retimeDueTimes({
      createdAt: created,
      current,
      from: { priority: 'low', policy: allDay },
      to: { priority: 'urgent', policy: allDay },
    });
    const viaPriority = recomputeForPriority({
      createdAt: created,
      oldPriority: 'low',
      newPriority: 'urgent',
      current,
      policy: allDay,
    });
    expect(viaRetime).toEqual(viaPriority);
  });
});
