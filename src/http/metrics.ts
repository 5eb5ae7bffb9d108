/**
 * Prometheus metrics on the registry the caller owns (so main.ts can register its own gauges
 * next to ours): default process metrics and `http_request_duration_seconds` labelled by
 * method, route pattern (never the raw URL) and status; the inbound flood limit's counters.
 */
import type { Request, RequestHandler, Response } from 'express';
import { collectDefaultMetrics, Counter, Histogram, type Registry } from 'prom-client';
import type { InboundFloodObserver } from '../app/context.js';
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

const FLOOD_TRIPS = 'parley_inbound_flood_trips_total';
const FLOOD_HELD = 'parley_inbound_flood_held_messages_total';

function counter(registry: Registry, name: string, help: string): Counter<'channel'> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter<'channel'>;
  return new Counter({ name, help, labelNames: ['channel'] as const, registers: [registry] });
}

/**
 * Counts customers going over the inbound flood limit (a hold starts) and the messages held
 * from the agents' thread, by channel.
 */
export function inboundFloodMetrics(registry: Registry): InboundFloodObserver {
  const trips = counter(
    registry,
    FLOOD_TRIPS,
    'Customers who went over the inbound flood limit (holds started), by channel',
  );
  const held = counter(
    registry,
    FLOOD_HELD,
    "Customer messages recorded but held from the agents' thread by the flood limit, by channel",
  );
  return {
    held(channel, tripped) {
      held.inc({ channel });
      if (tripped) trips.inc({ channel });
    },
  };
}
