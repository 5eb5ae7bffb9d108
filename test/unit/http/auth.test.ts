import { afterEach, describe, expect, it } from 'vitest';
import { bearerToken, platformKeyMatches } from '../../../src/http/auth.js';
import {
  API_CONTEXT,
  auth,
  jsonHeaders,
  serve,
  TENANT,
  testApp,
  ticket,
  type TestServer,
} from './fixtures.js';

describe('bearerToken', () => {
  it('reads Bearer tokens, case-insensitively', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer   abc ')).toBe('abc');
  });
  it('refuses anything else', () => {
    expect(bearerToken(undefined)).toBeNull();
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken('Bearer')).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
    expect(bearerToken(`Bearer ${'x'.repeat(600)}`)).toBeNull();
  });
});

describe('platformKeyMatches', () => {
  it('matches the exact key only', () => {
    expect(platformKeyMatches('s3cret-platform', 's3cret-platform')).toBe(true);
    expect(platformKeyMatches('s3cret-platform', 's3cret-platforM')).toBe(false);
    expect(platformKeyMatches('s3cret-platform', 's3cret')).toBe(false);
    expect(platformKeyMatches('s3cret-platform', '')).toBe(false);
    expect(platformKeyMatches('s3cret-platform', null)).toBe(false);
    expect(platformKeyMatches('', '')).toBe(false);
  });
  it('compares keys of different lengths without throwing (digests are equal-length)', () => {
    expect(() => platformKeyMatches('short', 'x'.repeat(10_000))).not.toThrow();
  });
});

describe('API key middleware', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('answers 401 unauthorized without a key or with a bad one', async () => {
    server = await serve(testApp());
    for (const headers of [{}, auth('bad-key'), { authorization: 'Basic Zm9vOmJhcg==' }]) {
      const res = await fetch(`${server.url}/api/v1/tickets`, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('unauthorized');
    }
  });

  it('passes the caller to the use case', async () => {
    let seen: unknown;
    server = await serve(
      testApp({
        useCases: {
          getTicket: async (_deps, ctx, ref) => {
            seen = { ctx, ref };
            return ticket();
          },
        },
      }),
    );
    const res = await fetch(`${server.url}/api/v1/tickets/TK-2026-00042`, { headers: auth() });
    expect(res.status).toBe(200);
    expect(seen).toEqual({ ctx: API_CONTEXT, ref: 'TK-2026-00042' });
  });

  it('does not read bodies of unauthenticated requests', async () => {
    server = await serve(testApp());
    const res = await fetch(`${server.url}/api/v1/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(res.status).toBe(401);
  });
});

describe('POST /tenants', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const body = JSON.stringify({ name: 'Beta', slug: 'beta' });

  it('is forbidden when PLATFORM_API_KEY is not set', async () => {
    server = await serve(testApp());
    const res = await fetch(`${server.url}/api/v1/tenants`, {
      method: 'POST',
      headers: jsonHeaders('anything'),
      body,
    });
    expect(res.status).toBe(403);
    const error = ((await res.json()) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('forbidden');
    expect(error.message).toContain('PLATFORM_API_KEY');
  });

  it('wants the platform key, not a tenant key', async () => {
    server = await serve(testApp({ platformApiKey: 'platform-key' }));
    const res = await fetch(`${server.url}/api/v1/tenants`, {
      method: 'POST',
      headers: jsonHeaders('good-key'),
      body,
    });
    expect(res.status).toBe(401);
  });

  it('creates a tenant with the platform key', async () => {
    let input: unknown;
    server = await serve(
      testApp({
        platformApiKey: 'platform-key',
        useCases: {
          createTenant: async (_deps, i) => {
            input = i;
            return { tenant: { ...TENANT, name: 'Beta', slug: 'beta' }, apiKey: 'pk_new' };
          },
        },
      }),
    );
    const res = await fetch(`${server.url}/api/v1/tenants`, {
      method: 'POST',
      headers: jsonHeaders('platform-key'),
      body,
    });
    expect(res.status).toBe(201);
    const json = (await res.json()) as { tenant: Record<string, unknown>; api_key: string };
    expect(input).toEqual({ name: 'Beta', slug: 'beta' });
    expect(json.api_key).toBe('pk_new');
    expect(json.tenant).toMatchObject({ id: TENANT.id, name: 'Beta', slug: 'beta' });
  });

  it('validates the body after the key', async () => {
    server = await serve(testApp({ platformApiKey: 'platform-key' }));
    const res = await fetch(`${server.url}/api/v1/tenants`, {
      method: 'POST',
      headers: jsonHeaders('platform-key'),
      body: JSON.stringify({ name: 'Beta' }),
    });
    expect(res.status).toBe(400);
    const error = ((await res.json()) as { error: { details: { path: string }[] } }).error;
    expect(error.details.map((d) => d.path)).toEqual(['slug']);
  });
});
