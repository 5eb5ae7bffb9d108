/** `/agents`: create, list, and issue an agent-bound API key. */
import { Router } from 'express';
import { apiRoute, parseBody, pathId, type RouteEnv } from '../api-route.js';
import { presentAgent, presentList } from '../presenters.js';
import { CreateAgentBody } from '../schemas/agents.js';

export function agentRoutes({ deps, useCases }: RouteEnv): Router {
  const router = Router();

  router.post(
    '/agents',
    apiRoute(deps, async (req, res, { deps, ctx }) => {
      const agent = await useCases.createAgent(deps, ctx, parseBody(CreateAgentBody, req));
      res.status(201).json(presentAgent(agent));
    }),
  );

  router.get(
    '/agents',
    apiRoute(deps, async (_req, res, { deps, ctx }) => {
      const agents = await useCases.listAgents(deps, ctx);
      res.json(presentList({ data: agents }, presentAgent));
    }),
  );

  router.post(
    '/agents/:id/api-keys',
    apiRoute(deps, async (req, res, { deps, ctx }) => {
      const { apiKey } = await useCases.issueAgentApiKey(deps, ctx, pathId(req, 'Agent'));
      res.status(201).json({ api_key: apiKey });
    }),
  );

  return router;
}
