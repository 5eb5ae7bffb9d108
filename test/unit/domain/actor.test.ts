import { describe, expect, it } from 'vitest';
import {
  SYSTEM_ACTOR,
  actorLabel,
  actorRef,
  isEngineer,
  isSupervisorOrAbove,
  type Actor,
} from '../../../src/domain/actor.js';

const agent: Actor = { type: 'agent', id: 'a1', role: 'agent' };
const supervisor: Actor = { type: 'agent', id: 's1', role: 'supervisor' };
const admin: Actor = { type: 'agent', id: 'ad1', role: 'admin' };
const engineer: Actor = { type: 'agent', id: 'e1', role: 'engineer' };
const customer: Actor = { type: 'customer', id: 'c1' };
const api: Actor = { type: 'api', keyId: 'k1', role: 'admin' };

describe('isSupervisorOrAbove', () => {
  it.each([
    ['agent', agent, false],
    ['supervisor', supervisor, true],
    ['admin', admin, true],
    ['engineer', engineer, false],
    ['customer', customer, false],
    ['api admin key', api, true],
    ['system', SYSTEM_ACTOR, false],
  ] as const)('%s → %s', (_name, actor, expected) => {
    expect(isSupervisorOrAbove(actor)).toBe(expected);
  });
});

describe('isEngineer', () => {
  it('is true only for agents with the engineer role', () => {
    expect(isEngineer(engineer)).toBe(true);
    for (const a of [agent, supervisor, admin, customer, api, SYSTEM_ACTOR]) {
      expect(isEngineer(a)).toBe(false);
    }
  });
});

describe('actorLabel', () => {
  it.each([
    [agent, 'agent:a1'],
    [supervisor, 'agent:s1'],
    [customer, 'customer:c1'],
    [api, 'api:k1'],
    [SYSTEM_ACTOR, 'system'],
  ] as const)('%o → %s', (actor, label) => {
    expect(actorLabel(actor)).toBe(label);
  });
});

describe('actorRef', () => {
  it.each([
    [agent, { actor_type: 'agent', actor_id: 'a1' }],
    [engineer, { actor_type: 'agent', actor_id: 'e1' }],
    [customer, { actor_type: 'customer', actor_id: 'c1' }],
    [api, { actor_type: 'api', actor_id: 'k1' }],
    [SYSTEM_ACTOR, { actor_type: 'system', actor_id: null }],
  ] as const)('%o → %o', (actor, ref) => {
    expect(actorRef(actor)).toEqual(ref);
  });
});
