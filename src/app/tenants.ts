/** Tenants (brands) and their first admin key. */
import { conflict } from '../domain/errors.js';
import type { Tenant } from '../domain/records.js';
import { generateApiKey, hashApiKey } from './api-keys.js';
import type { AppDeps } from './context.js';

export async function createTenant(
  deps: AppDeps,
  input: { name: string; slug: string; timezone?: string },
): Promise<{ tenant: Tenant; apiKey: string }> {
  return deps.uow.transaction(async (s) => {
    if (await s.tenants.findBySlug(input.slug))
      throw conflict(`tenant "${input.slug}" already exists`);
    const tenant = await s.tenants.create(input);
    const key = generateApiKey();
    await s.apiKeys.create({
      tenantId: tenant.id,
      name: 'admin',
      keyHash: key.hash,
      prefix: key.prefix,
    });
    await s.audit.record({
      tenantId: tenant.id,
      entityType: 'tenant',
      entityId: tenant.id,
      action: 'created',
      actorType: 'platform',
      actorId: null,
      changes: { slug: { from: null, to: tenant.slug } },
      createdAt: deps.clock.now(),
    });
    return { tenant, apiKey: key.key };
  });
}

/**
 * The `default` tenant of a single-brand install. When `adminApiKey` is given (ADMIN_API_KEY),
 * it is made an admin key of that tenant; running this again is harmless.
 */
export async function ensureDefaultTenant(
  deps: AppDeps,
  opts: { adminApiKey?: string | undefined; timezone?: string | undefined },
): Promise<Tenant> {
  return deps.uow.transaction(async (s) => {
    let tenant = await s.tenants.findBySlug('default');
    if (!tenant) {
      tenant = await s.tenants.create({
        name: 'Default',
        slug: 'default',
        timezone: opts.timezone ?? 'UTC',
      });
    }
    if (opts.adminApiKey) {
      const hash = hashApiKey(opts.adminApiKey);
      const existing = await s.apiKeys.findByHash(hash);
      if (existing && existing.tenantId !== tenant.id) {
        throw conflict('ADMIN_API_KEY already belongs to another tenant');
      }
      if (!existing) {
        await s.apiKeys.create({
          tenantId: tenant.id,
          name: 'ADMIN_API_KEY',
          keyHash: hash,
          prefix: opts.adminApiKey.slice(0, 10),
        });
      }
    }
    return tenant;
  });
}
