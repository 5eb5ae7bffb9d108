/** `/customers`: create, list, read, and a customer's tickets. */
import { Router } from 'express';
import { apiRoute, parseBody, parseQuery, pathId, type RouteEnv } from '../api-route.js';
import { presentCustomer, presentList, presentTicket } from '../presenters.js';
import { PageQuery } from '../schemas/common.js';
import { CustomerInputBody } from '../schemas/customers.js';
import { CustomerTicketsQuery } from '../schemas/tickets.js';

export function customerRoutes({ deps, useCases }: RouteEnv): Router {
  const router = Router();

  router.post(
    '/customers',
    apiRoute(deps, async (req, res, { deps, ctx }) => {
      const customer = await useCases.createCustomer(deps, ctx, parseBody(CustomerInputBody, req));
      res.status(201).json(presentCustomer(customer));
    }),
  );

  router.get(
    '/customers',
    apiRoute(deps, async (req, res, { deps, ctx }) => {
      const page = await useCases.listCustomers(deps, ctx, parseQuery(PageQuery, req));
      res.json(presentList(page, presentCustomer));
    }),
  );

  router.get(
    '/customers/:id',
    apiRoute(deps, async (req, res, { deps, ctx }) => {
      const customer = await useCases.getCustomer(deps, ctx, pathId(req, 'Customer'));
      res.json(presentCustomer(customer));
    }),
  );

  router.get(
    '/customers/:id/tickets',
    apiRoute(deps, async (req, res, { deps, ctx }) => {
      const id = pathId(req, 'Customer');
      const query = parseQuery(CustomerTicketsQuery, req);
      const page = await useCases.listCustomerTickets(deps, ctx, id, query);
      res.json(presentList(page, presentTicket));
    }),
  );

  return router;
}
