/**
 * A fake Telegram Bot API server on 127.0.0.1 for tests: point grammY at `apiRoot`.
 * It records every call, answers the methods Parley uses the way Telegram does (message ids
 * count up per chat, `getUpdates` long-polls, `getUpdates` answers 409 while a webhook is set),
 * serves files set with `setFile`, and can be scripted to fail (429 with retry_after, 403, 5xx,
 * a dropped connection).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { applyTransportFault, type FaultKind, type FaultPlan } from './fault-plan.js';
import { parseMultipart, type FakeUpload } from './telegram-multipart.js';

export type { FakeUpload } from './telegram-multipart.js';

export interface FakeTelegramRequest {
  method: string;
  /** JSON fields as sent; for multipart, files appear as `FakeUpload` under their field. */
  body: Record<string, unknown>;
  /** When the request had been read (ms since the epoch). */
  at: number;
  /** Set when the fault plan failed this request (nothing was sent). */
  fault?: FaultKind;
  /** The retry_after (seconds) of an injected 429. */
  retryAfterSeconds?: number;
}

export type ScriptedResponse =
  | { ok: false; error_code: number; description: string; parameters?: { retry_after?: number } }
  | { ok: true; result: unknown }
  | { dropConnection: true };

export interface FakeFileOptions {
  path: string;
  bytes: Buffer;
  /** Whether getFile reports `file_size` (default true). */
  reportSize?: boolean;
  /** Send the download without Content-Length, in 64 KiB chunks (default false). */
  chunked?: boolean;
}

export interface FakeDownload {
  path: string;
  /** False when the client hung up before the whole file was written. */
  completed: boolean;
}

export interface FakeTelegram {
  apiRoot: string;
  requests: FakeTelegramRequest[];
  downloads: FakeDownload[];
  /** The webhook registered with setWebhook (cleared by deleteWebhook). */
  webhook: Record<string, unknown> | undefined;
  calls(method: string): FakeTelegramRequest[];
  /** The next calls of `method` get these answers, in order, before normal behaviour resumes. */
  script(method: string, responses: ScriptedResponse[]): void;
  setFile(fileId: string, file: FakeFileOptions): void;
  /** Queues updates for getUpdates (update_id assigned when missing). */
  queueUpdates(...updates: Record<string, unknown>[]): void;
  close(): Promise<void>;
}

export const tooManyRequests = (retryAfter: number): ScriptedResponse => ({
  ok: false,
  error_code: 429,
  description: `Too Many Requests: retry after ${retryAfter}`,
  parameters: { retry_after: retryAfter },
});

export const apiError = (error_code: number, description: string): ScriptedResponse => ({
  ok: false,
  error_code,
  description,
});

const SEND_METHODS = new Set([
  'sendMessage',
  'sendPhoto',
  'sendDocument',
  'sendVoice',
  'sendVideo',
  'sendAudio',
  'sendSticker',
]);

export async function startFakeTelegram(opts: {
  token: string;
  /** Longest a getUpdates call is held open when nothing is queued (default 5 s). */
  maxLongPollMs?: number;
  /** Injected failures (429, 5xx, hangs, dropped connections) for authorised calls. */
  faults?: FaultPlan;
}): Promise<FakeTelegram> {
  const requests: FakeTelegramRequest[] = [];
  const downloads: FakeDownload[] = [];
  const scripts = new Map<string, ScriptedResponse[]>();
  const files = new Map<string, FakeFileOptions>();
  const nextMessageId = new Map<string, number>();
  const updates: Record<string, unknown>[] = [];
  let nextUpdateId = 1;
  let waiters: (() => void)[] = [];
  const state = { webhook: undefined as Record<string, unknown> | undefined };

  const wake = () => {
    const pending = waiters;
    waiters = [];
    pending.forEach((resolve) => resolve());
  };

  async function getUpdates(body: Record<string, unknown>): Promise<unknown> {
    const offset = Number(body.offset ?? 0);
    // Asking with an offset confirms (forgets) every earlier update, as Telegram does.
    while (updates.length > 0 && Number(updates[0]!.update_id) < offset) updates.shift();
    if (updates.length === 0) {
      const waitMs = Math.min(Number(body.timeout ?? 0) * 1000, opts.maxLongPollMs ?? 5000);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        waiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
    return updates.slice(0, Number(body.limit ?? 100));
  }

  function message(method: string, body: Record<string, unknown>): unknown {
    const chatKey = String(body.chat_id);
    const id = (nextMessageId.get(chatKey) ?? 0) + 1;
    nextMessageId.set(chatKey, id);
    const chatId = /^-?\d+$/.test(chatKey) ? Number(chatKey) : chatKey;
    const content = method === 'sendMessage' ? { text: body.text } : { caption: body.caption };
    return {
      message_id: id,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: 'private' },
      ...content,
    };
  }

  async function answer(method: string, body: Record<string, unknown>): Promise<ScriptedResponse> {
    if (SEND_METHODS.has(method)) return { ok: true, result: message(method, body) };
    switch (method) {
      case 'getMe':
        return {
          ok: true,
          result: { id: 7000000001, is_bot: true, first_name: 'Fake Bot', username: 'fake_bot' },
        };
      case 'answerCallbackQuery':
        return { ok: true, result: true };
      case 'setWebhook':
        state.webhook = body;
        return { ok: true, result: true };
      case 'deleteWebhook':
        state.webhook = undefined;
        return { ok: true, result: true };
      case 'getUpdates':
        if (state.webhook) {
          return apiError(
            409,
            "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
          );
        }
        return { ok: true, result: await getUpdates(body) };
      case 'getFile': {
        const fileId = String(body.file_id);
        const file = files.get(fileId);
        if (!file) return apiError(400, 'Bad Request: invalid file_id');
        const size = file.reportSize === false ? {} : { file_size: file.bytes.length };
        return {
          ok: true,
          result: { file_id: fileId, file_unique_id: `u-${fileId}`, ...size, file_path: file.path },
        };
      }
      default:
        return apiError(404, 'Not Found');
    }
  }

  function serveFile(path: string, res: http.ServerResponse): void {
    const file = [...files.values()].find((f) => f.path === path);
    if (!file) return void res.writeHead(404).end();
    const record: FakeDownload = { path, completed: false };
    downloads.push(record);
    res.on('finish', () => (record.completed = true));
    if (!file.chunked) {
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': file.bytes.length,
      });
      return void res.end(file.bytes);
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    let offset = 0;
    const pump = () => {
      while (offset < file.bytes.length && !res.destroyed) {
        const chunk = file.bytes.subarray(offset, offset + 65536);
        offset += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    pump();
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const url = new URL(req.url ?? '/', 'http://fake');
      const fileMatch = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
      if (fileMatch) {
        if (fileMatch[1] !== opts.token) return void res.writeHead(404).end();
        return serveFile(decodeURIComponent(fileMatch[2]!), res);
      }
      const match = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
      const method = match?.[2] ?? '';
      const body = {
        ...Object.fromEntries(url.searchParams),
        ...parseBody(Buffer.concat(chunks), req.headers['content-type']),
      };
      const request: FakeTelegramRequest = { method, body, at: Date.now() };
      requests.push(request);
      const authorised = match !== null && match[1] === opts.token;
      const fault = authorised ? opts.faults?.decide(method) : undefined;
      if (fault) {
        request.fault = fault.kind;
        if (applyTransportFault(fault, req, res)) return;
        if (fault.kind === 'rate_limited') request.retryAfterSeconds = fault.retryAfterSeconds;
        const status = fault.kind === 'server_error' ? fault.status : 429;
        const failed =
          fault.kind === 'rate_limited'
            ? tooManyRequests(fault.retryAfterSeconds)
            : apiError(status, 'Bad Gateway');
        return void res
          .writeHead(status, { 'content-type': 'application/json' })
          .end(JSON.stringify(failed));
      }
      let response: ScriptedResponse;
      if (!authorised) response = apiError(match ? 401 : 404, match ? 'Unauthorized' : 'Not Found');
      else response = scripts.get(method)?.shift() ?? (await answer(method, body));
      if ('dropConnection' in response) return void req.socket.destroy();
      const status = response.ok ? 200 : response.error_code;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(response));
    })().catch((err: unknown) => res.writeHead(500).end(String(err)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    requests,
    downloads,
    get webhook() {
      return state.webhook;
    },
    calls: (method) => requests.filter((r) => r.method === method),
    script: (method, responses) =>
      scripts.set(method, [...(scripts.get(method) ?? []), ...responses]),
    setFile: (fileId, file) => void files.set(fileId, file),
    queueUpdates(...queued) {
      for (const update of queued) {
        const id = typeof update.update_id === 'number' ? update.update_id : nextUpdateId;
        nextUpdateId = Math.max(nextUpdateId, id + 1);
        updates.push({ ...update, update_id: id });
      }
      updates.sort((a, b) => Number(a.update_id) - Number(b.update_id)); // Telegram serves in order
      wake();
    },
    async close() {
      wake();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** JSON or grammY's multipart; multipart `attach://` references are replaced by the file. */
function parseBody(raw: Buffer, contentType: string | undefined): Record<string, unknown> {
  if (raw.length === 0) return {};
  if (contentType?.startsWith('multipart/form-data')) {
    const parts = parseMultipart(raw, contentType);
    const body: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(parts)) {
      if (typeof value !== 'string') continue; // files are reached through attach://
      const attached = /^attach:\/\/(.+)$/.exec(value)?.[1];
      body[key] = attached ? (parts[attached] as FakeUpload | undefined) : parseField(value);
    }
    return body;
  }
  return JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
}

function parseField(value: string): unknown {
  if (!/^[[{]/.test(value)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
