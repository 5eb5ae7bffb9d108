/**
 * A `fetch` for Parley's platform clients that records every Slack Web API call it makes:
 * when it started and finished (`performance.now()`), the method from the URL path, the
 * `channel`/`ts`/`thread_ts` of its JSON or form body, and the HTTP status.
 */

export interface SlackCall {
  method: string;
  channel: string | undefined;
  ts: string | undefined;
  threadTs: string | undefined;
  startedAt: number;
  /** When the answer arrived (NaN if the call threw). */
  endedAt: number;
  status: number;
}

export interface SlackRecorder {
  fetch: typeof globalThis.fetch;
  calls: SlackCall[];
}

function bodyText(body: unknown): string | undefined {
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  if (body instanceof ArrayBuffer) return Buffer.from(body).toString('utf8');
  return undefined;
}

function bodyParams(text: string | undefined): Record<string, unknown> {
  if (!text) return {};
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    try {
      return JSON.parse(trimmed) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** Calls to URLs under `apiUrl` are recorded; everything else (Telegram) passes through. */
export function slackRecorder(apiUrl: string, inner = globalThis.fetch): SlackRecorder {
  const calls: SlackCall[] = [];
  const wrapped = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith(apiUrl)) return inner(input, init);
    let text = bodyText(init?.body);
    if (text === undefined && input instanceof Request) text = await input.clone().text();
    const params = bodyParams(text);
    const call: SlackCall = {
      method: new URL(url).pathname.replace(/^\/api\//, ''),
      channel: str(params.channel),
      ts: str(params.ts),
      threadTs: str(params.thread_ts),
      startedAt: performance.now(),
      endedAt: Number.NaN,
      status: 0,
    };
    calls.push(call);
    const res = await inner(input, init);
    call.endedAt = performance.now();
    call.status = res.status;
    return res;
  };
  return { fetch: wrapped as typeof globalThis.fetch, calls };
}
