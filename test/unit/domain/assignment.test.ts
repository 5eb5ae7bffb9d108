import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AssignmentCandidate,
  afterAssignment,
  freeSlots,
  isAssignmentStrategy,
  isEligible,
  pickAssignee,
} from '../../../src/domain/assignment.js';
import { AGENT_ROLES } from '../../../src/domain/vocabulary.js';

const member = (id: string, over: Partial<AssignmentCandidate> = {}): AssignmentCandidate => ({
  id,
  role: 'agent',
  active: true,
  available: true,
  capacity: null,
  openCount: 0,
  lastAssignedAt: null,
  ...over,
});

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 9, minute));

describe('isEligible', () => {
  it('needs active, available, a non-engineer role and room under the capacity', () => {
    expect(isEligible(member('a'))).toBe(true);
    expect(isEligible(member('a', { active: false }))).toBe(false);
    expect(isEligible(member('a', { available: false }))).toBe(false);
    expect(isEligible(member('a', { role: 'engineer' }))).toBe(false);
    expect(isEligible(member('a', { role: 'supervisor' }))).toBe(true);
    expect(isEligible(member('a', { capacity: 2, openCount: 1 }))).toBe(true);
    expect(isEligible(member('a', { capacity: 2, openCount: 2 }))).toBe(false);
    expect(isEligible(member('a', { capacity: 0 }))).toBe(false);
  });
});

describe('freeSlots', () => {
  it('adds up the room of eligible members; no limit is Infinity', () => {
    expect(freeSlots([])).toBe(0);
    expect(
      freeSlots([
        member('a', { capacity: 3, openCount: 1 }),
        member('b', { capacity: 1, openCount: 1 }),
        member('c', { capacity: 5, available: false }),
      ]),
    ).toBe(2);
    expect(freeSlots([member('a', { capacity: 1 }), member('b')])).toBe(Infinity);
  });
});

describe('pickAssignee', () => {
  const abc = [member('a'), member('b'), member('c')];

  it('picks nobody for manual groups', () => {
    expect(pickAssignee({ strategy: 'manual', members: abc, cursor: null })).toBeNull();
  });

  it('round-robin: the next member after the cursor, wrapping', () => {
    const rr = (cursor: string | null) =>
      pickAssignee({ strategy: 'round_robin', members: abc, cursor });
    expect(rr(null)).toBe('a');
    expect(rr('a')).toBe('b');
    expect(rr('b')).toBe('c');
    expect(rr('c')).toBe('a');
    expect(rr('gone')).toBe('a');
  });

  it('round-robin skips full, unavailable and inactive members', () => {
    const members = [
      member('a'),
      member('b', { capacity: 1, openCount: 1 }),
      member('c', { available: false }),
      member('d', { active: false }),
      member('e', { role: 'engineer' }),
    ];
    expect(pickAssignee({ strategy: 'round_robin', members, cursor: 'a' })).toBe('a');
  });

  it('least-loaded: fewest open tickets', () => {
    const members = [member('a', { openCount: 3 }), member('b', { openCount: 1 }), member('c')];
    expect(pickAssignee({ strategy: 'least_loaded', members, cursor: null })).toBe('c');
  });

  it('least-loaded ties: longest wait since the last assignment, then after the cursor', () => {
    const members = [
      member('a', { openCount: 1, lastAssignedAt: at(5) }),
      member('b', { openCount: 1, lastAssignedAt: at(1) }),
      member('c', { openCount: 1, lastAssignedAt: at(3) }),
    ];
    expect(pickAssignee({ strategy: 'least_loaded', members, cursor: null })).toBe('b');
    expect(pickAssignee({ strategy: 'least_loaded', members: abc, cursor: 'a' })).toBe('b');
    const never = [member('a', { lastAssignedAt: at(1) }), member('b')];
    expect(pickAssignee({ strategy: 'least_loaded', members: never, cursor: null })).toBe('b');
  });

  it('returns null when nobody is eligible', () => {
    const members = [member('a', { capacity: 0 }), member('b', { available: false })];
    for (const strategy of ['round_robin', 'least_loaded'] as const) {
      expect(pickAssignee({ strategy, members, cursor: null })).toBeNull();
    }
    expect(pickAssignee({ strategy: 'round_robin', members: [], cursor: null })).toBeNull();
  });

  it('knows its strategies', () => {
    expect(isAssignmentStrategy('round_robin')).toBe(true);
    expect(isAssignmentStrategy('random')).toBe(false);
  });
});

const candidate = fc.record({
  role: fc.constantFrom(...AGENT_ROLES),
  active: fc.boolean(),
  available: fc.boolean(),
  capacity: fc.option(fc.nat({ max: 4 }), { nil: null }),
  openCount: fc.nat({ max: 6 }),
  lastAssignedAt: fc.option(
    fc.integer({ min: 0, max: 59 }).map((m) => at(m)),
    { nil: null },
  ),
});
const members = fc
  .array(candidate, { maxLength: 8 })
  .map((cs) => cs.map((c, i): AssignmentCandidate => ({ ...c, id: `m${i}` })));
const strategy = fc.constantFrom('round_robin' as const, 'least_loaded' as const);

/** Picks `n` tickets in a row, as the app does (cursor and load move after each). */
function run(
  s: 'round_robin' | 'least_loaded',
  start: AssignmentCandidate[],
  cursor: string | null,
  n: number,
) {
  let ms = start;
  let cur = cursor;
  const picks: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = pickAssignee({ strategy: s, members: ms, cursor: cur });
    if (id === null) break;
    const chosen = ms.find((m) => m.id === id)!;
    expect(isEligible(chosen)).toBe(true);
    picks.push(id);
    ms = afterAssignment(ms, id, at(i));
    cur = id;
  }
  return { picks, members: ms };
}

describe('pickAssignee properties', () => {
  it('never picks a full, unavailable, inactive or engineer member; null only if none is eligible', () => {
    fc.assert(
      fc.property(strategy, members, fc.nat({ max: 8 }), (s, ms, c) => {
        const cursor = ms[c]?.id ?? null;
        const id = pickAssignee({ strategy: s, members: ms, cursor });
        if (id === null) expect(ms.some(isEligible)).toBe(false);
        else expect(isEligible(ms.find((m) => m.id === id)!)).toBe(true);
      }),
    );
  });

  it('never assigns more than the free slots, and fills them all', () => {
    fc.assert(
      fc.property(strategy, members, (s, ms) => {
        const slots = freeSlots(ms);
        const { picks, members: after } = run(s, ms, null, 30);
        expect(picks.length).toBe(Math.min(slots, 30));
        after.forEach((m, i) => {
          const before = ms[i]!;
          if (m.capacity !== null) {
            expect(m.openCount).toBeLessThanOrEqual(Math.max(m.capacity, before.openCount));
          }
          if (!isEligible(before)) expect(m.openCount).toBe(before.openCount);
        });
      }),
    );
  });

  it('round-robin gives every eligible member one before anyone gets a second', () => {
    const uncapped = members.map((ms) => ms.map((m) => ({ ...m, capacity: null })));
    fc.assert(
      fc.property(uncapped, fc.nat({ max: 8 }), (ms, c) => {
        const eligible = ms.filter(isEligible).map((m) => m.id);
        const { picks } = run('round_robin', ms, ms[c]?.id ?? null, eligible.length * 2);
        const first = picks.slice(0, eligible.length);
        expect(new Set(first).size).toBe(eligible.length);
        expect(picks.slice(eligible.length)).toEqual(first);
      }),
    );
  });

  it('least-loaded keeps loads of uncapped eligible members within one of each other', () => {
    const equal = members.map((ms) => ms.map((m) => ({ ...m, capacity: null, openCount: 0 })));
    fc.assert(
      fc.property(equal, fc.nat({ max: 20 }), (ms, n) => {
        const { members: after } = run('least_loaded', ms, null, n);
        const loads = after.filter(isEligible).map((m) => m.openCount);
        if (loads.length > 0)
          expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
      }),
    );
  });
});
