/** Agents of a tenant (admins manage them) and API keys bound to an agent. */
import { actorRef, isAdmin } from '../domain/actor.js';
import { conflict, forbidden, notFound } from '../domain/errors.js';
import type { Agent } from '../domain/records.js';
import { generateApiKey } from './api-keys.js';
import type { AppDeps, RequestContext } from './context.js';
import type { CreateAgentInput } from './inputs.js';

function assertAdmin(ctx: RequestContext): void {
  if (!isAdmin(ctx.actor)) throw forbidden('Only an admin may manage agents');
}

export async function createAgent(
  deps: AppDeps,
  ctx: RequestContext,
  input: CreateAgentInput,
): Promise<Agent> {
  assertAdmin(ctx);
  return deps.uow.transaction(async (s) => {
    const existing = await s.agents.list(ctx.tenant.id);
    const email = input.email?.trim().toLowerCase();
    if (email && existing.some((a) => a.email === email))
      throw conflict(`an agent with email ${email} exists`);
    if (input.slack_user_id && existing.some((a) => a.slackUserId === input.slack_user_id)) {
      throw conflict(`an agent with Slack user ${input.slack_user_id} exists`);
    }
    if (
      input.telegram_user_id &&
      existing.some((a) => a.telegramUserId === input.telegram_user_id)
    ) {
      throw conflict(`an agent with Telegram user ${input.telegram_user_id} exists`);
    }
    const agent = await s.agents.create(ctx.tenant.id, {
      name: input.name,
      email: email ?? null,
      role: input.role,
      slackUserId: input.slack_user_id ?? null,
      telegramUserId: input.telegram_user_id ?? null,
      capacity: input.capacity ?? null,
      groups: input.groups ?? [],
    });
    const who = actorRef(ctx.actor);
    await s.audit.record({
      tenantId: ctx.tenant.id,
      entityType: 'agent',
      entityId: agent.id,
      action: 'created',
      actorType: who.actor_type,
      actorId: who.actor_id,
      changes: { role: { from: null, to: agent.role }, groups: { from: null, to: agent.groups } },
      createdAt: deps.clock.now(),
    });
    return agent;
  });
}

export async function listAgents(deps: AppDeps, ctx: RequestContext): Promise<Agent[]> {
  if (ctx.actor.type === 'customer') throw forbidden('Customers may not list agents');
  return deps.uow.read.agents.list(ctx.tenant.id);
}

export async function issueAgentApiKey(
  deps: AppDeps,
  ctx: RequestContext,
  agentId: string,
): Promise<{ apiKey: string }> {
  const self = ctx.actor.type === 'agent' && ctx.actor.id === agentId;
  if (!self && !isAdmin(ctx.actor)) {
    throw forbidden('Only an admin may issue API keys for another agent');
  }
  return deps.uow.transaction(async (s) => {
    const agent = /^[0-9a-f-]{36}$/i.test(agentId)
      ? await s.agents.findById(ctx.tenant.id, agentId)
      : null;
    if (!agent) throw notFound(`agent ${agentId}`);
    const key = generateApiKey();
    await s.apiKeys.create({
      tenantId: ctx.tenant.id,
      name: `agent:${agent.name}`,
      keyHash: key.hash,
      prefix: key.prefix,
      agentId: agent.id,
    });
    const who = actorRef(ctx.actor);
    await s.audit.record({
      tenantId: ctx.tenant.id,
      entityType: 'agent',
      entityId: agent.id,
      action: 'api_key_issued',
      actorType: who.actor_type,
      actorId: who.actor_id,
      changes: { api_key_prefix: { from: null, to: key.prefix } },
      createdAt: deps.clock.now(),
    });
    return { apiKey: key.key };
  });
}
