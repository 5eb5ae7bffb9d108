/**
 * `/webhook-subscriptions` (extension, admins): the brand's other systems subscribe a URL to
 * ticket events. The secret is in the create answer only.
 */
import { Router } from 'express';
import {
  createWebhookSubscription,
  deleteWebhookSubscription,
  listWebhookDeliveries,
  listWebhookSubscriptions,
} from '../../app/webhook-subscriptions.js';
import type { WebhookDelivery, WebhookSubscription } from '../../ports/webhook-subscriptions.js';
import { apiRoute, parseBody, pathId, type RouteEnv } from '../api-route.js';
import {
  CreateWebhookSubscriptionBody,
  type WebhookDeliveryBody,
  type WebhookSubscriptionBody,
} from '../schemas/webhook-subscriptions.js';

const present = (s: WebhookSubscription): WebhookSubscriptionBody => ({
  id: s.id,
  url: s.url,
  events: s.events,
  active: s.active,
  disabled_reason: s.disabledReason,
  created_at: s.createdAt.toISOString(),
});

const presentDelivery = (d: WebhookDelivery): WebhookDeliveryBody => ({
  delivery_id: String(d.id),
  type: d.type,
  ticket_id: d.ticketId,
  status: d.status as WebhookDeliveryBody['status'],
  attempts: d.attempts,
  last_error: d.lastError,
  created_at: d.createdAt.toISOString(),
  sent_at: d.sentAt?.toISOString() ?? null,
  next_attempt_at: d.status === 'pending' ? d.nextAttemptAt.toISOString() : null,
});

export function webhookSubscriptionRoutes({ deps }: RouteEnv): Router {
  const router = Router();

  router.get(
    '/webhook-subscriptions',
    apiRoute(deps, async (_req, res, { deps, ctx }) => {
      const data = (await listWebhookSubscriptions(deps, ctx)).map(present);
      res.json({ data, next_cursor: null });
    }),
  );

  router.post(
    '/webhook-subscriptions',
    apiRoute(deps, async (req, res, { deps, ctx }) => {
      const body = parseBody(CreateWebhookSubscriptionBody, req);
      const created = await createWebhookSubscription(deps, ctx, body);
      res.status(201).json({ ...present(created), secret: created.secret });
    }),
  );

  router.get(
    '/webhook-subscriptions/:id/deliveries',
    apiRoute(deps, async (req, res, { deps, ctx }) => {
      const id = pathId(req, 'Webhook subscription');
      const data = (await listWebhookDeliveries(deps, ctx, id)).map(presentDelivery);
      res.json({ data, next_cursor: null });
    }),
  );

  router.delete(
    '/webhook-subscriptions/:id',
    apiRoute(deps, async (req, res, { deps, ctx }) => {
      const id = pathId(req, 'Webhook subscription');
      res.json(present(await deleteWebhookSubscription(deps, ctx, id)));
    }),
  );

  return router;
}
