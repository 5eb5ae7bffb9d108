/** A tenant's settings (vocabularies, routing, claim window): admins read and replace them. */
import { actorRef, isAdmin } from '../domain/actor.js';
import { forbidden } from '../domain/errors.js';
import type { TenantSettings } from '../domain/records.js';
import { resolveVocabulary } from '../domain/tenant-vocabulary.js';
import type { AppDeps, RequestContext } from './context.js';

function assertAdmin(ctx: RequestContext): void {
  if (!isAdmin(ctx.actor)) throw forbidden('Only an admin may change the settings');
}

export async function getTenantSettings(
  _deps: AppDeps,
  ctx: RequestContext,
): Promise<TenantSettings> {
  if (ctx.actor.type === 'customer') throw forbidden('Customers may not read settings');
  return ctx.tenant.settings;
}

export async function updateTenantSettings(
  deps: AppDeps,
  ctx: RequestContext,
  patch: TenantSettings,
): Promise<TenantSettings> {
  assertAdmin(ctx);
  const next: TenantSettings = { ...ctx.tenant.settings, ...patch };
  resolveVocabulary(next); // throws on an unusable vocabulary (e.g. a default priority not offered)
  await deps.uow.transaction(async (s) => {
    await s.tenants.updateSettings(ctx.tenant.id, next);
    const who = actorRef(ctx.actor);
    await s.audit.record({
      tenantId: ctx.tenant.id,
      entityType: 'tenant',
      entityId: ctx.tenant.id,
      action: 'settings_changed',
      actorType: who.actor_type,
      actorId: who.actor_id,
      changes: Object.fromEntries(
        Object.keys(patch).map((k) => [
          k,
          {
            from: (ctx.tenant.settings as Record<string, unknown>)[k] ?? null,
            to: (patch as Record<string, unknown>)[k],
          },
        ]),
      ),
      createdAt: deps.clock.now(),
    });
  });
  deps.authCache?.forget(); // cached contexts carry the old settings
  deps.onTenantChanged?.();
  return next;
}
