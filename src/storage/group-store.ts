/** Agent groups (queues) as admins manage them: name, Slack channel, strategy, members. */
import { and, asc, eq, inArray, ne } from 'drizzle-orm';
import type { AssignmentStrategy } from '../domain/assignment.js';
import type { AgentGroupDetails, GroupStore } from '../ports/stores.js';
import { type GroupRow, toGroup } from './assignment-store.js';
import type { Executor } from './executor.js';
import { agentGroupMembers, agentGroups, agents } from './schema.js';

export function createGroupStore(db: Executor): GroupStore {
  async function withMembers(tenantId: string, rows: GroupRow[]): Promise<AgentGroupDetails[]> {
    if (rows.length === 0) return [];
    const members = await db
      .select({ groupId: agentGroupMembers.groupId, agentId: agentGroupMembers.agentId })
      .from(agentGroupMembers)
      .where(
        and(
          eq(agentGroupMembers.tenantId, tenantId),
          inArray(
            agentGroupMembers.groupId,
            rows.map((r) => r.id),
          ),
        ),
      )
      .orderBy(asc(agentGroupMembers.agentId));
    return rows.map((r) => ({
      ...toGroup(r),
      memberIds: members.filter((m) => m.groupId === r.id).map((m) => m.agentId),
      createdAt: r.createdAt,
    }));
  }
  const byId = (tenantId: string, groupId: string) =>
    and(eq(agentGroups.tenantId, tenantId), eq(agentGroups.id, groupId));

  return {
    async list(tenantId) {
      const rows = await db
        .select()
        .from(agentGroups)
        .where(eq(agentGroups.tenantId, tenantId))
        .orderBy(asc(agentGroups.name));
      return withMembers(tenantId, rows);
    },

    async find(tenantId, groupId) {
      const rows = await db.select().from(agentGroups).where(byId(tenantId, groupId));
      return (await withMembers(tenantId, rows))[0] ?? null;
    },

    async create(tenantId, input) {
      const rows = await db
        .insert(agentGroups)
        .values({
          tenantId,
          name: input.name,
          slackChannelId: input.slackChannelId,
          assignment: input.strategy,
        })
        .onConflictDoNothing()
        .returning();
      return (await withMembers(tenantId, rows))[0] ?? null;
    },

    async update(tenantId, groupId, input) {
      if (input.name !== undefined) {
        const [clash] = await db
          .select({ id: agentGroups.id })
          .from(agentGroups)
          .where(
            and(
              eq(agentGroups.tenantId, tenantId),
              eq(agentGroups.name, input.name),
              ne(agentGroups.id, groupId),
            ),
          );
        if (clash) return false;
      }
      const set: Partial<{
        name: string;
        slackChannelId: string | null;
        assignment: AssignmentStrategy;
      }> = {};
      if (input.name !== undefined) set.name = input.name;
      if (input.slackChannelId !== undefined) set.slackChannelId = input.slackChannelId;
      if (input.strategy !== undefined) set.assignment = input.strategy;
      if (Object.keys(set).length)
        await db.update(agentGroups).set(set).where(byId(tenantId, groupId));
      return true;
    },

    async setMembers(tenantId, groupId, agentIds) {
      await db
        .delete(agentGroupMembers)
        .where(
          and(eq(agentGroupMembers.tenantId, tenantId), eq(agentGroupMembers.groupId, groupId)),
        );
      if (agentIds.length === 0) return;
      const known = await db
        .select({ id: agents.id })
        .from(agents)
        .where(and(eq(agents.tenantId, tenantId), inArray(agents.id, [...agentIds])));
      if (known.length === 0) return;
      await db
        .insert(agentGroupMembers)
        .values(known.map((a) => ({ tenantId, groupId, agentId: a.id })))
        .onConflictDoNothing();
    },
  };
}
