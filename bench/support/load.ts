/** Runs load phases in a worker thread (bench/support/load-worker.ts, loaded through tsx). */
import { Worker } from 'node:worker_threads';
import type { FromWorker, PhaseResult, PhaseSpec } from './load-protocol.js';

export interface LoadRunner {
  run(spec: PhaseSpec): Promise<PhaseResult>;
  close(): Promise<void>;
}

export function startLoadRunner(): LoadRunner {
  // A worker does not inherit tsx's loader hooks: register them before importing the TS file.
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const workerUrl = new URL('./load-worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(workerUrl)}); });`;
  const worker = new Worker(boot, { eval: true });
  const pending = new Map<
    number,
    { resolve: (r: PhaseResult) => void; reject: (e: Error) => void }
  >();
  let nextId = 1;
  let failure: Error | undefined;
  const failAll = (err: Error) => {
    failure ??= err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.on('message', (msg: FromWorker) => {
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.result) p.resolve(msg.result);
    else p.reject(new Error(`load worker: ${msg.error ?? 'no result'}`));
  });
  worker.on('error', (err) => failAll(err));
  worker.on('exit', (code) => failAll(new Error(`load worker exited (${code})`)));

  return {
    run(spec) {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, spec });
      });
    },
    async close() {
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}
