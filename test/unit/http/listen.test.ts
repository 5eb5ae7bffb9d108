import express from 'express';
import { describe, expect, it } from 'vitest';
import { startHttpServer } from '../../../src/http/listen.js';

describe('startHttpServer', () => {
  it('reports its URL and, on close, finishes in-flight requests then stops', async () => {
    const app = express();
    let release: () => void = () => {};
    app.get('/slow', (_req, res) => {
      release = () => res.json({ done: true });
    });
    app.get('/fast', (_req, res) => {
      res.json({ ok: true });
    });
    const running = await startHttpServer(app, 0, '127.0.0.1');
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    // A keep-alive connection that is idle must not hold up the close.
    expect((await fetch(`${running.url}/fast`)).status).toBe(200);

    const slow = fetch(`${running.url}/slow`);
    await new Promise((r) => setTimeout(r, 50));
    const closed = running.close();
    let closedYet = false;
    void closed.then(() => (closedYet = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(closedYet).toBe(false);
    release();
    expect(await (await slow).json()).toEqual({ done: true });
    await closed;
    await expect(fetch(`${running.url}/fast`)).rejects.toThrow();
  });

  it('destroys connections still busy after the drain timeout', async () => {
    const app = express();
    app.get('/hang', () => {
      /* never answers */
    });
    const running = await startHttpServer(app, 0, '127.0.0.1', { drainTimeoutMs: 100 });
    const hanging = fetch(`${running.url}/hang`).catch((err: unknown) => err);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await running.close();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await hanging).toBeInstanceOf(Error);
  });
});
