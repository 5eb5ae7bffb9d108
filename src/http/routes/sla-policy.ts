/** `GET|PUT /sla-policy`, mounted when the SLA policy use cases are provided. */
import { Router } from 'express';
import { apiRoute, parseBody, type RouteEnv } from '../api-route.js';
import { SlaPolicyBody } from '../schemas/sla-policy.js';

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

  return router;
}
