import { describe, expect, it } from 'vitest';
import { type SentMark, createMarkBatcher } from '../../../src/app/outbox-mark-batcher.js';

const at = new Date('2030-01-01T00:00:00Z');
const mark = (id: number): SentMark => ({ id, at, externalId: `x${id}` });

function recorder(opts: { failMany?: boolean; failOne?: number } = {}) {
  const writes: number[][] = [];
  let release: (() => void) | null = null;
  const gate = () => new Promise<void>((r) => (release = r));
  return {
    writes,
    open: () => release?.(),
    batcher: createMarkBatcher({
      async writeOne(m) {
        if (m.id === opts.failOne) throw new Error(`refused ${m.id}`);
        writes.push([m.id]);
        if (m.id === 1) await gate(); // the first write stays in flight until the test says so
      },
      async writeMany(ms) {
        if (opts.failMany) throw new Error('batch refused');
        writes.push(ms.map((m) => m.id));
      },
    }),
  };
}

describe('createMarkBatcher', () => {
  it('writes a lone mark at once, and the marks that came meanwhile in one statement', async () => {
    const r = recorder();
    const first = r.batcher(mark(1));
    const rest = [2, 3, 4].map((id) => r.batcher(mark(id)));
    await new Promise((res) => setImmediate(res));
    expect(r.writes).toEqual([[1]]); // 2–4 wait for the write in flight
    r.open();
    await Promise.all([first, ...rest]);
    expect(r.writes).toEqual([[1], [2, 3, 4]]);
  });

  it('retries a refused batch mark by mark, failing only the bad one', async () => {
    const r = recorder({ failMany: true, failOne: 3 });
    const first = r.batcher(mark(1));
    const rest = [2, 3, 4].map((id) => r.batcher(mark(id)));
    r.open();
    await first;
    const results = await Promise.allSettled(rest);
    expect(results.map((x) => x.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(r.writes).toEqual([[1], [2], [4]]);
  });
});
