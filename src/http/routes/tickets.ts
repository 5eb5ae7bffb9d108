/**
 * `/tickets`: create (honors `Idempotency-Key`), list, queue counts, read, update, approval,
 * messages (and a failed one's retry) and the audit trail. `/tickets/counts` is declared before `/tickets/:ref`.
 */
import { Router, type Request } from 'express';
import type { RequestContext } from '../../app/context.js';
import type { UpdateTicketInput } from '../../app/inputs.js';
import { invalid } from '../../domain/errors.js';
import { apiRoute, parseBody, parseQuery, pathRef, type RouteEnv } from '../api-route.js';
import {
  presentAuditEvent,
  presentList,
  presentMessage,
  presentQueueCounts,
  presentTicket,
} from '../presenters.js';
import {
  ApprovalBody,
  CreateMessageBody,
  CreateTicketBody,
  LIMITS,
  ListTicketsQuery,
  UpdateTicketBody,
} from '../schemas/tickets.js';

/** The `Idempotency-Key` header: absent → undefined; empty or longer than 200 → 400. */
export function idempotencyKey(req: Request): string | undefined {
  const raw = req.get('idempotency-key');
  if (raw === undefined) return undefined;
  const key = raw.trim();
  if (key.length === 0 || key.length > LIMITS.idempotencyKey) {
    throw invalid(`Idempotency-Key must be 1 to ${LIMITS.idempotencyKey} characters`, [
      { path: 'Idempotency-Key', message: 'Invalid length' },
    ]);
  }
  return key;
}

type UpdateBody = ReturnType<typeof UpdateTicketBody.parse>;

/** `assignee_id: "me"` is the calling agent; other callers must name an agent. */
export function resolveAssignee(body: UpdateBody, ctx: RequestContext): UpdateTicketInput {
  if (body.assignee_id !== 'me') return { ...body, assignee_id: body.assignee_id };
  if (ctx.actor.type !== 'agent') {
    throw invalid('`assignee_id: "me"` needs an agent API key', [
      { path: 'assignee_id', message: 'This API key does not belong to an agent' },
    ]);
  }
  return { ...body, assignee_id: ctx.actor.id };
}

export function ticketRoutes({ deps, useCases }: RouteEnv): Router {
  const router = Router();

  router.post(
    '/tickets',
    apiRoute(deps, async (req, res, { deps, ctx }) => {
      const key = idempotencyKey(req);
      const input = parseBody(CreateTicketBody, req);
      const ticket = await useCases.createTicket(
        deps,
        ctx,
        input,
        key === undefined ? undefined : { idempotencyKey: key },
      );
      res.status(201).json(presentTicket(ticket));
    }),
  );

  router.get(
    '/tickets',
    apiRoute(deps, async (req, res, { deps, ctx }) => {
      const query = parseQuery(ListTicketsQuery, req);
      const page = await useCases.listTickets(deps, ctx, query);
      res.json(presentList(page, presentTicket));
    }),
  );

  router.get(
    '/tickets/counts',
    apiRoute(deps, async (_req, res, { deps, ctx }) => {
      res.json(presentQueueCounts(await useCases.ticketQueueCounts(deps, ctx)));
    }),
  );

  router.get(
    '/tickets/:ref',
    apiRoute(deps, async (req, res, { deps, ctx }) => {
      res.json(presentTicket(await useCases.getTicket(deps, ctx, pathRef(req))));
    }),
  );

  router.patch(
    '/tickets/:ref',
    apiRoute(deps, async (req, res, { deps, ctx }) => {
      const ref = pathRef(req);
      const input = resolveAssignee(parseBody(UpdateTicketBody, req), ctx);
      res.json(presentTicket(await useCases.updateTicket(deps, ctx, ref, input)));
    }),
  );

  router.post(
    '/tickets/:ref/approval',
    apiRoute(deps, async (req, res, { deps, ctx }) => {
      const ref = pathRef(req);
      const { decision } = parseBody(ApprovalBody, req);
      res.json(presentTicket(await useCases.decideApproval(deps, ctx, ref, decision)));
    }),
  );

  router.get(
    '/tickets/:ref/messages',
    apiRoute(deps, async (req, res, { deps, ctx }) => {
      const messages = await useCases.listTicketMessages(deps, ctx, pathRef(req));
      res.json(presentList({ data: messages }, presentMessage));
    }),
  );

  router.post(
    '/tickets/:ref/messages',
    apiRoute(deps, async (req, res, { deps, ctx }) => {
      const ref = pathRef(req);
      const input = parseBody(CreateMessageBody, req);
      const message = await useCases.addTicketMessage(deps, ctx, ref, input);
      res.status(201).json(presentMessage(message));
    }),
  );

  router.post(
    '/tickets/:ref/messages/:id/retry',
    apiRoute(deps, async (req, res, { deps, ctx }) => {
      const messageId = String(req.params.id ?? '');
      const message = await useCases.retryMessageDelivery(deps, ctx, pathRef(req), messageId);
      res.json(presentMessage(message));
    }),
  );

  router.get(
    '/tickets/:ref/events',
    apiRoute(deps, async (req, res, { deps, ctx }) => {
      const events = await useCases.listTicketEvents(deps, ctx, pathRef(req));
      res.json(presentList({ data: events }, presentAuditEvent));
    }),
  );

  return router;
}
