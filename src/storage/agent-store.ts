/** Agents, their roles and their groups (queues). */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Agent } from '../domain/records.js';
import type { AgentRole } from '../domain/vocabulary.js';
import type { AgentStore, NewAgent } from '../ports/stores.js';
import type { Executor } from './executor.js';
import { agentGroupMembers, agentGroups, agents } from './schema.js';

export function createAgentStore(db: Executor): AgentStore {
  async function load(tenantId: string, ids?: string[]): Promise<Agent[]> {
    const where = ids
      ? and(eq(agents.tenantId, tenantId), inArray(agents.id, ids))
      : eq(agents.tenantId, tenantId);
    const rows = await db
      .select()
      .from(agents)
      .where(where)
      .orderBy(asc(agents.createdAt), asc(agents.id));
    if (rows.length === 0) return [];
    const memberships = await db
      .select({ agentId: agentGroupMembers.agentId, name: agentGroups.name })
      .from(agentGroupMembers)
      .innerJoin(agentGroups, eq(agentGroups.id, agentGroupMembers.groupId))
      .where(
        and(
          eq(agentGroupMembers.tenantId, tenantId),
          inArray(
            agentGroupMembers.agentId,
            rows.map((r) => r.id),
          ),
        ),
      );
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenantId,
      name: r.name,
      email: r.email,
      role: r.role as AgentRole,
      slackUserId: r.slackUserId,
      telegramUserId: r.telegramUserId,
      active: r.active,
      capacity: r.capacity,
      groups: memberships
        .filter((m) => m.agentId === r.id)
        .map((m) => m.name)
        .sort(),
      createdAt: r.createdAt,
    }));
  }

  return {
    async create(tenantId, input: NewAgent) {
      const [row] = await db
        .insert(agents)
        .values({
          tenantId,
          name: input.name,
          email: input.email ?? null,
          role: input.role,
          slackUserId: input.slackUserId ?? null,
          telegramUserId: input.telegramUserId ?? null,
          capacity: input.capacity ?? null,
        })
        .returning({ id: agents.id });
      if (!row) throw new Error('agent insert returned nothing');
      for (const name of new Set(input.groups ?? [])) {
        await db.insert(agentGroups).values({ tenantId, name }).onConflictDoNothing();
        const [group] = await db
          .select({ id: agentGroups.id })
          .from(agentGroups)
          .where(and(eq(agentGroups.tenantId, tenantId), eq(agentGroups.name, name)));
        await db
          .insert(agentGroupMembers)
          .values({ tenantId, agentId: row.id, groupId: group!.id });
      }
      const [agent] = await load(tenantId, [row.id]);
      return agent!;
    },
    async findById(tenantId, id) {
      const [agent] = await load(tenantId, [id]);
      return agent ?? null;
    },
    list: (tenantId) => load(tenantId),
  };
}
