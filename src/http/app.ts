/**
 * Assembles the Express app from its parts, with the use cases injected (`server.ts` passes
 * the real ones; tests pass fakes). Order: security headers → request id and logger →
 * metrics → probes and landing → `/api/v1` (OpenAPI, rate limit, tenants with the platform
 * key, then API-key routes with JSON bodies) → caller extensions → 404 → error mapping.
 */
import type { RawHandler } from '../ports/raw-http.js';
import { rawRoute } from './raw-route.js';
import express, { Router, type Express, type Request, type RequestHandler } from 'express';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { AppDeps } from '../app/context.js';
import type { Logger } from '../ports/logger.js';
import type { RouteEnv } from './api-route.js';
import { requireApiKey } from './auth.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { healthRoutes } from './health.js';
import { landingHandler, type ChannelSource } from './landing.js';
import { httpMetrics, metricsMiddleware } from './metrics.js';
import { openApiHandler } from './openapi.js';
import { createOverloadGuard, type OverloadOptions } from './overload-guard.js';
import { OPERATIONS } from './openapi/operations.js';
import { rateLimit, TokenBucketLimiter, type RateLimitOptions } from './rate-limit.js';
import { requestIdentity, requestLogger, routePattern } from './request-context.js';
import { agentRoutes } from './routes/agents.js';
import { customerRoutes } from './routes/customers.js';
import { slaPolicyRoutes } from './routes/sla-policy.js';
import { tenantRoutes } from './routes/tenants.js';
import { ticketRoutes } from './routes/tickets.js';
import { watcherRoutes } from './routes/watchers.js';
import { groupRoutes } from './routes/groups.js';
import { receiptLinkRoutes } from './routes/receipt-links.js';
import { settingsRoutes } from './routes/settings.js';
import { scheduledTicketRoutes } from './routes/scheduled-tickets.js';
import { webhookSubscriptionRoutes } from './routes/webhook-subscriptions.js';
import { reportRoutes } from './routes/reports.js';
import { rejectUnstorableText } from './unstorable-text.js';
import { securityHeaders } from './security-headers.js';
import type { HttpUseCases } from './use-cases.js';

export interface HttpAppOptions {
  deps: AppDeps;
  /** PLATFORM_API_KEY; without it `POST /tenants` answers 403. */
  platformApiKey?: string | undefined;
  /** True when Parley can take traffic (database reachable, migrated, not shutting down). */
  readiness: () => Promise<boolean>;
  /** Where metrics go; register your own gauges on the same registry. */
  registry: Registry;
  channels: ChannelSource;
  /** Defaults to `deps.logger`. */
  logger?: Logger;
  /** Parley's version for the landing page and the OpenAPI document. */
  version?: string;
  /** Load shedding (503 + Retry-After past these limits); default off. */
  overload?: OverloadOptions;
  /** Handed the guard's count of requests in flight (probes not counted), once built. */
  exposeInFlight?: (inFlight: () => number) => void;
  /** Per API key token bucket; `false` turns it off. Default 20 req/s, burst 100. */
  rateLimit?: RateLimitOptions | false;
  /** Express `trust proxy`; off by default (set it behind a reverse proxy). */
  trustProxy?: boolean | number | string;
  bodyLimits?: {
    /** `POST /tickets` and `POST /tickets/:ref/messages` (base64 attachments). Default 30mb. */
    attachments?: string | number;
    /** Every other JSON body. Default 1mb. */
    default?: string | number;
  };
  /** PUBLIC_URL, for absolute links in answers (receipt links). */
  publicUrl?: string | undefined;
  /** Adapter endpoints (webhooks, web chat) mounted with their raw bodies. */
  rawRoutes?: RawRouteSpec[];
  /** Mounts more routes (web chat, webhooks, Slack) before the 404 and error handlers. */
  extend?: (app: Express) => void;
}

export interface RawRouteSpec {
  method: 'get' | 'post' | 'head';
  path: string;
  handler: RawHandler;
  /** Body size limit (express syntax), default 1mb. */
  limit?: string;
  /**
   * Held open while waiting (the web chat's long poll): not counted as requests in flight, so a
   * few hundred open chat tabs neither shed other traffic nor look like a burst.
   */
  longPoll?: boolean;
}

/** `POST /tickets` and `POST /tickets/:ref/messages` may carry base64 attachments. */
const ATTACHMENT_ROUTE = /^\/tickets(?:\/[^/]+\/messages)?\/?$/;

/** Parses the JSON body (by route size limit), then refuses text PostgreSQL cannot store in it or the query. */
function jsonBodies(limits: HttpAppOptions['bodyLimits']): RequestHandler {
  const large = express.json({ limit: limits?.attachments ?? '30mb' });
  const small = express.json({ limit: limits?.default ?? '1mb' });
  return (req, res, next) => {
    const parser = req.method === 'POST' && ATTACHMENT_ROUTE.test(req.path) ? large : small;
    parser(req, res, (err?: unknown) => {
      if (err) next(err);
      else rejectUnstorableText(req, res, next);
    });
  };
}

function apiRouter(options: HttpAppOptions, useCases: HttpUseCases, version: string): Router {
  const env: RouteEnv = { deps: options.deps, useCases };
  const router = Router();
  const slaPolicy = slaPolicyRoutes(env);
  const operations = slaPolicy
    ? OPERATIONS.filter((op) => useCases.listSlaOverrides || !op.path.startsWith('/sla-policy/'))
    : OPERATIONS.filter((op) => !op.path.startsWith('/sla-policy'));

  router.get('/openapi.json', openApiHandler({ version, operations }));
  if (options.rateLimit !== false) {
    router.use(rateLimit(new TokenBucketLimiter(options.rateLimit ?? {})));
  }
  const bodies = jsonBodies(options.bodyLimits);
  router.use(tenantRoutes(env, options.platformApiKey, bodies));
  router.use(requireApiKey(options.deps, useCases.authenticateApiKey));
  router.use(bodies);
  router.use(
    ticketRoutes(env),
    watcherRoutes(env),
    groupRoutes(env),
    customerRoutes(env),
    agentRoutes(env),
    receiptLinkRoutes(env, options.publicUrl),
    settingsRoutes(env),
    webhookSubscriptionRoutes(env),
  );
  if (slaPolicy) router.use(slaPolicy);
  for (const extension of [scheduledTicketRoutes(env), reportRoutes(env)]) {
    if (extension) router.use(extension);
  }
  return router;
}

/** Probes and scrapes log at debug level, so they do not drown the access log. */
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

/** One line per request, at the end, with the route pattern, status and duration. */
function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const route = routePattern(res) ?? 'unmatched';
      const level = PROBES.has(route) && res.statusCode < 500 ? 'debug' : 'info';
      requestLogger(res, logger)[level](
        {
          method: req.method,
          route,
          status: res.statusCode,
          duration_ms: Math.round(durationMs * 10) / 10,
        },
        'request',
      );
    });
    next();
  };
}

/** The guard, with its counters on the registry (`parley_http_shed_total`, `parley_http_in_flight`). */
function overloadMiddleware(
  options: OverloadOptions,
  registry: Registry,
  exposeInFlight?: (inFlight: () => number) => void,
): RequestHandler {
  const guard = createOverloadGuard(options);
  exposeInFlight?.(() => guard.stats().inFlight);
  if (!registry.getSingleMetric('parley_http_shed_total')) {
    new Counter({
      name: 'parley_http_shed_total',
      help: 'Requests answered 503 overloaded without being processed',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(guard.stats().shed);
      },
    });
    new Gauge({
      name: 'parley_http_in_flight',
      help: 'Requests being processed (probes not counted)',
      registers: [registry],
      collect() {
        this.set(guard.stats().inFlight);
      },
    });
  }
  return guard.middleware;
}

export function buildHttpApp(options: HttpAppOptions & { useCases: HttpUseCases }): Express {
  const logger = options.logger ?? options.deps.logger;
  const version = options.version ?? 'dev';
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? false);
  app.set('query parser', 'simple');

  app.use(securityHeaders);
  app.use(requestIdentity(logger));
  app.use(metricsMiddleware(httpMetrics(options.registry)));
  app.use(accessLog(logger));

  app.get('/', landingHandler(version, options.channels));
  app.use(healthRoutes({ readiness: options.readiness, registry: options.registry, logger }));
  if (options.overload) {
    const longPolls = new Set(
      (options.rawRoutes ?? [])
        .filter((route) => route.longPoll)
        .map((route) => `${route.method.toUpperCase()} ${route.path}`),
    );
    const guard = {
      ...options.overload,
      counted: (req: Request) => !longPolls.has(`${req.method} ${req.path}`),
    };
    app.use(overloadMiddleware(guard, options.registry, options.exposeInFlight));
  }
  app.use('/api/v1', apiRouter(options, options.useCases, version));

  for (const route of options.rawRoutes ?? []) {
    app[route.method](
      route.path,
      ...rawRoute(route.handler, route.limit ? { limit: route.limit } : {}),
    );
  }
  options.extend?.(app);
  app.use(notFoundHandler);
  app.use(errorHandler((res) => requestLogger(res, logger)));
  return app;
}
