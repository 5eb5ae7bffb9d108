/**
 * The one place errors become HTTP answers: `{"error": {"code", "message", "details?"}}`.
 *
 * - ParleyError: its kind decides the status. Kinds with one contract code (invalid,
 *   unauthorized, forbidden, not_found, rate_limited) always answer that code; a more specific
 *   code the core used is kept as `reason`. Conflict, unprocessable and upstream errors answer
 *   the core's own code (`invalid_transition`, `photo_required`, …).
 * - zod errors: 400 `invalid_request` with `details: [{path, message, code}]`.
 * - body-parser errors: malformed JSON 400, too large 413 `payload_too_large`, 415 for an
 *   unsupported charset or encoding.
 * - any other error that says it is the client's (a 4xx `status`, as express's router and
 *   body-parser set on a path parameter that is not valid percent-encoding or a body that does
 *   not match its Content-Encoding): that status, with a fixed message (never the error's own,
 *   which may echo the input).
 * - anything else: 500 `internal`, logged with its stack, which never reaches the client.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import * as z from 'zod';
import { ParleyError, type ParleyErrorKind } from '../domain/errors.js';
import type { Logger } from '../ports/logger.js';
import type { ErrorBody } from './schemas/common.js';

export const STATUS_BY_KIND: Readonly<Record<ParleyErrorKind, number>> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  rate_limited: 429,
  upstream: 502,
};

const FIXED_CODE: Partial<Record<ParleyErrorKind, string>> = {
  invalid: 'invalid_request',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  not_found: 'not_found',
  rate_limited: 'rate_limited',
};

export interface HttpError {
  status: number;
  body: ErrorBody;
  /** Set for errors worth a log line of their own (500s, upstream failures). */
  log?: 'error' | 'warn';
  headers?: Record<string, string>;
}

export interface IssueDetail {
  path: string;
  message: string;
  code?: string;
}

/** zod issues as `{path: 'customer.email', message}`; the path is empty for the whole body. */
export function zodDetails(error: z.ZodError): IssueDetail[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
    code: issue.code,
  }));
}

function body(code: string, message: string, details?: unknown, reason?: string): ErrorBody {
  const error: ErrorBody['error'] = { code, message };
  if (details !== undefined) error.details = details;
  if (reason !== undefined) error.reason = reason;
  return { error };
}

interface BodyParserError {
  type: string;
  status: number;
}

function isBodyParserError(err: unknown): err is BodyParserError {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { type?: unknown }).type === 'string' &&
    typeof (err as { status?: unknown }).status === 'number'
  );
}

function fromParleyError(err: ParleyError): HttpError {
  const status = STATUS_BY_KIND[err.kind] ?? 500;
  const fixed = FIXED_CODE[err.kind];
  const code = fixed ?? err.code;
  const reason = fixed !== undefined && err.code !== fixed ? err.code : undefined;
  const result: HttpError = { status, body: body(code, err.message, err.details, reason) };
  if (err.kind === 'upstream') result.log = 'warn';
  if (err.kind === 'rate_limited') {
    const retryAfter = (err.details as { retry_after_seconds?: unknown } | undefined)
      ?.retry_after_seconds;
    if (typeof retryAfter === 'number') result.headers = { 'Retry-After': String(retryAfter) };
  }
  return result;
}

function fromBodyParserError(err: BodyParserError): HttpError | null {
  switch (err.type) {
    case 'entity.parse.failed':
      return { status: 400, body: body('invalid_request', 'The request body is not valid JSON') };
    case 'entity.too.large':
      return { status: 413, body: body('payload_too_large', 'The request body is too large') };
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return {
        status: 415,
        body: body('unsupported_media_type', 'Unsupported request body charset or encoding'),
      };
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return { status: 400, body: body('invalid_request', 'The request body could not be read') };
    default:
      return null;
  }
}

const CLIENT_ERROR_CODES: Readonly<Record<number, string>> = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/** A thrown error's own 4xx status (`status` or `statusCode`, as http-errors sets them). */
function clientStatus(err: unknown): number | null {
  if (typeof err !== 'object' || err === null) return null;
  const { status, statusCode } = err as { status?: unknown; statusCode?: unknown };
  const value = typeof status === 'number' ? status : statusCode;
  return typeof value === 'number' && Number.isInteger(value) && value >= 400 && value < 500
    ? value
    : null;
}

function fromClientError(err: unknown, status: number): HttpError {
  const message =
    err instanceof URIError
      ? 'A path or query parameter is not valid percent-encoding'
      : 'The request could not be read';
  return { status, body: body(CLIENT_ERROR_CODES[status] ?? 'invalid_request', message) };
}

/** Maps any thrown value to its HTTP answer. Pure: no logging, no response. */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof ParleyError) return fromParleyError(err);
  if (err instanceof z.ZodError) {
    return {
      status: 400,
      body: body('invalid_request', 'The request is not valid', zodDetails(err)),
    };
  }
  if (isBodyParserError(err)) {
    const mapped = fromBodyParserError(err);
    if (mapped) return mapped;
  }
  const status = clientStatus(err);
  if (status !== null) return fromClientError(err, status);
  return {
    status: 500,
    body: body('internal', 'Something went wrong on our side'),
    log: 'error',
  };
}

/** Sends an error answer (used by middleware that answers before any route runs). */
export function sendError(
  res: Parameters<RequestHandler>[1],
  status: number,
  code: string,
  message: string,
  details?: unknown,
): void {
  res.status(status).json(body(code, message, details));
}

/** Any request no route took: 404 `not_found`. */
export const notFoundHandler: RequestHandler = (req, res) => {
  sendError(res, 404, 'not_found', `No route for ${req.method} ${req.path}`);
};

/** The last middleware. `loggerFor` gives the request's logger (with request and tenant ids). */
export function errorHandler(loggerFor: (res: Parameters<RequestHandler>[1]) => Logger) {
  const handler: ErrorRequestHandler = (err, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const mapped = toHttpError(err);
    if (mapped.log) {
      loggerFor(res)[mapped.log](
        { err, method: req.method, url: req.originalUrl, status: mapped.status },
        mapped.status >= 500 && mapped.status !== 502 ? 'request failed' : 'upstream failure',
      );
    }
    if (mapped.headers) res.set(mapped.headers);
    res.status(mapped.status).json(mapped.body);
  };
  return handler;
}
