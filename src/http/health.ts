/**
 * Probes and metrics: `GET /healthz` (the process serves), `GET /readyz` (the readiness
 * callback says yes: database reachable, migrations done, not shutting down) and
 * `GET /metrics` (Prometheus text).
 */
import { Router } from 'express';
import type { Registry } from 'prom-client';
import type { Logger } from '../ports/logger.js';
import { publicRoute } from './api-route.js';
import { metricsHandler } from './metrics.js';
import { requestLogger } from './request-context.js';

export interface HealthOptions {
  readiness: () => Promise<boolean>;
  registry: Registry;
  logger: Logger;
  /** A readiness check slower than this counts as not ready. Default 5 s. */
  readinessTimeoutMs?: number;
}

async function withTimeout(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  try {
    return await Promise.race([check(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(options: HealthOptions): Router {
  const router = Router();
  const timeoutMs = options.readinessTimeoutMs ?? 5_000;

  router.get(
    '/healthz',
    publicRoute((_req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      res.json({ status: 'ok' });
    }),
  );

  router.get(
    '/readyz',
    publicRoute(async (_req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      let ready = false;
      try {
        ready = await withTimeout(options.readiness, timeoutMs);
      } catch (err) {
        requestLogger(res, options.logger).warn({ err }, 'readiness check failed');
      }
      res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready' });
    }),
  );

  router.get('/metrics', publicRoute(metricsHandler(options.registry)));
  return router;
}
