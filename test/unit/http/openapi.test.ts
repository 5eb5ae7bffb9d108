import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../../src/http/openapi.js';
import { serve, testApp } from './fixtures.js';

/** Every `/api/v1` route of CONTRACT.md, plus the documented extensions. */
const CONTRACT_ROUTES: [string, string][] = [
  ['post', '/tenants'],
  ['post', '/tickets'],
  ['get', '/tickets'],
  ['get', '/tickets/{ref}'],
  ['patch', '/tickets/{ref}'],
  ['get', '/tickets/{ref}/messages'],
  ['post', '/tickets/{ref}/messages'],
  ['get', '/tickets/{ref}/events'],
  ['get', '/customers'],
  ['post', '/customers'],
  ['get', '/customers/{id}/tickets'],
  ['get', '/agents'],
  ['post', '/agents'],
  ['get', '/sla-policy'],
  ['put', '/sla-policy'],
];
const EXTENSIONS: [string, string][] = [
  ['get', '/tickets/counts'],
  ['post', '/tickets/{ref}/approval'],
  ['post', '/agents/{id}/api-keys'],
  ['get', '/customers/{id}'],
];

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { parameters: { name: string; in: string }[] } & object>>;
  components: { schemas: Record<string, unknown> };
};

function refsIn(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => refsIn(item, into));
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$ref' && typeof inner === 'string') into.push(inner);
      else refsIn(inner, into);
    }
  }
  return into;
}

describe('OpenAPI document', () => {
  const doc = JSON.parse(JSON.stringify(buildOpenApiDocument({ version: '1.2.3' }))) as Doc;

  it('is OpenAPI 3.1.0', () => {
    expect(doc.openapi).toBe('3.1.0');
  });

  it.each([...CONTRACT_ROUTES, ...EXTENSIONS])('documents %s %s', (method, path) => {
    expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
  });

  it('resolves every $ref to a component', () => {
    const refs = refsIn(doc.paths).concat(refsIn(doc.components));
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) {
      const name = ref.replace('#/components/schemas/', '');
      expect(doc.components.schemas[name], ref).toBeDefined();
    }
  });

  it('documents the error shape and the list query', () => {
    expect(JSON.stringify(doc.components.schemas.Error)).toContain('"code"');
    const list = doc.paths['/tickets']?.get;
    const names = list?.parameters.map((p) => p.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'status',
        'priority',
        'category',
        'assignee_id',
        'overdue',
        'sort',
        'limit',
        'cursor',
        'q',
        'customer_id',
      ]),
    );
    const ticketSchema = JSON.stringify(doc.components.schemas.Ticket);
    for (const key of ['within_policy_window', 'days_late', 'first_response_due_at', 'closed_at']) {
      expect(ticketSchema).toContain(key);
    }
  });

  it('is served without authentication, leaving out routes that are not mounted', async () => {
    const server = await serve(testApp({ version: '9.9.9' }));
    try {
      const res = await fetch(`${server.url}/api/v1/openapi.json`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/json');
      const served = (await res.json()) as Doc & { info: { version: string } };
      expect(served.info.version).toBe('9.9.9');
      expect(served.paths['/tickets']).toBeDefined();
      expect(served.paths['/sla-policy']).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});
