/**
 * `GET /chat`: one self-contained, mobile-first chat page (inline CSS and JS, no external
 * resources) under a strict, per-response-nonce Content-Security-Policy.
 */
import { randomBytes } from 'node:crypto';
import { methodNotAllowed, type WebchatHandler } from './wire.js';
import { PAGE_SCRIPT } from './page-script.js';

export interface ChatPageOptions {
  /** Shown in the header and the tab (e.g. the brand); default: "Chat with us", localized. */
  title?: string;
  /** Where the JSON API is mounted. Default `/chat/api`. */
  apiPath?: string;
  /** Offer the photo button (uploads are on). */
  uploads?: boolean;
  maxUploadBytes?: number;
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join('; ');
}

const STYLE = `
*{box-sizing:border-box}
html,body{height:100%;margin:0}
body{font:16px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;background:#f4f5f7;color:#1c1e21}
.chat{display:flex;flex-direction:column;height:100vh;height:100dvh;max-width:40rem;margin:0 auto;background:#fff}
.bar{padding:.75rem 1rem;background:#1f6feb;color:#fff}
.bar h1{font-size:1.1rem;margin:0}
.status{margin:0;padding:.5rem 1rem;background:#fff8c5;color:#5c4400;font-size:.9rem}
.status[hidden]{display:none}
.log{flex:1;overflow-y:auto;list-style:none;margin:0;padding:1rem;display:flex;flex-direction:column;gap:.5rem}
.msg{max-width:85%;padding:.5rem .75rem;border-radius:1rem;overflow-wrap:anywhere}
.msg p{margin:0;white-space:pre-wrap}
.them{align-self:flex-start;background:#eef0f3;border-bottom-left-radius:.25rem}
.me{align-self:flex-end;background:#1f6feb;color:#fff;border-bottom-right-radius:.25rem}
.pending{opacity:.6}
.failed{background:#cf222e}
.chips{display:flex;flex-wrap:wrap;gap:.4rem;margin-top:.5rem}
.chips-label{width:100%;font-size:.85rem;opacity:.8}
.chip,.retry{font:inherit;font-size:.95rem;padding:.45rem .8rem;border-radius:1rem;border:1px solid #1f6feb;background:#fff;color:#1f6feb;cursor:pointer;text-align:left}
.chip small{display:block;font-size:.8rem;opacity:.8}
.chip:disabled{opacity:.45;cursor:default}
.retry{margin-top:.4rem;border-color:#fff;background:transparent;color:#fff}
.composer{display:flex;gap:.5rem;padding:.5rem;padding-bottom:max(.5rem,env(safe-area-inset-bottom));border-top:1px solid #d0d7de;align-items:flex-end}
.composer textarea{flex:1;font:inherit;resize:none;padding:.55rem .75rem;border:1px solid #d0d7de;border-radius:1.2rem;max-height:8rem}
.composer button{font:inherit;padding:.55rem 1rem;border:0;border-radius:1.2rem;background:#1f6feb;color:#fff;cursor:pointer}
.composer .attach{background:#eef0f3;color:#1c1e21}
[hidden]{display:none!important}
@media (prefers-color-scheme:dark){
body,.chat{background:#0d1117;color:#e6edf3}
.them{background:#21262d}
.chip{background:#0d1117}
.composer textarea{background:#0d1117;color:#e6edf3;border-color:#30363d}
.composer .attach{background:#21262d;color:#e6edf3}
}`;

export function renderChatPage(nonce: string, options: ChatPageOptions = {}): string {
  const title = options.title ? escapeHtml(options.title) : '';
  const api = escapeHtml(options.apiPath ?? '/chat/api');
  const uploads = options.uploads ? '1' : '0';
  const maxUpload = String(Math.max(0, Math.floor(options.maxUploadBytes ?? 0)));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="referrer" content="no-referrer">
<title>${title || 'Chat'}</title>
<style nonce="${nonce}">${STYLE}
</style>
</head>
<body data-api="${api}" data-uploads="${uploads}" data-max-upload="${maxUpload}">
<main class="chat">
<header class="bar"><h1 id="title">${title}</h1></header>
<p id="status" class="status" role="status" hidden></p>
<ol id="log" class="log" aria-live="polite"></ol>
<form id="composer" class="composer" action="#" autocomplete="off">
<button type="button" id="attach" class="attach" hidden></button>
<input type="file" id="file" accept="image/jpeg,image/png,image/webp,image/gif,image/heic,image/heif" hidden>
<textarea id="input" rows="1" maxlength="4000" aria-label="Message"></textarea>
<button type="submit" id="send">Send</button>
</form>
</main>
<script nonce="${nonce}">${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

export function createPageHandler(options: ChatPageOptions = {}): WebchatHandler {
  return async (req) => {
    const method = req.method.toUpperCase();
    if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed('GET, HEAD');
    const nonce = randomBytes(16).toString('base64');
    return {
      status: 200,
      body: method === 'HEAD' ? undefined : renderChatPage(nonce, options),
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': contentSecurityPolicy(nonce),
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
      },
    };
  };
}
