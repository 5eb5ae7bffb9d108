import { eq } from 'drizzle-orm';
import type { Tenant, TenantSettings } from '../domain/records.js';
import type { ApiKeyStore, TenantStore } from '../ports/stores.js';
import type { Executor } from './executor.js';
import { apiKeys, tenants } from './schema.js';

const toTenant = (r: typeof tenants.$inferSelect): Tenant => ({
  id: r.id,
  name: r.name,
  slug: r.slug,
  timezone: r.timezone,
  settings: (r.settings ?? {}) as TenantSettings,
  createdAt: r.createdAt,
});

export function createTenantStore(db: Executor): TenantStore {
  const findBy = async (cond: ReturnType<typeof eq>) => {
    const [row] = await db.select().from(tenants).where(cond).limit(1);
    return row ? toTenant(row) : null;
  };
  return {
    async create(input) {
      const [row] = await db
        .insert(tenants)
        .values({ name: input.name, slug: input.slug, timezone: input.timezone ?? 'UTC' })
        .returning();
      if (!row) throw new Error('tenant insert returned nothing');
      return toTenant(row);
    },
    findById: (id) => findBy(eq(tenants.id, id)),
    findBySlug: (slug) => findBy(eq(tenants.slug, slug)),
    async updateSettings(id, settings: TenantSettings) {
      await db.update(tenants).set({ settings }).where(eq(tenants.id, id));
    },
  };
}

export function createApiKeyStore(db: Executor): ApiKeyStore {
  const pick = (r: typeof apiKeys.$inferSelect) => ({
    id: r.id,
    tenantId: r.tenantId,
    agentId: r.agentId,
    revokedAt: r.revokedAt,
  });
  return {
    async create(input) {
      const [row] = await db
        .insert(apiKeys)
        .values({ ...input, agentId: input.agentId ?? null })
        .onConflictDoNothing({ target: apiKeys.keyHash })
        .returning();
      if (row) return pick(row);
      const existing = await this.findByHash(input.keyHash);
      if (!existing) throw new Error('api key insert returned nothing');
      return existing;
    },
    async findByHash(keyHash) {
      const [row] = await db.select().from(apiKeys).where(eq(apiKeys.keyHash, keyHash)).limit(1);
      return row ? pick(row) : null;
    },
    async touch(id, at) {
      await db.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, id));
    },
  };
}
