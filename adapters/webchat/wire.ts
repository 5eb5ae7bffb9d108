/**
 * The framework-free request/response shape the web-chat handlers speak; the lead mounts them
 * in express. A string `body` is sent as is (its `content-type` is in `headers`); any other body
 * is sent as JSON.
 */

export interface WebchatRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  query?: Record<string, string | undefined>;
  /** Aborted when the client goes away; ends a long poll early. Optional. */
  signal?: AbortSignal;
}

export interface WebchatResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type WebchatHandler = (req: WebchatRequest) => Promise<WebchatResponse>;

/** Headers on every JSON API answer: session data must never be cached or sniffed. */
export const API_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export function headerValue(headers: WebchatRequest['headers'], name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/** The token of an `Authorization: Bearer <token>` header. */
export function bearerToken(req: WebchatRequest): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headerValue(req.headers, 'authorization') ?? '');
  return match?.[1];
}

export function json(status: number, body: unknown): WebchatResponse {
  return { status, body, headers: { ...API_HEADERS } };
}

/** `{ error: { code, message } }`, the contract's error shape. */
export function errorResponse(status: number, code: string, message: string): WebchatResponse {
  return json(status, { error: { code, message } });
}

export const unauthorized = (): WebchatResponse =>
  errorResponse(401, 'unauthorized', 'missing or invalid session token');

export function methodNotAllowed(allow: string): WebchatResponse {
  const res = errorResponse(405, 'method_not_allowed', `use ${allow}`);
  return { ...res, headers: { ...res.headers, allow } };
}

/** Parses a JSON body; an empty body is `{}`. Returns `undefined` when it is not JSON. */
export function parseJsonBody(rawBody: Buffer): unknown {
  const text = rawBody.toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
