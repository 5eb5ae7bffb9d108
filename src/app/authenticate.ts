/** Bearer API keys → the tenant and the actor the request speaks for. */
import type { Actor } from '../domain/actor.js';
import { hashApiKey } from './api-keys.js';
import type { AppDeps, RequestContext } from './context.js';

export async function authenticateApiKey(
  deps: AppDeps,
  rawKey: string,
): Promise<RequestContext | null> {
  if (!rawKey || rawKey.length > 200) return null;
  const hash = hashApiKey(rawKey);
  const now = deps.clock.now().getTime();
  const cached = deps.authCache?.get(hash, now);
  if (cached !== undefined) return cached;
  const found = await lookUp(deps, hash);
  deps.authCache?.set(hash, found, now);
  return found;
}

async function lookUp(deps: AppDeps, hash: string): Promise<RequestContext | null> {
  const stores = deps.uow.read;
  const key = await stores.apiKeys.findByHash(hash);
  if (!key || key.revokedAt) return null;
  const tenant = await stores.tenants.findById(key.tenantId);
  if (!tenant) return null;
  let actor: Actor = { type: 'api', keyId: key.id, role: 'admin' };
  if (key.agentId) {
    const agent = await stores.agents.findById(tenant.id, key.agentId);
    if (!agent || !agent.active) return null;
    actor = { type: 'agent', id: agent.id, role: agent.role };
  }
  return { tenant, actor };
}
