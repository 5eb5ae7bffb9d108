/**
 * Which outbound webhooks hear of a tenant's ticket events: their active subscriptions, cached a
 * few seconds per tenant so that a ticket event costs no read (a customer's message is one).
 * This process's own changes apply at once (`forget`); another process's within `ttlMs`.
 */
import type { Stores } from '../ports/stores.js';
import type { WebhookSubscription } from '../ports/webhook-subscriptions.js';

export interface WebhookTargets {
  /** http:// URLs are accepted (local receivers, tests); otherwise https only. */
  readonly allowHttp: boolean;
  active(s: Pick<Stores, 'webhookSubscriptions'>, tenantId: string): Promise<WebhookSubscription[]>;
  forget(tenantId: string): void;
}

export function createWebhookTargets(opts: {
  allowHttp: boolean;
  ttlMs?: number;
  now?: () => number;
}): WebhookTargets {
  const ttlMs = opts.ttlMs ?? 5_000;
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { at: number; subscriptions: WebhookSubscription[] }>();
  return {
    allowHttp: opts.allowHttp,
    async active(s, tenantId) {
      const hit = cache.get(tenantId);
      if (hit && now() - hit.at < ttlMs) return hit.subscriptions;
      const subscriptions = await s.webhookSubscriptions.listActive(tenantId);
      cache.set(tenantId, { at: now(), subscriptions });
      return subscriptions;
    },
    forget(tenantId) {
      cache.delete(tenantId);
    },
  };
}
