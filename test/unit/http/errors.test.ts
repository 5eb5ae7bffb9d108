import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  businessRule,
  conflict,
  forbidden,
  invalid,
  notFound,
  ParleyError,
  type ParleyErrorKind,
} from '../../../src/domain/errors.js';
import { toHttpError } from '../../../src/http/errors.js';
import { jsonHeaders, memoryLogger, serve, testApp, type TestServer } from './fixtures.js';

describe('toHttpError', () => {
  it.each<[ParleyErrorKind, string, number, string]>([
    ['invalid', 'invalid_request', 400, 'invalid_request'],
    ['unauthorized', 'unauthorized', 401, 'unauthorized'],
    ['forbidden', 'forbidden', 403, 'forbidden'],
    ['not_found', 'not_found', 404, 'not_found'],
    ['conflict', 'invalid_transition', 409, 'invalid_transition'],
    ['conflict', 'conflict', 409, 'conflict'],
    ['unprocessable', 'photo_required', 422, 'photo_required'],
    ['unprocessable', 'resolution_required', 422, 'resolution_required'],
    ['unprocessable', 'approval_required', 422, 'approval_required'],
    ['rate_limited', 'rate_limited', 429, 'rate_limited'],
    ['upstream', 'telegram_failed', 502, 'telegram_failed'],
  ])('%s/%s → %i %s', (kind, code, status, expectedCode) => {
    const mapped = toHttpError(new ParleyError(kind, code, 'Some message'));
    expect(mapped.status).toBe(status);
    expect(mapped.body).toEqual({ error: { code: expectedCode, message: 'Some message' } });
  });

  it('uses the helpers of domain/errors', () => {
    expect(toHttpError(notFound('Ticket')).status).toBe(404);
    expect(toHttpError(forbidden('no')).status).toBe(403);
    expect(toHttpError(conflict('busy')).body.error.code).toBe('conflict');
    expect(toHttpError(businessRule('photo_required', 'photo')).status).toBe(422);
  });

  it('keeps the details of an invalid error', () => {
    const mapped = toHttpError(invalid('bad', [{ path: 'category', message: 'unknown' }]));
    expect(mapped.body.error.details).toEqual([{ path: 'category', message: 'unknown' }]);
  });

  it('answers the contract code for fixed kinds and keeps a specific code as reason', () => {
    const mapped = toHttpError(new ParleyError('invalid', 'unknown_category', 'nope'));
    expect(mapped.body.error).toEqual({
      code: 'invalid_request',
      message: 'nope',
      reason: 'unknown_category',
    });
  });

  it('maps zod errors to 400 invalid_request with path details', () => {
    const schema = z.object({ customer: z.object({ email: z.email() }) }).strict();
    const result = schema.safeParse({ customer: { email: 'nope' }, extra: 1 });
    expect(result.success).toBe(false);
    const mapped = toHttpError(result.error);
    expect(mapped.status).toBe(400);
    expect(mapped.body.error.code).toBe('invalid_request');
    const details = mapped.body.error.details as { path: string; message: string }[];
    expect(details.map((d) => d.path).sort()).toEqual(['', 'customer.email']);
    expect(details.every((d) => typeof d.message === 'string')).toBe(true);
  });

  it('maps body-parser errors', () => {
    expect(toHttpError({ type: 'entity.parse.failed', status: 400 }).status).toBe(400);
    const tooLarge = toHttpError({ type: 'entity.too.large', status: 413 });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error.code).toBe('payload_too_large');
  });

  it('maps other errors that carry a client status (router, body-parser) to that status', () => {
    // express's router: a path parameter that is not valid percent-encoding.
    const uri = Object.assign(new URIError("Failed to decode param '%'"), { status: 400 });
    const mapped = toHttpError(uri);
    expect(mapped.status).toBe(400);
    expect(mapped.body.error.code).toBe('invalid_request');
    expect(mapped.body.error.message).not.toContain('%'); // never echoes the input
    // body-parser: a body that does not match its Content-Encoding (a zlib error, no `type`).
    const zlib = Object.assign(new Error('incorrect header check'), { status: 400 });
    expect(toHttpError(zlib)).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_request' } },
    });
    expect(toHttpError(Object.assign(new Error('x'), { statusCode: 415 })).body.error.code).toBe(
      'unsupported_media_type',
    );
    // A 5xx status on a thrown error stays an internal error.
    expect(toHttpError(Object.assign(new Error('x'), { status: 503 })).status).toBe(500);
  });

  it('maps anything else to 500 internal without leaking the message', () => {
    const mapped = toHttpError(new Error('password=hunter2 at db.ts:12'));
    expect(mapped.status).toBe(500);
    expect(mapped.body.error.code).toBe('internal');
    expect(JSON.stringify(mapped.body)).not.toContain('hunter2');
    expect(mapped.log).toBe('error');
  });
});

describe('error answers through the app', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('answers malformed JSON with 400 invalid_request', async () => {
    server = await serve(testApp());
    const res = await fetch(`${server.url}/api/v1/tickets`, {
      method: 'POST',
      headers: jsonHeaders(),
      body: '{"subject": ',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { code: 'invalid_request', message: 'The request body is not valid JSON' },
    });
  });

  it('answers a body over the limit with 413 payload_too_large', async () => {
    server = await serve(testApp({ bodyLimits: { default: '1kb', attachments: '2kb' } }));
    const big = JSON.stringify({ name: 'x'.repeat(1500), role: 'agent' });
    const agents = await fetch(`${server.url}/api/v1/agents`, {
      method: 'POST',
      headers: jsonHeaders(),
      body: big,
    });
    expect(agents.status).toBe(413);
    expect(((await agents.json()) as { error: { code: string } }).error.code).toBe(
      'payload_too_large',
    );
    // The same size is fine where attachments are allowed (it then fails validation instead).
    const tickets = await fetch(`${server.url}/api/v1/tickets`, {
      method: 'POST',
      headers: jsonHeaders(),
      body: big,
    });
    expect(tickets.status).toBe(400);
  });

  it('answers a path parameter that is not valid percent-encoding with 400, not 500', async () => {
    server = await serve(testApp());
    for (const path of [
      '/api/v1/tickets/%',
      '/api/v1/customers/%zz/tickets',
      '/api/v1/tickets/%E0%A4',
    ]) {
      const res = await fetch(`${server.url}${path}`, { headers: jsonHeaders() });
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
        'invalid_request',
      );
    }
  });

  it('answers a body that is not what its Content-Encoding says with 400, not 500', async () => {
    server = await serve(testApp());
    const res = await fetch(`${server.url}/api/v1/tickets`, {
      method: 'POST',
      headers: { ...jsonHeaders(), 'content-encoding': 'gzip' },
      body: 'not gzip at all',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
  });

  it('refuses NUL characters (PostgreSQL cannot store them) in a body, a query or a path', async () => {
    const created: unknown[] = [];
    server = await serve(
      testApp({
        useCases: {
          createAgent: async (_deps, _ctx, input) => {
            created.push(input);
            throw new Error('must not be reached');
          },
        },
      }),
    );
    const body = await fetch(`${server.url}/api/v1/agents`, {
      method: 'POST',
      headers: jsonHeaders(),
      body: JSON.stringify({ name: 'a\u0000b', role: 'agent', groups: ['ok', 'x\u0000'] }),
    });
    expect(body.status).toBe(400);
    const error = ((await body.json()) as { error: { code: string; details: unknown } }).error;
    expect(error.code).toBe('invalid_request');
    expect(error.details).toEqual([
      { path: 'name', message: 'Contains a NUL character or a lone surrogate' },
    ]);
    const key = await fetch(`${server.url}/api/v1/agents`, {
      method: 'POST',
      headers: jsonHeaders(),
      body: '{"name":"n","role":"agent","x\u0000":{}}',
    });
    expect(key.status).toBe(400);
    const surrogate = await fetch(`${server.url}/api/v1/agents`, {
      method: 'POST',
      headers: jsonHeaders(),
      body: '{"name":"a\\ud800b","role":"agent"}', // well-formed JSON, not Unicode
    });
    expect(surrogate.status).toBe(400);
    const emoji = await fetch(`${server.url}/api/v1/agents`, {
      method: 'POST',
      headers: jsonHeaders(),
      body: '{"name":"a\\ud83d\\udc4d","role":"agent"}', // a well-formed pair passes on
    });
    expect(emoji.status).toBe(500); // reached the (throwing) use case
    const query = await fetch(`${server.url}/api/v1/tickets?q=a%00b`, { headers: jsonHeaders() });
    expect(query.status).toBe(400);
    const path = await fetch(`${server.url}/api/v1/scheduled-tickets/%00`, {
      headers: jsonHeaders(),
    });
    expect(path.status).toBe(404);
    expect(created).toEqual([expect.objectContaining({ name: 'a👍' })]); // only the emoji
  });

  it('answers unknown routes with 404 not_found', async () => {
    server = await serve(testApp());
    const res = await fetch(`${server.url}/nope`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    const api = await fetch(`${server.url}/api/v1/nope`, { headers: jsonHeaders() });
    expect(api.status).toBe(404);
  });

  it('answers an unexpected throw with 500 internal, logs it, and leaks no stack', async () => {
    const logger = memoryLogger();
    server = await serve(
      testApp({
        logger,
        useCases: {
          getTicket: async () => {
            throw new Error('secret connection string');
          },
        },
      }),
    );
    const res = await fetch(`${server.url}/api/v1/tickets/42`, { headers: jsonHeaders() });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('secret');
    expect(text).not.toContain('at ');
    expect(JSON.parse(text)).toEqual({
      error: { code: 'internal', message: 'Something went wrong on our side' },
    });
    const logged = logger.lines.find((line) => line.level === 'error');
    expect(logged?.bindings.tenant_id).toBe('11111111-1111-4111-8111-111111111111');
    expect(logged?.bindings.request_id).toBeTypeOf('string');
  });

  it('answers ParleyErrors from use cases with their status', async () => {
    server = await serve(
      testApp({
        useCases: {
          updateTicket: async () => {
            throw new ParleyError('conflict', 'invalid_transition', 'new → closed is not allowed');
          },
        },
      }),
    );
    const res = await fetch(`${server.url}/api/v1/tickets/42`, {
      method: 'PATCH',
      headers: jsonHeaders(),
      body: JSON.stringify({ status: 'closed' }),
    });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({
      error: { code: 'invalid_transition', message: 'new → closed is not allowed' },
    });
  });
});
