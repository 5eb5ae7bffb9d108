import { describe, expect, it } from 'vitest';
import { renderQrPage } from '../../../../adapters/whatsapp-web/qr-page.js';

const since = new Date('2026-01-01T00:00:00Z');

describe('renderQrPage', () => {
  it('shows the QR code escaped, refreshes, and has no scripts', () => {
    const html = renderQrPage({
      state: 'qr',
      qr: '2@<script>alert("x")</script>&,key==',
      since,
      detail: null,
    });
    expect(html).toContain('Waiting for a phone to link');
    expect(html).toContain('2@&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;,key==');
    expect(html).not.toContain('<script');
    expect(html).toContain('http-equiv="refresh"');
  });

  it('escapes the detail and says how to recover from a failure', () => {
    const html = renderQrPage({ state: 'auth_failure', qr: null, since, detail: '<b>bad</b>' });
    expect(html).toContain('&lt;b&gt;bad&lt;/b&gt;');
    expect(html).toContain('DATA_DIR');
    expect(html).not.toContain('http-equiv="refresh"');
    expect(html).not.toContain('<pre>');
  });

  it('shows a connected session and embeds a QR image when given one', () => {
    expect(renderQrPage({ state: 'ready', qr: null, since, detail: null })).toContain('Connected');
    const html = renderQrPage(
      { state: 'qr', qr: 'code', since, detail: null },
      { qrSvg: '<svg id="qr"></svg>' },
    );
    expect(html).toContain('<svg id="qr"></svg>');
  });
});
