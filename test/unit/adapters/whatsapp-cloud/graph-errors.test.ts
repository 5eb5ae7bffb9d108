import { describe, expect, it } from 'vitest';
import {
  graphApiError,
  parseRetryAfter,
} from '../../../../adapters/whatsapp-cloud/graph-errors.js';

const body = (code: number) => ({
  error: { message: 'm', type: 'OAuthException', code, fbtrace_id: 'T' },
});
const classify = (status: number, code: number, retryAfter: string | null = null) =>
  graphApiError({ method: 'POST /1/messages', status, body: body(code), retryAfter }).details;

describe('Graph error classification', () => {
  it.each([4, 80007, 130429, 131048, 131056])('code %i is a retryable rate limit', (code) => {
    expect(classify(400, code)).toMatchObject({ code, retryAfterMs: 60_000, permanent: false });
  });

  it('HTTP 429 is a rate limit whatever the code', () => {
    expect(classify(429, 999, '3')).toMatchObject({ retryAfterMs: 3000, permanent: false });
  });

  it.each([131047, 131026, 131051, 100, 190])('code %i is permanent', (code) => {
    const d = classify(400, code);
    expect(d).toMatchObject({
      code,
      permanent: true,
      channel: 'whatsapp',
      method: 'POST /1/messages',
    });
    expect(d.retryAfterMs).toBeUndefined();
  });

  it('server errors are retried', () => {
    expect(classify(500, 131000)).toMatchObject({ permanent: false });
    expect(classify(400, 131000)).toMatchObject({ permanent: false });
    expect(
      graphApiError({ method: 'GET /x', status: 502, body: 'Bad Gateway', retryAfter: null })
        .details,
    ).toMatchObject({
      permanent: false,
      payload: 'Bad Gateway',
    });
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T10:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
