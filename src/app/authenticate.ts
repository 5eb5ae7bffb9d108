/** Bearer API keys → the tenant and the actor the request speaks for. */
import type { Actor } from '../domain/actor.js';
import { hashApiKey } from './api-keys.js';
import type { AppDeps, RequestContext } from './context.js';

export async function authenticateApiKey(
  deps: AppDeps,
  rawKey: string,
): Promise<RequestContext | null> {
  if (!rawKey || rawKey.length > 200) return null;
  const stores = deps.uow.read;
  const key = await stores.apiKeys.findByHash(hashApiKey(rawKey));
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
