/**
 * Mounts a framework-free adapter handler (webhook, web-chat endpoint) in express, with the raw
 * body (signatures are computed over the exact bytes) and a body size limit.
 */
import express, { type Request, type RequestHandler, type Response } from 'express';
import type { RawHandler } from '../ports/raw-http.js';
import { labelRoute } from './api-route.js';

function queryOf(req: Request): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(req.query)) {
    out[key] =
      typeof value === 'string' ? value : Array.isArray(value) ? String(value[0]) : undefined;
  }
  return out;
}

export function rawRoute(handler: RawHandler, opts: { limit?: string } = {}): RequestHandler[] {
  const body = express.raw({ type: () => true, limit: opts.limit ?? '1mb' });
  const run: RequestHandler = (req: Request, res: Response, next) => {
    labelRoute(req, res);
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    // The response closing (not the request: that fires once the body is read) means the client left.
    const gone = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) gone.abort(); // only a client that left early, not every response
    });
    handler({
      method: req.method,
      headers: req.headers,
      rawBody,
      query: queryOf(req),
      signal: gone.signal,
      ...(req.ip ? { ip: req.ip } : {}),
    })
      .then((out) => {
        for (const [name, value] of Object.entries(out.headers ?? {})) res.setHeader(name, value);
        res.status(out.status);
        if (out.body === undefined) res.end();
        else if (typeof out.body === 'string' || Buffer.isBuffer(out.body)) res.send(out.body);
        else res.json(out.body);
      })
      .catch(next);
  };
  return [body, run];
}
