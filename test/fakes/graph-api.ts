/**
 * A local fake of the Graph API (WhatsApp Cloud) speaking its wire format, for adapter tests:
 *  - `POST /{phone-number-id}/messages` → `{messaging_product, contacts, messages: [{id: 'wamid.<n>'}]}`;
 *  - `POST /{phone-number-id}/media` (multipart) → `{id}` (the upload can then be fetched);
 *  - `GET /{media-id}` → `{url, mime_type, sha256, file_size (a string), id}`, url on this server;
 *  - `GET /media-download/{id}` (that url) → the bytes.
 * Every call needs `Authorization: Bearer <token>` (else a 401 Graph error, code 190).
 * Every request is recorded; `script()` queues canned answers (rate limits, 5xx, 131047…).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { applyTransportFault, type FaultKind, type FaultPlan } from './fault-plan.js';

export type FakeGraphRoute = 'messages' | 'media-upload' | 'media-info' | 'media-download';

export interface RecordedGraphRequest {
  method: string;
  /** Path without the version prefix, e.g. `/100000000000002/messages`. */
  path: string;
  route: FakeGraphRoute | 'unknown';
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** Parsed JSON body, when it was JSON. */
  json?: unknown;
  /** Parsed multipart body, for uploads. */
  form?: { fields: Record<string, string>; file?: { name: string; type: string; data: Buffer } };
  /** When the request had been read (ms since the epoch). */
  at: number;
  /** Set when the fault plan failed this request (nothing was sent). */
  fault?: FaultKind;
  /** The Retry-After (seconds) of an injected 429. */
  retryAfterSeconds?: number;
}

export interface FakeGraphResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FakeMedia {
  bytes: Buffer;
  mimeType: string;
  /** What `GET /{media-id}` reports (default: the real length, as a string). */
  fileSize?: string | number;
  /** What `GET /{media-id}` reports as url (default: this server's download url). */
  url?: string;
  /** Stream the bytes without a Content-Length header. */
  omitLength?: boolean;
}

export interface FakeGraph {
  /** Base URL with the version, e.g. `http://127.0.0.1:4321/v21.0`. */
  baseUrl: string;
  origin: string;
  requests: RecordedGraphRequest[];
  /** Queue answers for the next calls to a route kind or an exact path (tried first). */
  script(pathOrRoute: FakeGraphRoute | string, responses: FakeGraphResponse[]): void;
  setMedia(id: string, media: FakeMedia): void;
  /** JSON bodies posted to `/messages`, in order. */
  sentMessages(): Record<string, unknown>[];
  close(): Promise<void>;
}

/** A Graph error answer: `{error: {message, type, code, error_subcode?, fbtrace_id}}`. */
export function graphError(
  code: number,
  opts: { status?: number; message?: string; subcode?: number; retryAfter?: string } = {},
): FakeGraphResponse {
  return {
    status: opts.status ?? 400,
    body: {
      error: {
        message: opts.message ?? `fake error ${code}`,
        type: 'OAuthException',
        code,
        ...(opts.subcode !== undefined ? { error_subcode: opts.subcode } : {}),
        fbtrace_id: 'FakeTrace0001',
      },
    },
    ...(opts.retryAfter !== undefined ? { headers: { 'retry-after': opts.retryAfter } } : {}),
  };
}

function routeOf(method: string, path: string): FakeGraphRoute | 'unknown' {
  if (method === 'POST' && /^\/[^/]+\/messages$/.test(path)) return 'messages';
  if (method === 'POST' && /^\/[^/]+\/media$/.test(path)) return 'media-upload';
  if (method === 'GET' && /^\/media-download\/[^/]+$/.test(path)) return 'media-download';
  if (method === 'GET' && /^\/[^/]+$/.test(path)) return 'media-info';
  return 'unknown';
}

function sendJson(res: ServerResponse, r: FakeGraphResponse): void {
  const body = Buffer.from(JSON.stringify(r.body ?? {}));
  res.writeHead(r.status, { 'content-type': 'application/json', ...r.headers });
  res.end(body);
}

async function parseForm(raw: Buffer, contentType: string): Promise<RecordedGraphRequest['form']> {
  const data = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  const fields: Record<string, string> = {};
  let file: { name: string; type: string; data: Buffer } | undefined;
  for (const [key, value] of data) {
    if (typeof value === 'string') fields[key] = value;
    else
      file = { name: value.name, type: value.type, data: Buffer.from(await value.arrayBuffer()) };
  }
  return { fields, ...(file ? { file } : {}) };
}

export async function startFakeGraph(opts: {
  token: string;
  version?: string;
  /** Injected failures (429, 5xx, hangs, dropped connections) for authorised calls. */
  faults?: FaultPlan;
}): Promise<FakeGraph> {
  const prefix = `/${opts.version ?? 'v21.0'}`;
  const requests: RecordedGraphRequest[] = [];
  const scripts = new Map<string, FakeGraphResponse[]>();
  const media = new Map<string, FakeMedia>();
  let messageCounter = 0;
  let uploadCounter = 0;
  let origin = '';

  function defaultAnswer(req: RecordedGraphRequest, res: ServerResponse): void {
    if (req.route === 'messages') {
      messageCounter += 1;
      const to = String((req.json as { to?: unknown } | undefined)?.to ?? '');
      return sendJson(res, {
        status: 200,
        body: {
          messaging_product: 'whatsapp',
          contacts: [{ input: to, wa_id: to }],
          messages: [{ id: `wamid.${messageCounter}` }],
        },
      });
    }
    if (req.route === 'media-upload') {
      const file = req.form?.file;
      if (!file || req.form?.fields.messaging_product !== 'whatsapp') {
        return sendJson(res, graphError(100, { message: 'Invalid parameter' }));
      }
      uploadCounter += 1;
      const id = `media.${uploadCounter}`;
      media.set(id, { bytes: file.data, mimeType: file.type });
      return sendJson(res, { status: 200, body: { id } });
    }
    const id = decodeURIComponent(req.path.split('/').pop() ?? '');
    const item = media.get(id);
    if (!item)
      return sendJson(res, graphError(100, { message: 'Unsupported get request.', subcode: 33 }));
    if (req.route === 'media-info') {
      return sendJson(res, {
        status: 200,
        body: {
          messaging_product: 'whatsapp',
          url: item.url ?? `${origin}/media-download/${encodeURIComponent(id)}`,
          mime_type: item.mimeType,
          sha256: createHash('sha256').update(item.bytes).digest('hex'),
          file_size: item.fileSize ?? String(item.bytes.length),
          id,
        },
      });
    }
    if (item.omitLength) {
      res.writeHead(200, { 'content-type': item.mimeType, 'transfer-encoding': 'chunked' });
      const half = Math.ceil(item.bytes.length / 2);
      res.write(item.bytes.subarray(0, half));
      res.end(item.bytes.subarray(half));
      return;
    }
    res.writeHead(200, { 'content-type': item.mimeType, 'content-length': item.bytes.length });
    res.end(item.bytes);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', origin);
        const method = req.method ?? 'GET';
        const path = url.pathname.startsWith(`${prefix}/`)
          ? url.pathname.slice(prefix.length)
          : url.pathname;
        const rawBody = Buffer.concat(chunks);
        const contentType = req.headers['content-type'] ?? '';
        const recorded: RecordedGraphRequest = {
          method,
          path,
          route: routeOf(method, path),
          query: Object.fromEntries(url.searchParams),
          headers: req.headers,
          rawBody,
          at: Date.now(),
        };
        if (contentType.startsWith('application/json')) {
          try {
            recorded.json = JSON.parse(rawBody.toString('utf8'));
          } catch {
            // recorded raw only
          }
        } else if (contentType.startsWith('multipart/form-data')) {
          recorded.form = await parseForm(rawBody, contentType);
        }
        requests.push(recorded);

        if (req.headers.authorization !== `Bearer ${opts.token}`) {
          return sendJson(
            res,
            graphError(190, { status: 401, message: 'Invalid OAuth access token.' }),
          );
        }
        const fault = opts.faults?.decide(recorded.route);
        if (fault) {
          recorded.fault = fault.kind;
          if (applyTransportFault(fault, req, res)) return;
          if (fault.kind === 'rate_limited') {
            recorded.retryAfterSeconds = fault.retryAfterSeconds;
            return sendJson(
              res,
              graphError(130429, {
                status: 429,
                message: 'Rate limit hit',
                retryAfter: String(fault.retryAfterSeconds),
              }),
            );
          }
          const status = fault.kind === 'server_error' ? fault.status : 500;
          return sendJson(
            res,
            graphError(2, { status, message: 'Service temporarily unavailable' }),
          );
        }
        const queue = scripts.get(path)?.length ? scripts.get(path) : scripts.get(recorded.route);
        const scripted = queue?.shift();
        if (scripted) return sendJson(res, scripted);
        if (recorded.route === 'unknown') {
          return sendJson(res, graphError(100, { status: 404, message: 'Unknown path' }));
        }
        defaultAnswer(recorded, res);
      })().catch((err: unknown) => {
        res.writeHead(500).end(String(err));
      });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    baseUrl: `${origin}${prefix}`,
    origin,
    requests,
    script(pathOrRoute, responses) {
      scripts.set(pathOrRoute, [...(scripts.get(pathOrRoute) ?? []), ...responses]);
    },
    setMedia(id, item) {
      media.set(id, item);
    },
    sentMessages: () =>
      requests.filter((r) => r.route === 'messages').map((r) => r.json as Record<string, unknown>),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
