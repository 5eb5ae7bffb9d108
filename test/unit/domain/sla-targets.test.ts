import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SLA_TARGETS,
  computeDueTimes,
  nextSlaDue,
  type SlaTargets,
} from '../../../src/domain/sla-targets.js';
import { TICKET_STATUSES, type Priority } from '../../../src/domain/vocabulary.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('DEFAULT_SLA_TARGETS', () => {
  it('matches the agreed defaults', () => {
    expect(DEFAULT_SLA_TARGETS).toEqual({
      urgent: { first_response_seconds: 900, resolution_seconds: 7200 },
      high: { first_response_seconds: 3600, resolution_seconds: 14400 },
      medium: { first_response_seconds: 14400, resolution_seconds: 86400 },
      low: { first_response_seconds: 28800, resolution_seconds: 172800 },
    });
  });

  it('cannot be mutated', () => {
    expect(Object.isFrozen(DEFAULT_SLA_TARGETS)).toBe(true);
  });
});

describe('computeDueTimes', () => {
  const createdAt = new Date('2026-03-07T22:00:00Z');

  it.each([
    ['urgent', 15 * MIN, 2 * HOUR],
    ['high', 1 * HOUR, 4 * HOUR],
    ['medium', 4 * HOUR, 24 * HOUR],
    ['low', 8 * HOUR, 48 * HOUR],
  ] as [Priority, number, number][])('%s with defaults', (priority, fr, res) => {
    const due = computeDueTimes({ createdAt, priority, targets: DEFAULT_SLA_TARGETS });
    expect(due.first_response_due_at.getTime() - createdAt.getTime()).toBe(fr);
    expect(due.resolution_due_at.getTime() - createdAt.getTime()).toBe(res);
  });

  it('uses the given targets and does not touch createdAt', () => {
    const targets: SlaTargets = {
      ...DEFAULT_SLA_TARGETS,
      low: { first_response_seconds: 1, resolution_seconds: 2 },
    };
    const due = computeDueTimes({ createdAt, priority: 'low', targets });
    expect(due.first_response_due_at.toISOString()).toBe('2026-03-07T22:00:01.000Z');
    expect(due.resolution_due_at.toISOString()).toBe('2026-03-07T22:00:02.000Z');
    expect(createdAt.toISOString()).toBe('2026-03-07T22:00:00.000Z');
  });

  it('counts wall-clock time straight through nights and weekends', () => {
    const saturdayNight = new Date('2026-03-07T23:00:00Z');
    const due = computeDueTimes({
      createdAt: saturdayNight,
      priority: 'low',
      targets: DEFAULT_SLA_TARGETS,
    });
    expect(due.resolution_due_at.toISOString()).toBe('2026-03-09T23:00:00.000Z');
  });
});

describe('nextSlaDue', () => {
  const first_response_due_at = new Date('2026-05-10T10:00:00Z');
  const resolution_due_at = new Date('2026-05-11T06:00:00Z');
  const base = { first_response_due_at, resolution_due_at };

  it('is the first-response due time until someone answers', () => {
    for (const status of ['new', 'assigned', 'in_progress', 'awaiting_customer'] as const) {
      expect(nextSlaDue({ ...base, first_response_at: null, status })).toEqual(
        first_response_due_at,
      );
      expect(nextSlaDue({ ...base, first_response_at: undefined, status })).toEqual(
        first_response_due_at,
      );
    }
  });

  it('is the resolution due time after the first response', () => {
    const first_response_at = new Date('2026-05-10T09:00:00Z');
    for (const status of ['new', 'assigned', 'in_progress', 'awaiting_customer'] as const) {
      expect(nextSlaDue({ ...base, first_response_at, status })).toEqual(resolution_due_at);
    }
  });

  it('is null once resolved or closed', () => {
    for (const status of ['resolved', 'closed'] as const) {
      expect(nextSlaDue({ ...base, first_response_at: null, status })).toBeNull();
      expect(nextSlaDue({ ...base, first_response_at: new Date(), status })).toBeNull();
    }
  });

  it('covers every status', () => {
    const open = TICKET_STATUSES.filter(
      (status) => nextSlaDue({ ...base, first_response_at: null, status }) !== null,
    );
    expect(open).toEqual(['new', 'assigned', 'in_progress', 'awaiting_customer']);
  });

  it('takes the resolution due time when a tenant set it before the first-response one', () => {
    const early = new Date('2026-05-10T08:00:00Z');
    const lateFirstResponse = new Date('2026-05-10T12:00:00Z');
    expect(
      nextSlaDue({
        first_response_due_at: lateFirstResponse,
        resolution_due_at: early,
        first_response_at: null,
        status: 'new',
      }),
    ).toEqual(early);
  });
});
