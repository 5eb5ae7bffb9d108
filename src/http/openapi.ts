/**
 * The OpenAPI 3.1 document of `/api/v1`, generated from the zod schemas the routes validate
 * with (`z.toJSONSchema`, JSON Schema draft 2020-12 — the dialect of OpenAPI 3.1). Served
 * without authentication at `GET /api/v1/openapi.json`.
 */
import type { RequestHandler } from 'express';
import * as z from 'zod';
import {
  OPERATIONS,
  REQUEST_SCHEMAS,
  RESPONSE_SCHEMAS,
  type Operation,
} from './openapi/operations.js';
import { labelRoute } from './api-route.js';

type JsonSchema = Record<string, unknown>;

const REF_PREFIX = '#/components/schemas/';

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'invalid_request: the body, query or a header failed validation (see details)',
  401: 'unauthorized: missing or invalid API key',
  403: 'forbidden',
  404: 'not_found (also for records of another tenant)',
  409: 'invalid_transition or conflict',
  413: 'payload_too_large',
  422: 'A business rule: photo_required, resolution_required, approval_required, invalid_calendar…',
  429: 'rate_limited (see Retry-After)',
  500: 'internal',
};

function withoutDialect(schema: JsonSchema): JsonSchema {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

/** Components from one registry; requests are documented as sent, answers as received. */
function componentSchemas(
  named: Record<string, z.ZodType>,
  io: 'input' | 'output',
): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(named)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
    uri: (id) => `${REF_PREFIX}${id}`,
  });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => [id, withoutDialect(schema as JsonSchema)]),
  );
}

function queryParameters(query: z.ZodObject): JsonSchema[] {
  return Object.entries(query.shape).map(([name, field]) => {
    const schema = withoutDialect(
      z.toJSONSchema(field as z.ZodType, {
        target: 'draft-2020-12',
        io: 'output',
        unrepresentable: 'any',
      }) as JsonSchema,
    );
    const isList = schema.type === 'array';
    const parameter: JsonSchema = {
      name,
      in: 'query',
      required: !(field as z.ZodType).safeParse(undefined).success,
      schema,
    };
    if (isList) {
      parameter.style = 'form';
      parameter.explode = true;
      parameter.description = 'A comma-separated list (`a,b`) or the parameter repeated.';
    }
    return parameter;
  });
}

const PATH_PARAMETER_DESCRIPTIONS: Record<string, JsonSchema> = {
  ref: {
    description: 'Ticket id (UUID) or number: `TK-2026-00042`, `42` or `#42` (current year).',
    schema: { type: 'string', maxLength: 64 },
  },
  id: { description: 'Record id (UUID).', schema: { type: 'string', format: 'uuid' } },
  scope: {
    description: 'What an SLA override applies to.',
    schema: { type: 'string', enum: ['group', 'category', 'tier'] },
  },
  value: {
    description: 'The group (id or name), the category key or the customer tier.',
    schema: { type: 'string', minLength: 1, maxLength: 100 },
  },
};

function pathParameters(path: string): JsonSchema[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map(([, name = '']) => ({
    name,
    in: 'path',
    required: true,
    ...(PATH_PARAMETER_DESCRIPTIONS[name] ?? { schema: { type: 'string' } }),
  }));
}

const ref = (name: string) => ({ $ref: `${REF_PREFIX}${name}` });

function errorStatuses(op: Operation): number[] {
  const statuses = new Set(op.errors ?? []);
  if (op.body || op.query || op.headers) statuses.add(400);
  if (op.auth !== 'none') statuses.add(401).add(429);
  if (op.auth === 'platform_key') statuses.add(403);
  if (op.path.includes('{')) statuses.add(404);
  statuses.add(500);
  return [...statuses].sort((a, b) => a - b);
}

function operationObject(op: Operation): JsonSchema {
  const parameters = [
    ...pathParameters(op.path),
    ...(op.query ? queryParameters(op.query) : []),
    ...(op.headers ?? []).map((h) => ({
      name: h.name,
      in: 'header',
      required: false,
      description: h.description,
      schema: { type: 'string', minLength: 1, maxLength: h.maxLength },
    })),
  ];
  const responses: JsonSchema = {
    [String(op.success.status)]: {
      description: op.success.description,
      content: { 'application/json': { schema: ref(op.success.schema) } },
    },
  };
  for (const status of errorStatuses(op)) {
    responses[String(status)] = {
      description: ERROR_DESCRIPTIONS[status] ?? 'Error',
      content: { 'application/json': { schema: ref('Error') } },
    };
  }
  const operation: JsonSchema = {
    operationId: `${op.method}${op.path.replace(/[{}]/g, '').replace(/[/-](\w)/g, (_m, c: string) => c.toUpperCase())}`,
    summary: op.summary,
    tags: [op.tag],
    parameters,
    responses,
  };
  if (op.auth === 'api_key') operation.security = [{ apiKey: [] }];
  if (op.auth === 'platform_key') operation.security = [{ platformKey: [] }];
  if (op.auth === 'none') operation.security = [];
  if (op.body) {
    operation.requestBody = {
      required: true,
      content: { 'application/json': { schema: ref(op.body) } },
    };
  }
  return operation;
}

export interface OpenApiOptions {
  version: string;
  /** Defaults to every operation; the app leaves out routes it did not mount. */
  operations?: readonly Operation[];
}

export function buildOpenApiDocument(options: OpenApiOptions): JsonSchema {
  const operations = options.operations ?? OPERATIONS;
  const paths: Record<string, JsonSchema> = {};
  for (const op of operations) {
    paths[op.path] = { ...(paths[op.path] ?? {}), [op.method]: operationObject(op) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Parley API',
      version: options.version,
      description:
        'Chat-first helpdesk. Errors: `{"error": {"code", "message", "details?"}}`. ' +
        'Lists: `{data, next_cursor}`; pass `cursor=<next_cursor>` for the next page.',
    },
    servers: [{ url: '/api/v1' }],
    security: [{ apiKey: [] }],
    tags: ['tenants', 'tickets', 'messages', 'customers', 'agents', 'sla'].map((name) => ({
      name,
    })),
    paths,
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'A tenant or agent API key.' },
        platformKey: { type: 'http', scheme: 'bearer', description: 'PLATFORM_API_KEY.' },
      },
      schemas: {
        ...componentSchemas(REQUEST_SCHEMAS, 'input'),
        ...componentSchemas(RESPONSE_SCHEMAS, 'output'),
      },
    },
  };
}

/** Serves the document, built once on first request. */
export function openApiHandler(options: OpenApiOptions): RequestHandler {
  let cached: string | null = null;
  return (req, res) => {
    labelRoute(req, res);
    cached ??= JSON.stringify(buildOpenApiDocument(options));
    res.type('application/json').send(cached);
  };
}
