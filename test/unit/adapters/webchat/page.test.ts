import { describe, expect, it } from 'vitest';
import { Script } from 'node:vm';
import { PAGE_SCRIPT, scriptJson } from '../../../../adapters/webchat/page-script.js';
import { PAGE_STRINGS } from '../../../../adapters/webchat/page-strings.js';
import { request, setup } from './support.js';

async function getPage(options: Parameters<typeof setup>[0] = {}) {
  const res = await setup(options).channel.page(request('GET'));
  return { res, html: res.body as string, headers: res.headers! };
}

describe('GET /chat', () => {
  it('sends strict headers with a fresh nonce on every script and style tag', async () => {
    const { res, html, headers } = await getPage();
    expect(res.status).toBe(200);
    expect(headers['content-type']).toBe('text/html; charset=utf-8');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('no-referrer');
    const nonce = /script-src 'nonce-([A-Za-z0-9+/=]+)'/.exec(
      headers['content-security-policy']!,
    )![1]!;
    expect(headers['content-security-policy']).toBe(
      `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'self'`,
    );
    const tags = html.match(/<(script|style)\b[^>]*>/g)!;
    expect(tags).toHaveLength(2);
    for (const tag of tags) expect(tag).toContain(`nonce="${nonce}"`);
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).not.toMatch(/\son[a-z]+=/);
    const second = await getPage();
    expect(second.headers['content-security-policy']).not.toContain(nonce);
  });

  it('loads nothing from elsewhere and never uses innerHTML', async () => {
    const { html } = await getPage();
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/\b(src|href)=/);
    expect(html).not.toContain('@import');
    expect(html).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
    expect(html).toContain('data-api="/chat/api"');
  });

  it('has a valid script with strings for en, hi, id, zh and es', () => {
    expect(() => new Script(PAGE_SCRIPT)).not.toThrow();
    expect(Object.keys(PAGE_STRINGS).sort()).toEqual(['en', 'es', 'hi', 'id', 'zh']);
    const keys = Object.keys(PAGE_STRINGS.en).sort();
    for (const strings of Object.values(PAGE_STRINGS))
      expect(Object.keys(strings).sort()).toEqual(keys);
    expect(scriptJson({ a: '</script><b>' })).toBe('{"a":"\\u003c/script>\\u003cb>"}');
  });

  it('escapes the title, shows the photo button only with uploads, and answers HEAD', async () => {
    const { html } = await getPage({ title: '<Acme & "Co">' });
    expect(html).toContain('<h1 id="title">&lt;Acme &amp; &quot;Co&quot;&gt;</h1>');
    expect(html).toContain('data-uploads="0"');
    const withUploads = await getPage({ onUpload: async () => 'u', maxUploadBytes: 2048 });
    expect(withUploads.html).toContain('data-uploads="1" data-max-upload="2048"');
    const head = await setup().channel.page(request('HEAD'));
    expect(head.status).toBe(200);
    expect(head.body).toBeUndefined();
    expect((await setup().channel.page(request('POST'))).status).toBe(405);
  });
});
