/** `POST /tenants` (platform key): creates a tenant and its first admin API key. */
import { Router, type RequestHandler } from 'express';
import { parseBody, publicRoute, type RouteEnv } from '../api-route.js';
import { requirePlatformKey } from '../auth.js';
import { depsFor } from '../request-context.js';
import { presentTenant } from '../presenters.js';
import { CreateTenantBody } from '../schemas/tenants.js';

export function tenantRoutes(
  { deps, useCases }: RouteEnv,
  platformApiKey: string | undefined,
  bodyParser: RequestHandler,
): Router {
  const router = Router();
  router.post(
    '/tenants',
    requirePlatformKey(platformApiKey),
    bodyParser,
    publicRoute(async (req, res) => {
      const input = parseBody(CreateTenantBody, req);
      const { tenant, apiKey } = await useCases.createTenant(depsFor(res, deps), input);
      res.status(201).json({ tenant: presentTenant(tenant), api_key: apiKey });
    }),
  );
  return router;
}
