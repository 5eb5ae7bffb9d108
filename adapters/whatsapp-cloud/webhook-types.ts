/**
 * The framework-free request/response shape the webhook functions speak; the HTTP layer maps
 * express (or anything else) onto it. `rawBody` must be the exact bytes received: the
 * signature covers them.
 */

export interface WebhookRequest {
  method: string;
  /** Node-style headers (lower-case names); lookups here are case-insensitive anyway. */
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  query?: Record<string, string | undefined>;
}

export interface WebhookResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** First value of a header, looked up case-insensitively. */
export function headerValue(
  req: Pick<WebhookRequest, 'headers'>,
  name: string,
): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(req.headers)) {
    if (key.toLowerCase() !== wanted) continue;
    return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

export function errorResponse(status: number, code: string, message: string): WebhookResponse {
  return { status, body: { error: { code, message } } };
}
