/** `/tickets/:ref/watchers`: who follows a ticket and how they want to hear of it. */
import { Router } from 'express';
import type { Watcher } from '../../domain/records.js';
import { apiRoute, parseBody, pathId, pathRef, type RouteEnv } from '../api-route.js';
import { presentList } from '../presenters.js';
import { SetWatcherBody, type WatcherBody } from '../schemas/watchers.js';

const presentWatcher = (w: Watcher): WatcherBody => ({
  agent_id: w.agentId,
  role: w.role,
  notify: w.notify,
});

export function watcherRoutes({ deps, useCases }: RouteEnv): Router {
  const router = Router();

  router.get(
    '/tickets/:ref/watchers',
    apiRoute(deps, async (req, res, { deps, ctx }) => {
      res.json(
        presentList({ data: await useCases.listWatchers(deps, ctx, pathRef(req)) }, presentWatcher),
      );
    }),
  );

  router.put(
    '/tickets/:ref/watchers/:id',
    apiRoute(deps, async (req, res, { deps, ctx }) => {
      const body = parseBody(SetWatcherBody, req);
      const list = await useCases.setWatcher(deps, ctx, pathRef(req), pathId(req, 'Agent'), body);
      res.json(presentList({ data: list }, presentWatcher));
    }),
  );

  router.delete(
    '/tickets/:ref/watchers/:id',
    apiRoute(deps, async (req, res, { deps, ctx }) => {
      const list = await useCases.removeWatcher(deps, ctx, pathRef(req), pathId(req, 'Agent'));
      res.json(presentList({ data: list }, presentWatcher));
    }),
  );

  return router;
}
