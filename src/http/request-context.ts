/**
 * Per-request state kept in `res.locals` behind typed accessors: the request id, a child
 * logger (request id, later tenant id), the authenticated RequestContext, and the route
 * pattern used as a metrics label.
 */
import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { AppDeps, RequestContext } from '../app/context.js';
import type { Logger } from '../ports/logger.js';

interface HttpLocals {
  requestId?: string;
  logger?: Logger;
  context?: RequestContext;
  routePattern?: string;
}

const KEY = 'parley';

function locals(res: Response): HttpLocals {
  const store = res.locals as Record<string, unknown>;
  let value = store[KEY] as HttpLocals | undefined;
  if (!value) {
    value = {};
    store[KEY] = value;
  }
  return value;
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Echoes a well-formed `X-Request-Id` or makes one, and gives the request its child logger. */
export function requestIdentity(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const requestId = incoming && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const state = locals(res);
    state.requestId = requestId;
    state.logger = logger.child({ request_id: requestId });
    res.setHeader('X-Request-Id', requestId);
    next();
  };
}

export function requestId(res: Response): string | undefined {
  return locals(res).requestId;
}

export function requestLogger(res: Response, fallback: Logger): Logger {
  return locals(res).logger ?? fallback;
}

/** Records who is calling; the request's logger gains the tenant id. */
export function setRequestContext(res: Response, context: RequestContext): void {
  const state = locals(res);
  state.context = context;
  if (state.logger) state.logger = state.logger.child({ tenant_id: context.tenant.id });
}

/** The authenticated caller. Only routes behind the auth middleware call this. */
export function requestContext(res: Response): RequestContext {
  const context = locals(res).context;
  if (!context) throw new Error('requestContext() on a route without authentication');
  return context;
}

/** The app's ports, with this request's logger so use cases log with request and tenant ids. */
export function depsFor(res: Response, deps: AppDeps): AppDeps {
  const logger = locals(res).logger;
  return logger ? { ...deps, logger } : deps;
}

export function setRoutePattern(res: Response, pattern: string): void {
  locals(res).routePattern = pattern;
}

export function routePattern(res: Response): string | undefined {
  return locals(res).routePattern;
}
