/** `/settings`: the tenant's vocabularies, routing and claim window (admins change them). */
import { Router } from 'express';
import type { TenantSettings } from '../../domain/records.js';
import { apiRoute, parseBody, type RouteEnv } from '../api-route.js';
import { TenantSettingsBody } from '../schemas/settings.js';

export function settingsRoutes({ deps, useCases }: RouteEnv): Router {
  const router = Router();
  router.get(
    '/settings',
    apiRoute(deps, async (_req, res, { deps, ctx }) => {
      res.json(await useCases.getTenantSettings(deps, ctx));
    }),
  );
  router.patch(
    '/settings',
    apiRoute(deps, async (req, res, { deps, ctx }) => {
      const patch = parseBody(TenantSettingsBody, req) as TenantSettings;
      res.json(await useCases.updateTenantSettings(deps, ctx, patch));
    }),
  );
  return router;
}
