/**
 * A short-lived cache of API-key authentications: every request would otherwise spend two or
 * three lookups (key, tenant, agent) before its own query. Entries live `ttlMs` (10 s), so a
 * revoked key, a deactivated agent or changed settings take effect within that time in other
 * processes; this process forgets at once (`forget`).
 */
import type { RequestContext } from './context.js';

export interface AuthCache {
  get(keyHash: string, now: number): RequestContext | null | undefined;
  set(keyHash: string, value: RequestContext | null, now: number): void;
  forget(): void;
}

export function createAuthCache(ttlMs = 10_000, maxEntries = 10_000): AuthCache {
  const entries = new Map<string, { value: RequestContext | null; expires: number }>();
  return {
    get(keyHash, now) {
      const hit = entries.get(keyHash);
      if (!hit) return undefined;
      if (hit.expires <= now) {
        entries.delete(keyHash);
        return undefined;
      }
      return hit.value;
    },
    set(keyHash, value, now) {
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(keyHash, { value, expires: now + ttlMs });
    },
    forget() {
      entries.clear();
    },
  };
}
