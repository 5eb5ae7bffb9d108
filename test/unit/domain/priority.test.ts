import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bumpPriority, comparePriority, priorityRank } from '../../../src/domain/priority.js';
import { PRIORITIES, type Priority } from '../../../src/domain/vocabulary.js';

describe('priorityRank', () => {
  it('ranks low < medium < high < urgent', () => {
    expect(PRIORITIES.map(priorityRank)).toEqual([0, 1, 2, 3]);
  });
});

describe('comparePriority', () => {
  it('is negative, zero, positive', () => {
    expect(comparePriority('low', 'urgent')).toBeLessThan(0);
    expect(comparePriority('high', 'high')).toBe(0);
    expect(comparePriority('urgent', 'medium')).toBeGreaterThan(0);
  });

  it('sorts least urgent first, and reversed most urgent first', () => {
    const list: Priority[] = ['high', 'low', 'urgent', 'medium', 'low'];
    expect([...list].sort(comparePriority)).toEqual(['low', 'low', 'medium', 'high', 'urgent']);
    expect([...list].sort((a, b) => comparePriority(b, a))).toEqual([
      'urgent',
      'high',
      'medium',
      'low',
      'low',
    ]);
  });

  it('is antisymmetric', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PRIORITIES), fc.constantFrom(...PRIORITIES), (a, b) => {
        expect(Math.sign(comparePriority(a, b)) + Math.sign(comparePriority(b, a))).toBe(0);
      }),
    );
  });
});

describe('bumpPriority', () => {
  it.each([
    ['low', 'medium'],
    ['medium', 'high'],
    ['high', 'urgent'],
    ['urgent', 'urgent'],
  ] as [Priority, Priority][])('%s → %s', (from, to) => {
    expect(bumpPriority(from)).toBe(to);
  });
});
