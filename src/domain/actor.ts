import type { AgentRole } from './vocabulary.js';

/**
 * Who is doing something. Every use case takes an Actor so permission rules and the audit log
 * see the same thing.
 *
 * - `agent`: a person in the `agents` table, with their role.
 * - `customer`: the person the ticket is for (moves the ticket by writing to it).
 * - `system`: the platform itself — assignment, customer-driven moves, auto-close, SLA jobs.
 * - `api`: an API key not bound to an agent; it acts as an admin of its tenant.
 */
export type Actor =
  | { type: 'agent'; id: string; role: AgentRole }
  | { type: 'customer'; id: string }
  | { type: 'system' }
  | { type: 'api'; keyId: string; role: 'admin' };

export type ActorType = Actor['type'];

/** How an actor is stored next to audit events and approvals. */
export interface ActorRef {
  actor_type: ActorType;
  actor_id: string | null;
}

export const SYSTEM_ACTOR: Actor = { type: 'system' };

/**
 * Supervisor powers: supervisors, admins and admin API keys.
 *
 * `system` is deliberately NOT included: the platform may do what the rules let it do
 * automatically (see ticket-transitions.ts, resolution-rules.ts), but it never stands in for a
 * human supervisor's judgement (reopening closed tickets, deciding approvals).
 */
export function isSupervisorOrAbove(actor: Actor): boolean {
  switch (actor.type) {
    case 'agent':
      return actor.role === 'supervisor' || actor.role === 'admin';
    case 'api':
      return true;
    case 'customer':
    case 'system':
      return false;
  }
}

/** Admin powers (managing agents, keys, settings): admin agents and admin API keys. */
export function isAdmin(actor: Actor): boolean {
  return actor.type === 'api' || (actor.type === 'agent' && actor.role === 'admin');
}

/** An agent whose role is `engineer`: reads tickets and adds technical notes only. */
export function isEngineer(actor: Actor): boolean {
  return actor.type === 'agent' && actor.role === 'engineer';
}

/** A short stable label for logs and audit text: `agent:<id>`, `customer:<id>`, `api:<keyId>`, `system`. */
export function actorLabel(actor: Actor): string {
  switch (actor.type) {
    case 'agent':
      return `agent:${actor.id}`;
    case 'customer':
      return `customer:${actor.id}`;
    case 'api':
      return `api:${actor.keyId}`;
    case 'system':
      return 'system';
  }
}

/** The `(actor_type, actor_id)` pair stored with audit events; `system` has no id. */
export function actorRef(actor: Actor): ActorRef {
  switch (actor.type) {
    case 'agent':
      return { actor_type: 'agent', actor_id: actor.id };
    case 'customer':
      return { actor_type: 'customer', actor_id: actor.id };
    case 'api':
      return { actor_type: 'api', actor_id: actor.keyId };
    case 'system':
      return { actor_type: 'system', actor_id: null };
  }
}
