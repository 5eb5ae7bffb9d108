/**
 * `GET|PUT /sla-policy`, mounted when the SLA policy use cases are provided, and (extension)
 * `GET /sla-policy/overrides`, `PUT|DELETE /sla-policy/overrides/:scope/:value` when the
 * override use cases are too.
 */
import { Router } from 'express';
import type { Request } from 'express';
import { notFound } from '../../domain/errors.js';
import { apiRoute, parseBody, type RouteEnv } from '../api-route.js';
import {
  SlaOverrideBody,
  SlaOverrideParams,
  SlaPolicyBody,
  type SlaOverrideScopeName,
} from '../schemas/sla-policy.js';

/** An unknown scope or an empty value cannot name an override: 404. */
function overridePath(req: Request): { scope: SlaOverrideScopeName; value: string } {
  const parsed = SlaOverrideParams.safeParse(req.params);
  if (!parsed.success) throw notFound('SLA policy override');
  return parsed.data;
}

export function slaPolicyRoutes({ deps, useCases }: RouteEnv): Router | null {
  const { getSlaPolicy, updateSlaPolicy } = useCases;
  if (!getSlaPolicy || !updateSlaPolicy) return null;
  const router = Router();

  router.get(
    '/sla-policy',
    apiRoute(deps, async (_req, res, { deps, ctx }) => {
      res.json(await getSlaPolicy(deps, ctx));
    }),
  );

  router.put(
    '/sla-policy',
    apiRoute(deps, async (req, res, { deps, ctx }) => {
      res.json(await updateSlaPolicy(deps, ctx, parseBody(SlaPolicyBody, req)));
    }),
  );

  const { listSlaOverrides, putSlaOverride, deleteSlaOverride } = useCases;
  if (!listSlaOverrides || !putSlaOverride || !deleteSlaOverride) return router;

  router.get(
    '/sla-policy/overrides',
    apiRoute(deps, async (_req, res, { deps, ctx }) => {
      res.json({ data: await listSlaOverrides(deps, ctx) });
    }),
  );

  router.put(
    '/sla-policy/overrides/:scope/:value',
    apiRoute(deps, async (req, res, { deps, ctx }) => {
      const { scope, value } = overridePath(req);
      const policy = parseBody(SlaOverrideBody, req);
      res.json(await putSlaOverride(deps, ctx, scope, value, policy));
    }),
  );

  router.delete(
    '/sla-policy/overrides/:scope/:value',
    apiRoute(deps, async (req, res, { deps, ctx }) => {
      const { scope, value } = overridePath(req);
      res.json({ data: await deleteSlaOverride(deps, ctx, scope, value) });
    }),
  );

  return router;
}
