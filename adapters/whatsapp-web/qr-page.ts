/** The admin page that shows the session state and, while linking, the QR code. No scripts. */
import type { WhatsAppWebStatus } from './status.js';

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STATE_TEXT: Record<WhatsAppWebStatus['state'], string> = {
  starting: 'Starting the browser session…',
  qr: 'Waiting for a phone to link',
  ready: 'Connected',
  disconnected: 'Disconnected',
  auth_failure: 'Authentication failed',
};

export interface QrPageOptions {
  title?: string;
  /**
   * Trusted SVG markup of the QR image, made from `status.qr` by a QR encoder; inserted as is.
   * Without it the page shows the raw code.
   */
  qrSvg?: string;
  /** Seconds between automatic reloads while starting or linking. Default 5. */
  refreshSeconds?: number;
}

export function renderQrPage(status: WhatsAppWebStatus, options: QrPageOptions = {}): string {
  const title = escapeHtml(options.title ?? 'Parley · WhatsApp Web');
  const waiting = status.state === 'starting' || status.state === 'qr';
  const refresh = waiting
    ? `<meta http-equiv="refresh" content="${Math.max(1, Math.floor(options.refreshSeconds ?? 5))}">`
    : '';
  const detail = status.detail ? `<p class="detail">${escapeHtml(status.detail)}</p>` : '';
  const qr = status.qr ? qrSection(status.qr, options.qrSvg) : '';
  const hint =
    status.state === 'auth_failure' || status.state === 'disconnected'
      ? '<p>Restart Parley to get a new QR code. If it keeps failing, remove the WhatsApp Web session folder under <code>DATA_DIR</code> and link again.</p>'
      : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${refresh}
<title>${title}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }
.state { font-size: 1.25rem; font-weight: 600; }
.state-ready { color: #1a7f37; } .state-qr, .state-starting { color: #9a6700; }
.state-disconnected, .state-auth_failure { color: #cf222e; }
pre { white-space: pre-wrap; word-break: break-all; background: #f6f8fa; padding: 1rem; }
.qr svg { width: 18rem; height: 18rem; }
</style>
</head>
<body>
<h1>${title}</h1>
<p class="state state-${status.state}">${escapeHtml(STATE_TEXT[status.state])}</p>
<p>Since <time datetime="${status.since.toISOString()}">${status.since.toISOString()}</time></p>
${detail}
${qr}
${hint}
</body>
</html>
`;
}

function qrSection(code: string, svg: string | undefined): string {
  const image = svg ? `<div class="qr">${svg}</div>` : '';
  return `<section>
<h2>Link a phone</h2>
<p>On the shop's phone: WhatsApp › Settings › Linked devices › Link a device, then scan the code.</p>
${image}
<p>The code${svg ? '' : ' (render it with any QR tool, e.g. <code>npx qrcode-terminal "&lt;code&gt;"</code>)'}; it changes every few seconds and is also in the server log:</p>
<pre>${escapeHtml(code)}</pre>
</section>`;
}
