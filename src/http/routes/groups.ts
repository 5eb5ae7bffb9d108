/** `/groups`: the tenant's queues, their Slack channels, assignment strategies and members. */
import { Router } from 'express';
import type { AgentGroupDetails } from '../../ports/stores.js';
import { apiRoute, parseBody, pathId, type RouteEnv } from '../api-route.js';
import { presentList } from '../presenters.js';
import { CreateGroupBody, type GroupBody, UpdateGroupBody } from '../schemas/groups.js';

const presentGroup = (g: AgentGroupDetails): GroupBody => ({
  id: g.id,
  name: g.name,
  slack_channel_id: g.slackChannelId,
  assignment: g.strategy,
  members: g.memberIds,
  created_at: g.createdAt.toISOString(),
});

export function groupRoutes({ deps, useCases }: RouteEnv): Router {
  const router = Router();

  router.get(
    '/groups',
    apiRoute(deps, async (_req, res, { deps, ctx }) => {
      res.json(presentList({ data: await useCases.listGroups(deps, ctx) }, presentGroup));
    }),
  );

  router.post(
    '/groups',
    apiRoute(deps, async (req, res, { deps, ctx }) => {
      const group = await useCases.createGroup(deps, ctx, parseBody(CreateGroupBody, req));
      res.status(201).json(presentGroup(group));
    }),
  );

  router.patch(
    '/groups/:id',
    apiRoute(deps, async (req, res, { deps, ctx }) => {
      const body = parseBody(UpdateGroupBody, req);
      res.json(presentGroup(await useCases.updateGroup(deps, ctx, pathId(req, 'Group'), body)));
    }),
  );

  return router;
}
