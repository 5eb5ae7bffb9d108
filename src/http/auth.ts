/**
 * API authentication. Tenant keys: `Authorization: Bearer <key>` → `authenticateApiKey`; the
 * resulting RequestContext goes to `res.locals`. The platform key (only `POST /tenants`) is
 * compared in constant time against the configured `PLATFORM_API_KEY`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { AppDeps, RequestContext } from '../app/context.js';
import { sendError } from './errors.js';
import { depsFor, setRequestContext } from './request-context.js';

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;
const MAX_KEY_LENGTH = 512;

/** The bearer token of an `Authorization` header, or null when missing or malformed. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = BEARER.exec(header);
  const token = match?.[1];
  if (!token || token.length > MAX_KEY_LENGTH) return null;
  return token;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Constant-time comparison of a presented key with the configured one. Hashing first makes
 * both buffers 32 bytes, so neither the content nor the length of the secret leaks by timing.
 */
export function platformKeyMatches(configured: string, presented: string | null): boolean {
  if (presented === null || configured.length === 0) return false;
  return timingSafeEqual(digest(configured), digest(presented));
}

const WWW_AUTHENTICATE = 'Bearer realm="parley"';

/** Requires a tenant API key; 401 `unauthorized` otherwise. */
export function requireApiKey(
  deps: AppDeps,
  authenticate: (deps: AppDeps, rawKey: string) => Promise<RequestContext | null>,
): RequestHandler {
  return async (req, res, next) => {
    const token = bearerToken(req.get('authorization'));
    if (token === null) {
      res.setHeader('WWW-Authenticate', WWW_AUTHENTICATE);
      sendError(res, 401, 'unauthorized', 'Missing API key: send Authorization: Bearer <key>');
      return;
    }
    const context = await authenticate(depsFor(res, deps), token);
    if (!context) {
      res.setHeader('WWW-Authenticate', WWW_AUTHENTICATE);
      sendError(res, 401, 'unauthorized', 'Invalid or revoked API key');
      return;
    }
    setRequestContext(res, context);
    next();
  };
}

/**
 * Requires the platform key. Not configured → 403 (tenant creation is switched off);
 * missing or wrong key → 401.
 */
export function requirePlatformKey(platformApiKey: string | undefined): RequestHandler {
  return (req, res, next) => {
    if (!platformApiKey) {
      sendError(
        res,
        403,
        'forbidden',
        'Creating tenants is disabled: PLATFORM_API_KEY is not set on this server',
      );
      return;
    }
    if (!platformKeyMatches(platformApiKey, bearerToken(req.get('authorization')))) {
      res.setHeader('WWW-Authenticate', WWW_AUTHENTICATE);
      sendError(res, 401, 'unauthorized', 'Missing or invalid platform API key');
      return;
    }
    next();
  };
}
