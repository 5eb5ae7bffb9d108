/**
 * `/scheduled-tickets` (extension): open a ticket at a future time, idempotent on the caller's
 * external key; list, read (by id or external key) and cancel. Mounted when the use cases are given.
 */
import { Router, type Request } from 'express';
import { notFound } from '../../domain/errors.js';
import type { ScheduledTicket } from '../../ports/timer-stores.js';
import { apiRoute, parseBody, parseQuery, type RouteEnv } from '../api-route.js';
import {
  ListScheduledTicketsQuery,
  ScheduleTicketBody,
  type ScheduledTicketBody,
} from '../schemas/scheduled-tickets.js';

/** The stored body without attachment data (it can be large; the caller sent it). */
function ticketBody(ticket: Record<string, unknown>): Record<string, unknown> {
  const attachments = ticket.attachments;
  if (!Array.isArray(attachments)) return ticket;
  return {
    ...ticket,
    attachments: attachments.map((a: Record<string, unknown>) => ({
      file_name: a.file_name,
      mime_type: a.mime_type,
    })),
  };
}

export function presentScheduledTicket(row: ScheduledTicket): ScheduledTicketBody {
  return {
    id: row.id,
    external_key: row.externalKey,
    run_at: row.runAt.toISOString(),
    status: row.status,
    ticket_id: row.ticketId,
    attempts: row.attempts,
    error: row.error,
    ticket: ticketBody(row.ticket),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

function idOrKey(req: Request): string {
  const raw = req.params.idOrKey;
  const value = typeof raw === 'string' ? raw.trim() : '';
  if (value.length === 0 || value.length > 200) throw notFound('Scheduled ticket');
  return value;
}

export function scheduledTicketRoutes({ deps, useCases }: RouteEnv): Router | null {
  const { scheduleTicket, listScheduledTickets, getScheduledTicket, cancelScheduledTicket } =
    useCases;
  if (!scheduleTicket || !listScheduledTickets || !getScheduledTicket || !cancelScheduledTicket) {
    return null;
  }
  const router = Router();

  router.post(
    '/scheduled-tickets',
    apiRoute(deps, async (req, res, { deps, ctx }) => {
      const body = parseBody(ScheduleTicketBody, req);
      const { scheduled, created } = await scheduleTicket(deps, ctx, {
        external_key: body.external_key,
        run_at: new Date(body.run_at),
        ticket: body.ticket,
      });
      res.status(created ? 201 : 200).json(presentScheduledTicket(scheduled));
    }),
  );

  router.get(
    '/scheduled-tickets',
    apiRoute(deps, async (req, res, { deps, ctx }) => {
      const query = parseQuery(ListScheduledTicketsQuery, req);
      const page = await listScheduledTickets(deps, ctx, query);
      res.json({ data: page.data.map(presentScheduledTicket), next_cursor: page.nextCursor });
    }),
  );

  router.get(
    '/scheduled-tickets/:idOrKey',
    apiRoute(deps, async (req, res, { deps, ctx }) => {
      res.json(presentScheduledTicket(await getScheduledTicket(deps, ctx, idOrKey(req))));
    }),
  );

  router.delete(
    '/scheduled-tickets/:idOrKey',
    apiRoute(deps, async (req, res, { deps, ctx }) => {
      res.json(presentScheduledTicket(await cancelScheduledTicket(deps, ctx, idOrKey(req))));
    }),
  );

  return router;
}
