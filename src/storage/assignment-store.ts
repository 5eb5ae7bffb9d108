/** Automatic assignment in PostgreSQL: group locks, member load, the waiting queue. */
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { type AssignmentStrategy, isAssignmentStrategy } from '../domain/assignment.js';
import type { AgentRole } from '../domain/vocabulary.js';
import { OPEN_STATUSES } from '../domain/vocabulary.js';
import type { AssignmentGroup, AssignmentStore } from '../ports/stores.js';
import type { Executor } from './executor.js';
import { agentGroupMembers, agentGroups, agents, tickets } from './schema.js';

export type GroupRow = typeof agentGroups.$inferSelect;

export const toGroup = (r: GroupRow): AssignmentGroup => ({
  id: r.id,
  tenantId: r.tenantId,
  name: r.name,
  strategy: isAssignmentStrategy(r.assignment) ? r.assignment : 'manual',
  lastAssignedAgentId: r.lastAssignedAgentId,
  slackChannelId: r.slackChannelId,
});

export function createAssignmentStore(db: Executor): AssignmentStore {
  const byGroup = (tenantId: string, groupId: string) =>
    and(eq(agentGroups.tenantId, tenantId), eq(agentGroups.id, groupId));
  const memberIds = (tenantId: string, groupId: string) =>
    db
      .select({ id: agentGroupMembers.agentId })
      .from(agentGroupMembers)
      .where(and(eq(agentGroupMembers.tenantId, tenantId), eq(agentGroupMembers.groupId, groupId)));

  return {
    async lockGroup(tenantId, groupId) {
      const [row] = await db
        .select()
        .from(agentGroups)
        .where(byGroup(tenantId, groupId))
        .for('update');
      if (!row) return null;
      // In id order, so transactions locking overlapping member sets cannot deadlock. NO KEY
      // UPDATE does not block foreign-key checks (ticket inserts, watchers) on these agents.
      await db
        .select({ id: agents.id })
        .from(agents)
        .where(and(eq(agents.tenantId, tenantId), inArray(agents.id, memberIds(tenantId, groupId))))
        .orderBy(asc(agents.id))
        .for('no key update');
      return toGroup(row);
    },

    async findGroup(tenantId, groupId) {
      const [row] = await db.select().from(agentGroups).where(byGroup(tenantId, groupId));
      return row ? toGroup(row) : null;
    },

    async findGroupByName(tenantId, name) {
      const [row] = await db
        .select()
        .from(agentGroups)
        .where(and(eq(agentGroups.tenantId, tenantId), eq(agentGroups.name, name)));
      return row ? toGroup(row) : null;
    },

    async listCandidates(tenantId, groupId) {
      const openCount = sql<number>`(
        select count(*) from ${tickets}
        where ${tickets.tenantId} = ${agents.tenantId}
          and ${tickets.assigneeId} = ${agents.id}
          and ${inArray(tickets.status, [...OPEN_STATUSES])}
      )`.mapWith(Number);
      const rows = await db
        .select({
          id: agents.id,
          role: agents.role,
          active: agents.active,
          available: agents.available,
          capacity: agents.capacity,
          slackUserId: agents.slackUserId,
          lastAssignedAt: agentGroupMembers.lastAssignedAt,
          openCount,
        })
        .from(agentGroupMembers)
        .innerJoin(
          agents,
          and(eq(agents.id, agentGroupMembers.agentId), eq(agents.tenantId, tenantId)),
        )
        .where(
          and(eq(agentGroupMembers.tenantId, tenantId), eq(agentGroupMembers.groupId, groupId)),
        )
        .orderBy(asc(agents.createdAt), asc(agents.id));
      return rows.map((r) => ({ ...r, role: r.role as AgentRole }));
    },

    async claimWaiting(tenantId, groupId, limit) {
      const rows = await db
        .select({ id: tickets.id })
        .from(tickets)
        .where(
          and(
            eq(tickets.tenantId, tenantId),
            eq(tickets.groupId, groupId),
            isNull(tickets.assigneeId),
            inArray(tickets.status, [...OPEN_STATUSES]),
          ),
        )
        .orderBy(asc(tickets.createdAt), asc(tickets.id))
        .limit(limit)
        .for('update', { skipLocked: true });
      return rows.map((r) => r.id);
    },

    async recordAssignment(tenantId, groupId, agentId, at) {
      await db
        .update(agentGroups)
        .set({ lastAssignedAgentId: agentId })
        .where(byGroup(tenantId, groupId));
      await db
        .update(agentGroupMembers)
        .set({ lastAssignedAt: at })
        .where(
          and(
            eq(agentGroupMembers.tenantId, tenantId),
            eq(agentGroupMembers.groupId, groupId),
            eq(agentGroupMembers.agentId, agentId),
          ),
        );
    },

    async setStrategy(tenantId, groupId, strategy: AssignmentStrategy) {
      await db.update(agentGroups).set({ assignment: strategy }).where(byGroup(tenantId, groupId));
    },

    async setTicketGroup(tenantId, ticketId, groupId, at) {
      await db
        .update(tickets)
        .set({ groupId, updatedAt: at })
        .where(and(eq(tickets.tenantId, tenantId), eq(tickets.id, ticketId)));
    },

    async setAgentAvailability(tenantId, agentId, available) {
      await db
        .update(agents)
        .set({ available })
        .where(and(eq(agents.tenantId, tenantId), eq(agents.id, agentId)));
    },

    async setAgentCapacity(tenantId, agentId, capacity) {
      await db
        .update(agents)
        .set({ capacity })
        .where(and(eq(agents.tenantId, tenantId), eq(agents.id, agentId)));
    },

    async groupIdsOfAgent(tenantId, agentId) {
      const rows = await db
        .select({ id: agentGroupMembers.groupId })
        .from(agentGroupMembers)
        .where(
          and(eq(agentGroupMembers.tenantId, tenantId), eq(agentGroupMembers.agentId, agentId)),
        )
        .orderBy(asc(agentGroupMembers.groupId));
      return rows.map((r) => r.id);
    },
  };
}
