/**
 * Agent groups (queues): admins and supervisors create them, point each at its Slack channel,
 * choose how its tickets are assigned and who is in it. Any staff member may list them.
 * Adding members or switching to automatic assignment hands the waiting queue out at once.
 */
import { actorRef, isSupervisorOrAbove } from '../domain/actor.js';
import type { AssignmentStrategy } from '../domain/assignment.js';
import { ParleyError, conflict, forbidden, notFound } from '../domain/errors.js';
import type { AgentGroupDetails, Stores } from '../ports/stores.js';
import { backfillGroup } from './auto-assign.js';
import type { AppDeps, RequestContext } from './context.js';

export interface GroupInput {
  name?: string;
  slack_channel_id?: string | null;
  assignment?: AssignmentStrategy;
  /** Agent ids; replaces the members. */
  members?: string[];
}

function assertManager(ctx: RequestContext): void {
  if (!isSupervisorOrAbove(ctx.actor))
    throw forbidden('Only a supervisor or an admin may manage groups');
}

export async function listGroups(deps: AppDeps, ctx: RequestContext): Promise<AgentGroupDetails[]> {
  if (ctx.actor.type === 'customer') throw forbidden('Customers may not list groups');
  return deps.uow.read.groups.list(ctx.tenant.id);
}

async function assertAgents(s: Stores, tenantId: string, ids: readonly string[] | undefined) {
  if (!ids?.length) return;
  const known = new Set((await s.agents.list(tenantId)).map((a) => a.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length) {
    throw new ParleyError(
      'unprocessable',
      'unknown_agents',
      'Some members are not agents of this tenant',
      {
        unknown_agents: unknown,
      },
    );
  }
}

export async function createGroup(
  deps: AppDeps,
  ctx: RequestContext,
  input: GroupInput & { name: string },
): Promise<AgentGroupDetails> {
  assertManager(ctx);
  const group = await deps.uow.transaction(async (s) => {
    await assertAgents(s, ctx.tenant.id, input.members);
    const created = await s.groups.create(ctx.tenant.id, {
      name: input.name,
      slackChannelId: input.slack_channel_id ?? null,
      strategy: input.assignment ?? 'manual',
    });
    if (!created) throw conflict(`a group named "${input.name}" exists`, 'group_exists');
    if (input.members?.length) await s.groups.setMembers(ctx.tenant.id, created.id, input.members);
    await audit(s, deps, ctx, created.id, 'group_created', null, input);
    return (await s.groups.find(ctx.tenant.id, created.id))!;
  });
  return afterChange(deps, ctx, group);
}

export async function updateGroup(
  deps: AppDeps,
  ctx: RequestContext,
  groupId: string,
  input: GroupInput,
): Promise<AgentGroupDetails> {
  assertManager(ctx);
  const group = await deps.uow.transaction(async (s) => {
    const before = await s.groups.find(ctx.tenant.id, groupId);
    if (!before) throw notFound('Group');
    await assertAgents(s, ctx.tenant.id, input.members);
    const renamed = await s.groups.update(ctx.tenant.id, groupId, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.slack_channel_id !== undefined ? { slackChannelId: input.slack_channel_id } : {}),
      ...(input.assignment !== undefined ? { strategy: input.assignment } : {}),
    });
    if (!renamed) throw conflict(`a group named "${input.name}" exists`, 'group_exists');
    if (input.members) await s.groups.setMembers(ctx.tenant.id, groupId, input.members);
    await audit(s, deps, ctx, groupId, 'group_updated', before, input);
    return (await s.groups.find(ctx.tenant.id, groupId))!;
  });
  return afterChange(deps, ctx, group);
}

async function afterChange(
  deps: AppDeps,
  ctx: RequestContext,
  group: AgentGroupDetails,
): Promise<AgentGroupDetails> {
  if (group.strategy === 'manual' || group.memberIds.length === 0) return group;
  await backfillGroup(deps, ctx.tenant.id, group.id);
  return group;
}

async function audit(
  s: Stores,
  deps: AppDeps,
  ctx: RequestContext,
  groupId: string,
  action: string,
  before: AgentGroupDetails | null,
  input: GroupInput,
): Promise<void> {
  const who = actorRef(ctx.actor);
  const was: Record<string, unknown> = before
    ? {
        name: before.name,
        slack_channel_id: before.slackChannelId,
        assignment: before.strategy,
        members: before.memberIds,
      }
    : {};
  await s.audit.record({
    tenantId: ctx.tenant.id,
    entityType: 'group',
    entityId: groupId,
    action,
    actorType: who.actor_type,
    actorId: who.actor_id,
    changes: Object.fromEntries(
      Object.entries(input)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, { from: was[k] ?? null, to: v }]),
    ),
    createdAt: deps.clock.now(),
  });
}
