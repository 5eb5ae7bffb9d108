import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/domain/actor.js';
import { ParleyError } from '../../../src/domain/errors.js';
import {
  allowedTargets,
  assertTransition,
  canTransition,
  isKnownTransition,
  statusAfterCustomerMessage,
} from '../../../src/domain/ticket-transitions.js';
import { TICKET_STATUSES, type TicketStatus } from '../../../src/domain/vocabulary.js';

const ACTORS = {
  agent: { type: 'agent', id: 'a1', role: 'agent' },
  supervisor: { type: 'agent', id: 's1', role: 'supervisor' },
  admin: { type: 'agent', id: 'ad1', role: 'admin' },
  engineer: { type: 'agent', id: 'e1', role: 'engineer' },
  customer: { type: 'customer', id: 'c1' },
  system: { type: 'system' },
  api: { type: 'api', keyId: 'k1', role: 'admin' },
} satisfies Record<string, Actor>;
type Who = keyof typeof ACTORS;
const WHO = Object.keys(ACTORS) as Who[];

const NORMAL: Who[] = ['agent', 'supervisor', 'admin', 'system', 'api'];
const SUPERVISORS: Who[] = ['supervisor', 'admin', 'api'];

/** The contract's table, written out by hand: every legal move and who may make it. */
const TABLE: [TicketStatus, TicketStatus, Who[]][] = [
  ['new', 'assigned', NORMAL],
  ['new', 'in_progress', NORMAL],
  ['assigned', 'in_progress', NORMAL],
  ['in_progress', 'awaiting_customer', NORMAL],
  ['awaiting_customer', 'in_progress', [...NORMAL, 'customer']],
  ['assigned', 'resolved', NORMAL],
  ['in_progress', 'resolved', NORMAL],
  ['awaiting_customer', 'resolved', NORMAL],
  ['resolved', 'closed', NORMAL],
  ['resolved', 'in_progress', [...NORMAL, 'customer']],
  ['new', 'closed', SUPERVISORS],
  ['assigned', 'closed', SUPERVISORS],
  ['in_progress', 'closed', SUPERVISORS],
  ['awaiting_customer', 'closed', SUPERVISORS],
  ['closed', 'in_progress', SUPERVISORS],
];

type Expected = 'ok' | 'forbidden' | 'invalid_transition';

function expected(from: TicketStatus, to: TicketStatus, who: Who): Expected {
  if (from === to) return 'ok';
  if (who === 'engineer') return 'forbidden';
  const row = TABLE.find(([f, t]) => f === from && t === to);
  if (!row) return 'invalid_transition';
  // A listed move this role may not make is also a 409 (contract: "Anything else: 409").
  return row[2].includes(who) ? 'ok' : 'invalid_transition';
}

function outcome(from: TicketStatus, to: TicketStatus, actor: Actor): Expected {
  try {
    assertTransition(from, to, actor);
    return 'ok';
  } catch (e) {
    expect(e).toBeInstanceOf(ParleyError);
    const err = e as ParleyError;
    if (err.code === 'invalid_transition') {
      expect(err.kind).toBe('conflict');
      return 'invalid_transition';
    }
    expect(err.kind).toBe('forbidden');
    expect(err.code).toBe('forbidden');
    return 'forbidden';
  }
}

const ALL_CASES = TICKET_STATUSES.flatMap((from) =>
  TICKET_STATUSES.flatMap((to) => WHO.map((who) => [from, to, who] as const)),
);

describe('assertTransition — full matrix (every status pair × every actor)', () => {
  it.each(ALL_CASES)('%s → %s by %s', (from, to, who) => {
    const want = expected(from, to, who);
    expect(outcome(from, to, ACTORS[who])).toBe(want);
    expect(canTransition(from, to, ACTORS[who])).toBe(want === 'ok');
  });
});

describe('the table itself', () => {
  it('has exactly 15 legal moves', () => {
    const known = TICKET_STATUSES.flatMap((f) =>
      TICKET_STATUSES.filter((t) => t !== f && isKnownTransition(f, t)).map((t) => `${f}>${t}`),
    );
    expect(known.sort()).toEqual(TABLE.map(([f, t]) => `${f}>${t}`).sort());
  });

  it('never lets anyone resolve a new ticket or leave closed except to in_progress', () => {
    for (const who of WHO) {
      expect(canTransition('new', 'resolved', ACTORS[who])).toBe(false);
      expect(canTransition('closed', 'resolved', ACTORS[who])).toBe(false);
      expect(canTransition('closed', 'new', ACTORS[who])).toBe(false);
      expect(canTransition('in_progress', 'new', ACTORS[who])).toBe(false);
    }
  });

  it('reports from and to in the conflict details', () => {
    try {
      assertTransition('new', 'awaiting_customer', ACTORS.supervisor);
      expect.unreachable();
    } catch (e) {
      expect((e as ParleyError).details).toEqual({ from: 'new', to: 'awaiting_customer' });
    }
  });

  it('explains why an agent may not reopen a closed ticket', () => {
    expect(() => assertTransition('closed', 'in_progress', ACTORS.agent)).toThrow(/supervisor/);
  });
});

describe('same status', () => {
  it('is an allowed no-op for everyone, even an engineer', () => {
    for (const s of TICKET_STATUSES) {
      for (const who of WHO) {
        expect(() => assertTransition(s, s, ACTORS[who])).not.toThrow();
      }
    }
  });
});

describe('allowedTargets', () => {
  it.each([
    ['new', 'agent', ['assigned', 'in_progress']],
    ['new', 'supervisor', ['assigned', 'in_progress', 'closed']],
    ['assigned', 'agent', ['in_progress', 'resolved']],
    ['in_progress', 'agent', ['awaiting_customer', 'resolved']],
    ['in_progress', 'api', ['awaiting_customer', 'resolved', 'closed']],
    ['awaiting_customer', 'agent', ['in_progress', 'resolved']],
    ['awaiting_customer', 'customer', ['in_progress']],
    ['resolved', 'agent', ['in_progress', 'closed']],
    ['resolved', 'system', ['in_progress', 'closed']],
    ['resolved', 'customer', ['in_progress']],
    ['closed', 'agent', []],
    ['closed', 'system', []],
    ['closed', 'admin', ['in_progress']],
    ['in_progress', 'customer', []],
    ['in_progress', 'engineer', []],
    ['resolved', 'engineer', []],
  ] as [TicketStatus, Who, TicketStatus[]][])('%s by %s → %o', (from, who, targets) => {
    expect(allowedTargets(from, ACTORS[who])).toEqual(targets);
  });

  it('agrees with canTransition and never contains the current status', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TICKET_STATUSES), fc.constantFrom(...WHO), (from, who) => {
        const targets = allowedTargets(from, ACTORS[who]);
        expect(targets).not.toContain(from);
        for (const to of TICKET_STATUSES) {
          if (to === from) continue;
          expect(targets.includes(to)).toBe(canTransition(from, to, ACTORS[who]));
        }
      }),
    );
  });
});

describe('statusAfterCustomerMessage', () => {
  it.each([
    ['new', 'new'],
    ['assigned', 'assigned'],
    ['in_progress', 'in_progress'],
    ['awaiting_customer', 'in_progress'],
    ['resolved', 'resolved'],
    ['closed', 'closed'],
  ] as [TicketStatus, TicketStatus][])('%s → %s', (from, to) => {
    expect(statusAfterCustomerMessage(from)).toBe(to);
  });

  it('only ever produces a move the customer may make', () => {
    for (const s of TICKET_STATUSES) {
      expect(canTransition(s, statusAfterCustomerMessage(s), ACTORS.customer)).toBe(true);
    }
  });
});
