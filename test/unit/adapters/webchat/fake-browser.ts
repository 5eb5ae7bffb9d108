/**
 * Just enough of a browser to run the chat page's own script in node:vm: a tiny DOM (the
 * elements the page looks up by id and the ones it creates), localStorage, and a `fetch` that
 * calls the channel's handlers the way express would.
 */
import { runInNewContext } from 'node:vm';
import type { WebchatChannel, WebchatRequest } from '../../../../adapters/webchat/index.js';

type Listener = (event: Record<string, unknown>) => void;

export class FakeElement {
  children: FakeElement[] = [];
  parent: FakeElement | undefined;
  className = '';
  hidden = false;
  disabled = false;
  value = '';
  placeholder = '';
  type = '';
  scrollTop = 0;
  scrollHeight = 0;
  files: unknown[] | null = null;
  private ownText = '';
  private listeners = new Map<string, Listener[]>();
  constructor(
    readonly tag: string,
    private attrs: Record<string, string> = {},
  ) {}
  get textContent(): string {
    return this.ownText + this.children.map((c) => c.textContent).join('');
  }
  set textContent(value: string) {
    this.ownText = String(value);
    this.children = [];
  }
  classList = {
    add: (name: string) => {
      if (!this.classList.contains(name)) this.className = `${this.className} ${name}`.trim();
    },
    remove: (name: string) => {
      this.className = this.className
        .split(' ')
        .filter((c) => c && c !== name)
        .join(' ');
    },
    contains: (name: string) => this.className.split(' ').includes(name),
  };
  getAttribute(name: string): string | null {
    return this.attrs[name] ?? null;
  }
  appendChild(child: FakeElement): FakeElement {
    child.parent = this;
    this.children.push(child);
    this.scrollHeight += 10;
    return child;
  }
  removeChild(child: FakeElement): FakeElement {
    this.children = this.children.filter((c) => c !== child);
    return child;
  }
  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  dispatch(type: string, event: Record<string, unknown> = {}): void {
    for (const listener of this.listeners.get(type) ?? [])
      listener({ preventDefault() {}, ...event });
  }
  click(): void {
    this.dispatch('click');
  }
  /** Descendants (depth first) matching a predicate. */
  find(predicate: (el: FakeElement) => boolean): FakeElement[] {
    return this.children.flatMap((c) => [...(predicate(c) ? [c] : []), ...c.find(predicate)]);
  }
}

function attributesOf(tag: string): Record<string, string> {
  return Object.fromEntries([...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
}

export interface LoadedPage {
  el(id: string): FakeElement;
  document: { documentElement: { lang: string } };
  history: { replaced: string[] };
  requests: { method: string; path: string; body: string }[];
  /** Stops the page: its pending and later requests never answer. */
  stop(): void;
}

export function loadPage(
  channel: WebchatChannel,
  html: string,
  browser: { storage: Map<string, string>; search?: string; languages?: string[] },
): LoadedPage {
  const script = /<script nonce="[^"]+">([\s\S]*?)<\/script>/.exec(html)![1]!;
  const body = new FakeElement('body', attributesOf(/<body([^>]*)>/.exec(html)![1]!));
  const elements = new Map<string, FakeElement>();
  const el = (id: string) => {
    if (!html.includes(`id="${id}"`)) throw new Error(`the page has no #${id}`);
    const tag = new RegExp(`<([a-z0-9]+)[^>]*\\bid="${id}"[^>]*>`).exec(html)!;
    if (!elements.has(id)) {
      const element = new FakeElement(tag[1]!, attributesOf(tag[0]));
      element.hidden = / hidden[ >]/.test(tag[0]);
      elements.set(id, element);
    }
    return elements.get(id)!;
  };
  const document = {
    body,
    documentElement: { lang: '' },
    getElementById: el,
    createElement: (tag: string) => new FakeElement(tag),
  };
  const history = {
    replaced: [] as string[],
    replaceState: (_s: unknown, _t: string, url: string) => void history.replaced.push(url),
  };
  const requests: LoadedPage['requests'] = [];
  let stopped = false;
  const languages = browser.languages ?? ['en-US'];

  async function fetchLike(
    url: string,
    init: {
      method: string;
      headers: Record<string, string>;
      body?: string | Blob;
      signal?: AbortSignal;
    },
  ) {
    if (stopped) return new Promise<never>(() => undefined);
    const parsed = new URL(url, 'http://parley.test');
    const route = channel.routes.find(
      (r) => r.path === parsed.pathname && r.method === init.method,
    );
    if (!route) return new Response('{}', { status: 404 });
    const raw =
      typeof init.body === 'string'
        ? Buffer.from(init.body)
        : init.body
          ? Buffer.from(await init.body.arrayBuffer())
          : Buffer.alloc(0);
    requests.push({
      method: init.method,
      path: parsed.pathname + parsed.search,
      body: raw.toString('utf8'),
    });
    const headers: WebchatRequest['headers'] = { 'accept-language': `${languages[0]},en;q=0.5` };
    for (const [k, v] of Object.entries(init.headers)) headers[k.toLowerCase()] = v;
    const res = await route.handler({
      method: init.method,
      headers,
      rawBody: raw,
      query: Object.fromEntries(parsed.searchParams),
      ...(init.signal ? { signal: init.signal } : {}),
    });
    if (stopped) return new Promise<never>(() => undefined);
    return new Response(res.body === undefined ? null : JSON.stringify(res.body), {
      status: res.status,
    });
  }

  const storage = browser.storage;
  runInNewContext(script, {
    document,
    window: { addEventListener: () => undefined },
    navigator: { languages, language: languages[0], onLine: true },
    location: { search: browser.search ?? '', pathname: '/chat' },
    history,
    localStorage: {
      getItem: (k: string) => storage.get(k) ?? null,
      setItem: (k: string, v: string) => void storage.set(k, String(v)),
      removeItem: (k: string) => void storage.delete(k),
    },
    crypto: globalThis.crypto,
    fetch: fetchLike,
    Blob,
    AbortController,
    URLSearchParams,
    setTimeout,
    clearTimeout,
  });
  return { el, document, history, requests, stop: () => void (stopped = true) };
}

export async function until(check: () => boolean, ms = 3_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the page');
    await new Promise((r) => setTimeout(r, 5));
  }
}
