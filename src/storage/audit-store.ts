/** The audit trail and ticket watchers. */
import { and, asc, eq } from 'drizzle-orm';
import type { AuditEvent, Watcher } from '../domain/records.js';
import type { WatcherRole } from '../domain/vocabulary.js';
import type { AuditLog, WatcherStore } from '../ports/stores.js';
import type { Executor } from './executor.js';
import { auditEvents, ticketWatchers } from './schema.js';

export function createAuditLog(db: Executor): AuditLog {
  return {
    async record(e) {
      await db.insert(auditEvents).values({
        tenantId: e.tenantId,
        entityType: e.entityType,
        entityId: e.entityId,
        ticketId: e.ticketId ?? null,
        action: e.action,
        actorType: e.actorType,
        actorId: e.actorId,
        changes: e.changes ?? {},
        createdAt: e.createdAt,
      });
    },
    async listForTicket(tenantId, ticketId): Promise<AuditEvent[]> {
      const rows = await db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.ticketId, ticketId)))
        .orderBy(asc(auditEvents.id));
      return rows.map((r) => ({
        id: r.id,
        entityType: r.entityType,
        entityId: r.entityId,
        ticketId: r.ticketId,
        action: r.action,
        actorType: r.actorType,
        actorId: r.actorId,
        changes: r.changes as AuditEvent['changes'],
        createdAt: r.createdAt,
      }));
    },
  };
}

export function createWatcherStore(db: Executor): WatcherStore {
  return {
    async upsert(tenantId, w: Watcher) {
      await db
        .insert(ticketWatchers)
        .values({
          tenantId,
          ticketId: w.ticketId,
          agentId: w.agentId,
          role: w.role,
          notify: w.notify,
        })
        .onConflictDoUpdate({
          target: [ticketWatchers.ticketId, ticketWatchers.agentId],
          set: { role: w.role, notify: w.notify },
        });
    },
    async remove(tenantId, ticketId, agentId, role?: WatcherRole) {
      const conds = [
        eq(ticketWatchers.tenantId, tenantId),
        eq(ticketWatchers.ticketId, ticketId),
        eq(ticketWatchers.agentId, agentId),
      ];
      if (role) conds.push(eq(ticketWatchers.role, role));
      await db.delete(ticketWatchers).where(and(...conds));
    },
    async listForTicket(tenantId, ticketId) {
      const rows = await db
        .select()
        .from(ticketWatchers)
        .where(and(eq(ticketWatchers.tenantId, tenantId), eq(ticketWatchers.ticketId, ticketId)));
      return rows.map((r) => ({
        ticketId: r.ticketId,
        agentId: r.agentId,
        role: r.role as WatcherRole,
        notify: r.notify as Record<string, unknown>,
      }));
    },
  };
}
