/**
 * A thin typed fetch client for the Graph API (WhatsApp Cloud). The base URL includes the
 * version (`https://graph.facebook.com/v21.0`) and is configurable so tests point it at a fake.
 * Every call sends `Authorization: Bearer <token>`; failures become `ChannelApiError`s.
 */
import { graphApiError, localError } from './graph-errors.js';

export type FetchLike = typeof fetch;

export interface GraphClientOptions {
  baseUrl: string;
  token: string;
  fetch?: FetchLike;
  /** Per API call (default 30 s). */
  timeoutMs?: number;
  /** Per media download (default 120 s). */
  downloadTimeoutMs?: number;
  /** When a rate-limit answer carries no `Retry-After` (default 60 s). */
  defaultRetryAfterMs?: number;
}

export interface UploadFile {
  data: Buffer;
  mimeType: string;
  fileName: string;
}

export interface DownloadOptions {
  /** Checked for the URL and every redirect hop; a refused URL is never requested. */
  isAllowedUrl?: (url: URL) => boolean;
}

export interface Downloaded {
  data: Buffer;
  contentType: string | undefined;
}

export interface GraphClient {
  readonly baseUrl: string;
  post(path: string, json: unknown): Promise<unknown>;
  get(path: string): Promise<unknown>;
  /** Multipart `POST /{phone-number-id}/media`; resolves to the media id. */
  upload(phoneNumberId: string, file: UploadFile): Promise<string>;
  /** GET with the bearer token, reading no more than `maxBytes` (else `too_large`). */
  download(url: string, maxBytes: number, opts?: DownloadOptions): Promise<Downloaded>;
}

const MAX_REDIRECTS = 3;

export function createGraphClient(opts: GraphClientOptions): GraphClient {
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  const doFetch = opts.fetch ?? globalThis.fetch;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const downloadTimeoutMs = opts.downloadTimeoutMs ?? 120_000;
  const auth = { authorization: `Bearer ${opts.token}` };
  const retryDefault =
    opts.defaultRetryAfterMs !== undefined ? { defaultRetryAfterMs: opts.defaultRetryAfterMs } : {};
  const urlOf = (path: string) => `${baseUrl}/${path.replace(/^\/+/, '')}`;

  async function send(method: string, url: string, init: RequestInit, ms: number) {
    try {
      return await doFetch(url, { ...init, signal: AbortSignal.timeout(ms) });
    } catch (err) {
      const timedOut = err instanceof Error && err.name === 'TimeoutError';
      const reason = err instanceof Error ? err.message : String(err);
      throw localError(
        method,
        timedOut ? 'timeout' : 'network_error',
        `WhatsApp ${method}: ${reason}`,
        {
          permanent: false,
        },
      );
    }
  }

  async function call(method: string, path: string, init: RequestInit): Promise<unknown> {
    const label = `${method} ${path}`;
    const res = await send(label, urlOf(path), { ...init, method }, timeoutMs);
    const text = await res.text();
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      if (res.ok) {
        throw localError(label, 'invalid_response', `WhatsApp ${label}: response is not JSON`, {
          permanent: false,
        });
      }
    }
    if (!res.ok) {
      throw graphApiError({
        method: label,
        status: res.status,
        body: body ?? text,
        retryAfter: res.headers.get('retry-after'),
        ...retryDefault,
      });
    }
    return body;
  }

  async function download(rawUrl: string, maxBytes: number, dl: DownloadOptions = {}) {
    const label = 'GET media-download';
    let url = new URL(rawUrl);
    for (let hop = 0; ; hop += 1) {
      if (dl.isAllowedUrl && !dl.isAllowedUrl(url)) {
        throw localError(label, 'media_host_not_allowed', `media host ${url.host} is not allowed`, {
          permanent: true,
        });
      }
      const res = await send(
        label,
        url.href,
        { headers: auth, redirect: 'manual' },
        downloadTimeoutMs,
      );
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        await res.body?.cancel();
        if (hop >= MAX_REDIRECTS) {
          throw localError(label, 'too_many_redirects', 'media download redirected too often', {
            permanent: false,
          });
        }
        url = new URL(location, url);
        continue;
      }
      if (!res.ok) {
        const text = await res.text();
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not a Graph error body; keep the text
        }
        throw graphApiError({
          method: label,
          status: res.status,
          body,
          retryAfter: res.headers.get('retry-after'),
          ...retryDefault,
        });
      }
      const data = await readLimited(res, maxBytes, label);
      return { data, contentType: res.headers.get('content-type') ?? undefined };
    }
  }

  return {
    baseUrl,
    post: (path, json) =>
      call('POST', path, {
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify(json),
      }),
    get: (path) => call('GET', path, { headers: auth }),
    async upload(phoneNumberId, file) {
      const form = new FormData();
      form.append('messaging_product', 'whatsapp');
      form.append('type', file.mimeType);
      form.append('file', new Blob([file.data], { type: file.mimeType }), file.fileName);
      const path = `/${encodeURIComponent(phoneNumberId)}/media`;
      const body = await call('POST', path, { headers: auth, body: form });
      const id = (body as { id?: unknown } | undefined)?.id;
      if (typeof id !== 'string' || !id) {
        throw localError(`POST ${path}`, 'invalid_response', 'media upload returned no id', {
          permanent: false,
          payload: body,
        });
      }
      return id;
    },
    download,
  };
}

/** Reads a response body, refusing (and cancelling) once it passes `maxBytes`. */
async function readLimited(res: Response, maxBytes: number, label: string): Promise<Buffer> {
  const tooLarge = (size: number) =>
    localError(label, 'too_large', `media is larger than ${maxBytes} bytes (${size}+)`, {
      permanent: true,
    });
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel();
    throw tooLarge(declared);
  }
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(total);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks, total);
}
