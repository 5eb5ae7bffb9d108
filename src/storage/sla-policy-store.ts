/** SLA policy records in PostgreSQL: one row per (tenant, scope, scope value). */
import { and, asc, eq } from 'drizzle-orm';
import type { SlaPolicyOverride, SlaPolicyRecord } from '../domain/sla-policy.js';
import type { SlaPolicyStore } from '../ports/stores.js';
import type { Executor } from './executor.js';
import { slaPolicies } from './schema.js';

export function createSlaPolicyStore(db: Executor): SlaPolicyStore {
  return {
    async list(tenantId) {
      const rows = await db
        .select()
        .from(slaPolicies)
        .where(eq(slaPolicies.tenantId, tenantId))
        .orderBy(asc(slaPolicies.scope), asc(slaPolicies.scopeValue));
      return rows.map((r): SlaPolicyRecord => ({
        scope: r.scope as SlaPolicyRecord['scope'],
        scopeValue: r.scopeValue,
        policy: r.policy as SlaPolicyOverride,
      }));
    },

    async upsert(tenantId, record, at) {
      await db
        .insert(slaPolicies)
        .values({
          tenantId,
          scope: record.scope,
          scopeValue: record.scopeValue,
          policy: record.policy,
          updatedAt: at,
        })
        .onConflictDoUpdate({
          target: [slaPolicies.tenantId, slaPolicies.scope, slaPolicies.scopeValue],
          set: { policy: record.policy, updatedAt: at },
        });
    },

    async remove(tenantId, scope, scopeValue) {
      const deleted = await db
        .delete(slaPolicies)
        .where(
          and(
            eq(slaPolicies.tenantId, tenantId),
            eq(slaPolicies.scope, scope),
            eq(slaPolicies.scopeValue, scopeValue),
          ),
        )
        .returning({ id: slaPolicies.id });
      return deleted.length > 0;
    },
  };
}
