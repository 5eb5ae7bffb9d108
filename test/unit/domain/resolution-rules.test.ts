import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/domain/actor.js';
import { ParleyError } from '../../../src/domain/errors.js';
import {
  assertCanDecideApproval,
  assertResolution,
  decideResolution,
  needsApproval,
  type Approval,
} from '../../../src/domain/resolution-rules.js';
import { RESOLUTION_CODES, type ResolutionCode } from '../../../src/domain/vocabulary.js';

const agent: Actor = { type: 'agent', id: 'a1', role: 'agent' };
const supervisor: Actor = { type: 'agent', id: 's1', role: 'supervisor' };
const admin: Actor = { type: 'agent', id: 'ad1', role: 'admin' };
const engineer: Actor = { type: 'agent', id: 'e1', role: 'engineer' };
const customer: Actor = { type: 'customer', id: 'c1' };
const system: Actor = { type: 'system' };
const api: Actor = { type: 'api', keyId: 'k1', role: 'admin' };

function thrown(fn: () => unknown): ParleyError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ParleyError);
    return e as ParleyError;
  }
  throw new Error('expected a ParleyError');
}

const approval = (status: Approval['status'], code: ResolutionCode = 'refund'): Approval => ({
  status,
  code,
  requested_by: 'a1',
  decided_by: status === 'pending' ? null : 's1',
});

describe('needsApproval', () => {
  it('is true exactly for refund and credit_note', () => {
    expect(RESOLUTION_CODES.filter(needsApproval).sort()).toEqual(['credit_note', 'refund']);
  });
});

describe('assertResolution / resolution_required', () => {
  it.each([undefined, null, {}, { code: '' }])('rejects %o', (resolution) => {
    const err = thrown(() =>
      assertResolution(resolution as Parameters<typeof assertResolution>[0]),
    );
    expect(err.kind).toBe('unprocessable');
    expect(err.code).toBe('resolution_required');
  });

  it('rejects an unknown code as invalid_request', () => {
    const err = thrown(() => assertResolution({ code: 'bribe' as ResolutionCode }));
    expect(err.kind).toBe('invalid');
    expect(err.code).toBe('invalid_request');
    expect(err.message).toContain('answered');
  });

  it('accepts every contract code', () => {
    for (const code of RESOLUTION_CODES) expect(() => assertResolution({ code })).not.toThrow();
  });

  it('decideResolution without a resolution throws resolution_required, for supervisors too', () => {
    for (const actor of [agent, supervisor, system]) {
      expect(thrown(() => decideResolution({ resolution: null, actor })).code).toBe(
        'resolution_required',
      );
    }
  });
});

describe('decideResolution', () => {
  it.each([
    ['supervisor', supervisor],
    ['admin', admin],
    ['api key', api],
    ['system', system],
  ] as const)('%s resolves any code directly, whatever the approval state', (_n, actor) => {
    for (const code of RESOLUTION_CODES) {
      for (const a of [undefined, approval('pending', code), approval('rejected', code)]) {
        expect(decideResolution({ resolution: { code }, actor, approval: a })).toEqual({
          outcome: 'resolve',
        });
      }
    }
  });

  it('an agent resolves codes that need no approval directly', () => {
    for (const code of RESOLUTION_CODES.filter((c) => !needsApproval(c))) {
      expect(decideResolution({ resolution: { code, notes: 'done' }, actor: agent })).toEqual({
        outcome: 'resolve',
      });
    }
  });

  it.each(['refund', 'credit_note'] as const)('agent + %s', (code) => {
    const decide = (a?: Approval | null) =>
      decideResolution({ resolution: { code }, actor: agent, approval: a });
    expect(decide(undefined)).toEqual({ outcome: 'request_approval' });
    expect(decide(null)).toEqual({ outcome: 'request_approval' });
    expect(decide(approval('approved', code))).toEqual({ outcome: 'resolve' });
    expect(decide(approval('rejected', code))).toEqual({ outcome: 'request_approval' });
    const pending = thrown(() => decide(approval('pending', code)));
    expect(pending.kind).toBe('unprocessable');
    expect(pending.code).toBe('approval_pending');
  });

  it('an approval for another code does not count', () => {
    expect(
      decideResolution({
        resolution: { code: 'refund' },
        actor: agent,
        approval: approval('approved', 'credit_note'),
      }),
    ).toEqual({ outcome: 'request_approval' });
    expect(
      decideResolution({
        resolution: { code: 'credit_note' },
        actor: agent,
        approval: approval('pending', 'refund'),
      }),
    ).toEqual({ outcome: 'request_approval' });
  });

  it.each([
    ['engineer', engineer],
    ['customer', customer],
  ] as const)('%s may not resolve', (_n, actor) => {
    const err = thrown(() => decideResolution({ resolution: { code: 'answered' }, actor }));
    expect(err.kind).toBe('forbidden');
  });
});

describe('assertCanDecideApproval', () => {
  it.each([
    ['supervisor', supervisor, true],
    ['admin', admin, true],
    ['api key', api, true],
    ['agent', agent, false],
    ['engineer', engineer, false],
    ['customer', customer, false],
    ['system', system, false],
  ] as const)('%s → allowed %s', (_n, actor, allowed) => {
    if (allowed) expect(() => assertCanDecideApproval(actor)).not.toThrow();
    else expect(thrown(() => assertCanDecideApproval(actor)).kind).toBe('forbidden');
  });
});
