import { describe, expect, it } from 'vitest';
import { withSlaDue } from '../../../src/app/ticket-change-set.js';
import { ticket } from '../http/fixtures.js';

const now = new Date('2026-03-01T11:00:00Z');
const FIRST_DUE = new Date('2026-03-01T14:00:00Z');
const RESOLUTION_DUE = new Date('2026-03-02T10:00:00Z');

describe('withSlaDue', () => {
  it('wakes the sweep now when an open ticket changes status, and watches the next deadline', () => {
    const out = withSlaDue(ticket(), { updatedAt: now, status: 'in_progress' });
    expect(out.slaNextCheckAt).toEqual(now);
    expect(out.slaDueAt).toEqual(FIRST_DUE);
  });

  it('watches the resolution once the first response is in', () => {
    const out = withSlaDue(ticket(), { updatedAt: now, firstResponseAt: now });
    expect(out.slaDueAt).toEqual(RESOLUTION_DUE);
    expect(out.slaNextCheckAt).toEqual(now);
  });

  it('has no deadline and no wake-up while paused or once done', () => {
    const paused = withSlaDue(ticket(), {
      updatedAt: now,
      status: 'awaiting_customer',
      slaPausedAt: now,
    });
    expect(paused.slaDueAt).toBeNull();
    expect(paused.slaNextCheckAt).toBeNull();
    const resolved = withSlaDue(ticket({ status: 'in_progress' }), {
      updatedAt: now,
      status: 'resolved',
    });
    expect(resolved.slaDueAt).toBeNull();
    expect(resolved.slaNextCheckAt).toBeNull();
  });

  it('leaves the wake-up alone for changes that do not touch the clocks, and keeps a given one', () => {
    expect(withSlaDue(ticket(), { updatedAt: now, category: 'billing' })).not.toHaveProperty(
      'slaNextCheckAt',
    );
    const later = new Date('2026-03-01T13:00:00Z');
    const out = withSlaDue(ticket(), { updatedAt: now, status: 'assigned', slaNextCheckAt: later });
    expect(out.slaNextCheckAt).toEqual(later);
  });
});
