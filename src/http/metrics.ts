/**
 * Prometheus metrics on the registry the caller owns (so main.ts can register its own gauges
 * next to ours): default process metrics and `http_request_duration_seconds` labelled by
 * method, route pattern (never the raw URL) and status.
 */
import type { Request, RequestHandler, Response } from 'express';
import { collectDefaultMetrics, Histogram, type Registry } from 'prom-client';
import { routePattern } from './request-context.js';

const HISTOGRAM = 'http_request_duration_seconds';

/** Registers default metrics and the request histogram once per registry. */
export function httpMetrics(registry: Registry): Histogram<'method' | 'route' | 'status'> {
  if (!registry.getSingleMetric('process_cpu_user_seconds_total')) {
    collectDefaultMetrics({ register: registry });
  }
  const existing = registry.getSingleMetric(HISTOGRAM);
  if (existing) return existing as Histogram<'method' | 'route' | 'status'>;
  return new Histogram({
    name: HISTOGRAM,
    help: 'HTTP request duration in seconds, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
}

/** Times every request; requests no route matched share the route label `unmatched`. */
export function metricsMiddleware(
  histogram: Histogram<'method' | 'route' | 'status'>,
): RequestHandler {
  return (req, res, next) => {
    const end = histogram.startTimer();
    res.once('finish', () => {
      end({ method: req.method, route: routePattern(res) ?? 'unmatched', status: res.statusCode });
    });
    next();
  };
}

export function metricsHandler(registry: Registry) {
  return async (_req: Request, res: Response): Promise<void> => {
    res.setHeader('Content-Type', registry.contentType);
    res.send(await registry.metrics());
  };
}
