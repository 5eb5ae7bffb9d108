/** `GET /`: a small HTML page: what is running, which channels are on or off and why, links. */
import type { RequestHandler } from 'express';
import { labelRoute } from './api-route.js';

export interface ChannelStatus {
  name: string;
  enabled: boolean;
  /** Why it is off (missing credentials…) or how it runs (webhook, polling…). */
  reason: string;
}

export interface LandingOptions {
  version: string;
  channels: readonly ChannelStatus[];
}

/** Channels may be a list or a function, for states that change while running. */
export type ChannelSource = readonly ChannelStatus[] | (() => readonly ChannelStatus[]);

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

export const LANDING_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; " +
  "form-action 'none'; frame-ancestors 'none'";

const STYLE = `
body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;color:#1f2328}
h1{font-size:1.6rem;margin-bottom:.25rem}.muted{color:#59636e}
table{border-collapse:collapse;width:100%;margin:1rem 0}
td,th{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #d1d9e0}
.on{color:#1a7f37;font-weight:600}.off{color:#cf222e;font-weight:600}
a{color:#0969da}`;

export function renderLanding(options: LandingOptions): string {
  const rows = options.channels
    .map(
      (c) =>
        `<tr><td>${escapeHtml(c.name)}</td>` +
        `<td class="${c.enabled ? 'on' : 'off'}">${c.enabled ? 'on' : 'off'}</td>` +
        `<td>${escapeHtml(c.reason)}</td></tr>`,
    )
    .join('\n');
  const channels =
    options.channels.length > 0
      ? `<table><thead><tr><th>Channel</th><th>State</th><th>Why</th></tr></thead>\n<tbody>${rows}</tbody></table>`
      : '<p class="muted">No channels are configured.</p>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Parley</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Parley</h1>
<p class="muted">Chat-first helpdesk · version ${escapeHtml(options.version)}</p>
<h2>Channels</h2>
${channels}
<h2>Links</h2>
<ul>
${options.channels.some((c) => c.name === 'webchat' && c.enabled) ? '<li><a href="/chat">Web chat</a></li>\n' : ''}<li><a href="/api/v1/openapi.json">API documentation (OpenAPI 3.1)</a></li>
<li><a href="/readyz">Readiness</a> · <a href="/metrics">Metrics</a></li>
</ul>
</body>
</html>
`;
}

export function landingHandler(version: string, channels: ChannelSource): RequestHandler {
  return (req, res) => {
    const html = renderLanding({
      version,
      channels: typeof channels === 'function' ? channels() : channels,
    });
    labelRoute(req, res);
    res.setHeader('Content-Security-Policy', LANDING_CSP);
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(html);
  };
}
