import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { escapeHtml, renderLanding } from '../../../src/http/landing.js';
import { auth, serve, testApp, ticket, type TestServer } from './fixtures.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('probes', () => {
  it('/healthz is always ok', async () => {
    server = await serve(testApp({ readiness: async () => false }));
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('/readyz follows the readiness callback (and a throw is not ready)', async () => {
    let state: 'ready' | 'not_ready' | 'throws' = 'not_ready';
    server = await serve(
      testApp({
        readiness: async () => {
          if (state === 'throws') throw new Error('db down');
          return state === 'ready';
        },
      }),
    );
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    state = 'ready';
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    state = 'throws';
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
  });

  it('/metrics has default metrics and request durations by route pattern', async () => {
    const registry = new Registry();
    server = await serve(testApp({ registry, useCases: { getTicket: async () => ticket() } }));
    await fetch(`${server.url}/api/v1/tickets/TK-2026-00042`, { headers: auth() });
    await fetch(`${server.url}/api/v1/tickets/TK-2026-00043`, { headers: auth() });
    await fetch(`${server.url}/no/such/page`);
    const res = await fetch(`${server.url}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain(
      'http_request_duration_seconds_count{method="GET",route="/api/v1/tickets/:ref",status="200"} 2',
    );
    expect(text).toContain('route="unmatched",status="404"');
    expect(text).not.toContain('TK-2026-00042');
  });

  it('builds twice on one registry (tests, restarts) without duplicate metrics', () => {
    const registry = new Registry();
    testApp({ registry });
    expect(() => testApp({ registry })).not.toThrow();
  });
});

describe('landing page and headers', () => {
  it('escapes HTML', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
    const html = renderLanding({
      version: '<v1>',
      channels: [{ name: 'telegram', enabled: false, reason: 'TELEGRAM_BOT_TOKEN <unset>' }],
    });
    expect(html).not.toContain('<v1>');
    expect(html).toContain('&lt;unset&gt;');
  });

  it('GET / shows channels, links and a CSP', async () => {
    server = await serve(
      testApp({
        version: '0.1.0',
        channels: [
          { name: 'telegram', enabled: true, reason: 'webhook mode' },
          { name: 'whatsapp', enabled: false, reason: 'WHATSAPP_TOKEN is not set' },
          { name: 'webchat', enabled: true, reason: 'on at /chat' },
        ],
      }),
    );
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    for (const text of [
      '0.1.0',
      'telegram',
      'WHATSAPP_TOKEN is not set',
      '/chat',
      '/api/v1/openapi.json',
    ]) {
      expect(html).toContain(text);
    }
  });

  it('sets security headers and echoes or makes a request id on every answer', async () => {
    server = await serve(testApp());
    for (const path of ['/', '/healthz', '/api/v1/tickets', '/nope']) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-powered-by')).toBeNull();
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
    const echoed = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'req-123' } });
    expect(echoed.headers.get('x-request-id')).toBe('req-123');
    const unsafe = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'a b<c>' } });
    expect(unsafe.headers.get('x-request-id')).not.toBe('a b<c>');
  });
});
