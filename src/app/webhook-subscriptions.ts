/**
 * Outbound webhooks, managed by a tenant's admins: the brand's CRM or order system subscribes a
 * URL to ticket events. The signing secret is generated here and shown once, when created.
 */
import { randomBytes } from 'node:crypto';
import { actorRef, isAdmin } from '../domain/actor.js';
import { forbidden, invalid, notFound } from '../domain/errors.js';
import { type TicketEventType, webhookUrlProblem } from '../domain/webhook-events.js';
import type { Stores } from '../ports/stores.js';
import type { WebhookDelivery, WebhookSubscription } from '../ports/webhook-subscriptions.js';
import type { AppDeps, RequestContext } from './context.js';

/** At most this many per tenant: each one is an outbox row per ticket event. */
export const MAX_WEBHOOK_SUBSCRIPTIONS = 10;

export interface WebhookSubscriptionInput {
  url: string;
  /** Empty or absent: every event. */
  events?: TicketEventType[];
}

function assertAdmin(ctx: RequestContext): void {
  if (!isAdmin(ctx.actor)) throw forbidden('Only an admin may manage webhook subscriptions');
}

function assertUrl(url: string, allowHttp: boolean): void {
  const problem = webhookUrlProblem(url, allowHttp);
  if (problem === 'not a URL') {
    throw invalid('url is not a URL', [{ path: ['url'], message: 'invalid URL' }]);
  }
  if (problem) {
    throw invalid('url must be https:// without credentials in it', [
      { path: ['url'], message: 'https only, no user:password@' },
    ]);
  }
}

export async function createWebhookSubscription(
  deps: AppDeps,
  ctx: RequestContext,
  input: WebhookSubscriptionInput,
): Promise<WebhookSubscription> {
  assertAdmin(ctx);
  assertUrl(input.url, deps.webhookTargets?.allowHttp ?? false);
  const created = await deps.uow.transaction(async (s) => {
    const existing = await s.webhookSubscriptions.list(ctx.tenant.id);
    if (existing.length >= MAX_WEBHOOK_SUBSCRIPTIONS) {
      throw invalid(`A tenant may have at most ${MAX_WEBHOOK_SUBSCRIPTIONS} webhook subscriptions`);
    }
    const subscription = await s.webhookSubscriptions.create({
      tenantId: ctx.tenant.id,
      url: input.url,
      secret: `whsec_${randomBytes(32).toString('base64url')}`,
      events: [...new Set(input.events ?? [])],
    });
    await audit(s, deps, ctx, subscription, 'webhook_subscription_created');
    return subscription;
  });
  deps.webhookTargets?.forget(ctx.tenant.id);
  return created;
}

export async function listWebhookSubscriptions(
  deps: AppDeps,
  ctx: RequestContext,
): Promise<WebhookSubscription[]> {
  assertAdmin(ctx);
  return deps.uow.read.webhookSubscriptions.list(ctx.tenant.id);
}

/** A subscription's newest deliveries (to see why an integration stopped hearing of tickets). */
export async function listWebhookDeliveries(
  deps: AppDeps,
  ctx: RequestContext,
  id: string,
  limit = 50,
): Promise<WebhookDelivery[]> {
  assertAdmin(ctx);
  const read = deps.uow.read.webhookSubscriptions;
  if (!(await read.find(ctx.tenant.id, id))) throw notFound('webhook subscription');
  return read.deliveries(ctx.tenant.id, id, limit);
}

export async function deleteWebhookSubscription(
  deps: AppDeps,
  ctx: RequestContext,
  id: string,
): Promise<WebhookSubscription> {
  assertAdmin(ctx);
  const deleted = await deps.uow.transaction(async (s) => {
    const found = await s.webhookSubscriptions.find(ctx.tenant.id, id);
    if (!found || !(await s.webhookSubscriptions.remove(ctx.tenant.id, id))) {
      throw notFound('webhook subscription');
    }
    await audit(s, deps, ctx, found, 'webhook_subscription_deleted');
    return found;
  });
  deps.webhookTargets?.forget(ctx.tenant.id);
  return deleted;
}

async function audit(
  s: Stores,
  deps: AppDeps,
  ctx: RequestContext,
  subscription: WebhookSubscription,
  action: string,
): Promise<void> {
  const who = actorRef(ctx.actor);
  const state = { url: subscription.url, events: subscription.events };
  const created = action === 'webhook_subscription_created';
  await s.audit.record({
    tenantId: ctx.tenant.id,
    entityType: 'webhook_subscription',
    entityId: subscription.id,
    action,
    actorType: who.actor_type,
    actorId: who.actor_id,
    changes: Object.fromEntries(
      Object.entries(state).map(([k, v]) => [
        k,
        created ? { from: null, to: v } : { from: v, to: null },
      ]),
    ),
    createdAt: deps.clock.now(),
  });
}
