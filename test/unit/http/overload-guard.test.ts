import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { createOverloadGuard } from '../../../src/http/overload-guard.js';

/** Just enough of express's response for the guard: status, headers, JSON, close. */
function fakeResponse() {
  const listeners: Array<() => void> = [];
  const res = {
    statusCode: 200,
    headers: {} as Record<string, string>,
    body: undefined as unknown,
    setHeader(name: string, value: string) {
      res.headers[name.toLowerCase()] = value;
    },
    status(code: number) {
      res.statusCode = code;
      return res;
    },
    json(body: unknown) {
      res.body = body;
      return res;
    },
    once(_event: 'close', fn: () => void) {
      listeners.push(fn);
    },
    close: () => listeners.forEach((fn) => fn()),
  };
  return res;
}

function call(guard: ReturnType<typeof createOverloadGuard>) {
  const res = fakeResponse();
  let passed = false;
  guard.middleware({} as Request, res as unknown as Response, () => (passed = true));
  return { res, passed };
}

const busy = (ms: number) => {
  const until = Date.now() + ms;
  while (Date.now() < until);
};
const tick = () => new Promise((r) => setTimeout(r, 12));

describe('overload guard', () => {
  it('admits up to maxInFlight requests and frees a slot when a response closes', () => {
    const guard = createOverloadGuard({ maxInFlight: 2, maxEventLoopDelayMs: 0 });
    const a = call(guard);
    const b = call(guard);
    const c = call(guard);
    expect([a.passed, b.passed, c.passed]).toEqual([true, true, false]);
    expect(c.res.statusCode).toBe(503);
    expect(c.res.headers['retry-after']).toBe('1');
    expect(c.res.body).toMatchObject({ error: { code: 'overloaded' } });
    a.res.close();
    a.res.close(); // counted once
    expect(call(guard).passed).toBe(true);
    expect(guard.stats()).toMatchObject({ inFlight: 2, shed: 1 });
  });

  it('sheds while the event loop runs late, and stops once it has caught up', async () => {
    const guard = createOverloadGuard({ maxInFlight: 0, maxEventLoopDelayMs: 100, windowMs: 300 });
    for (let t = Date.now(); Date.now() - t < 700;) {
      busy(160); // a saturated loop: every timer fires ~160 ms late
      await tick();
    }
    expect(call(guard).passed).toBe(false);
    expect(guard.stats().eventLoopDelayMs).toBeGreaterThan(100);
    for (let t = Date.now(); Date.now() - t < 400;) await tick(); // a quiet window
    expect(call(guard).passed).toBe(true);
  });
});
