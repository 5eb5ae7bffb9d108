/**
 * Small helpers every API route uses: validate the body, query and path with zod, and wrap
 * handlers so they see the request's deps and caller and label the request for metrics.
 */
import type { Request, RequestHandler, Response } from 'express';
import type * as z from 'zod';
import type { AppDeps, RequestContext } from '../app/context.js';
import { invalid, notFound } from '../domain/errors.js';
import { id as idSchema } from './schemas/common.js';
import { depsFor, requestContext, setRoutePattern } from './request-context.js';
import type { HttpUseCases } from './use-cases.js';

/** What route factories get. */
export interface RouteEnv {
  deps: AppDeps;
  useCases: HttpUseCases;
}

export interface Scope {
  deps: AppDeps;
  ctx: RequestContext;
}

/** The matched route pattern (`/api/v1/tickets/:ref`), never the raw URL. */
export function labelRoute(req: Request, res: Response): void {
  const path = req.route?.path;
  if (typeof path === 'string') setRoutePattern(res, `${req.baseUrl}${path}`);
}

/** A public route handler (no caller). */
export function publicRoute(
  handler: (req: Request, res: Response) => Promise<void> | void,
): RequestHandler {
  return async (req, res) => {
    labelRoute(req, res);
    await handler(req, res);
  };
}

/** A route behind `requireApiKey`: gets the request-scoped deps and the caller. */
export function apiRoute(
  deps: AppDeps,
  handler: (req: Request, res: Response, scope: Scope) => Promise<void>,
): RequestHandler {
  return async (req, res) => {
    labelRoute(req, res);
    await handler(req, res, { deps: depsFor(res, deps), ctx: requestContext(res) });
  };
}

/** The JSON body, validated; zod errors become 400 `invalid_request` with field details. */
export function parseBody<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  if (req.body === undefined) {
    throw invalid('Send a JSON body with Content-Type: application/json', [
      { path: '', message: 'Missing JSON body' },
    ]);
  }
  return schema.parse(req.body);
}

export function parseQuery<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  return schema.parse(req.query);
}

/** A path id that is not a UUID cannot name a record: 404, as for any unknown id. */
export function pathId(req: Request, what: string): string {
  const parsed = idSchema().safeParse(req.params.id);
  // Not a UUID (or a wildcard array): it cannot be a record id.
  if (!parsed.success) throw notFound(what);
  return parsed.data.toLowerCase();
}

/** `:ref` (id, `TK-2026-00042`, `42`, `#42`): passed on trimmed; the use case resolves it. */
export function pathRef(req: Request): string {
  const raw = req.params.ref;
  const ref = typeof raw === 'string' ? raw.trim() : '';
  if (ref.length === 0 || ref.length > 64) throw notFound('Ticket');
  return ref;
}
