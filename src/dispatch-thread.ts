/**
 * PARLEY_DISPATCH_THREAD=on: the worker part of Parley (outbox dispatcher, bot, sweeps) on a thread
 * of this process, started as PARLEY_ROLE=worker on the same database, while the process itself
 * is the web part. The two meet only through PostgreSQL, exactly as web and worker processes do
 * (NOTIFY wake-ups, the "webhooks are waiting" signal, web chat replies): a second event loop, so
 * the bot's work no longer delays the webhooks' answers, in one process to deploy.
 *
 * A thread that dies is started again (1 s, then backing off to 30 s); `stop()` asks it to stop
 * as a worker process would on SIGTERM, and terminates it past the shutdown timeout.
 */
import { Worker } from 'node:worker_threads';
import type { Config } from './config.js';

export interface DispatchThread {
  stop(): Promise<void>;
}

interface ThreadLogger {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** What the thread posts: started, or could not start. */
export type DispatchThreadMessage = { type: 'ready' } | { type: 'failed'; error: string };

const ENTRY = new URL(
  import.meta.url.endsWith('.ts') ? './dispatch-thread-entry.ts' : './dispatch-thread-entry.js',
  import.meta.url,
).href;

/** The thread's first code: under tsx (`npm start`, tests) TypeScript has to be registered there too. */
function bootstrap(entry: string): string {
  const load = entry.endsWith('.ts')
    ? `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`
    : `import(${JSON.stringify(entry)})`;
  return `${load}.catch((err) => { console.error('Parley dispatch thread failed to load', err); process.exit(1); });`;
}

const MAX_RESTART_MS = 30_000;

/** Starts the thread with `config` (PARLEY_ROLE=worker) and resolves once it runs. */
export async function startDispatchThread(
  config: Config,
  logger: ThreadLogger,
): Promise<DispatchThread> {
  let stopping = false;
  let current: Worker | undefined;
  let restartTimer: NodeJS.Timeout | undefined;

  const spawn = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = new Worker(bootstrap(ENTRY), { eval: true, workerData: { config } });
      current = worker;
      let started = false;
      worker.on('message', (m: DispatchThreadMessage) => {
        if (m.type === 'ready') {
          started = true;
          resolve();
        } else if (m.type === 'failed') reject(new Error(`dispatch thread: ${m.error}`));
      });
      worker.on('error', (err) => {
        logger.error({ err }, 'dispatch thread failed');
        if (!started) reject(err);
      });
      worker.on('exit', (code) => {
        if (current === worker) current = undefined;
        if (!started) {
          reject(new Error(`dispatch thread exited (code ${code}) before it started`));
          return;
        }
        if (stopping) return;
        logger.error({ code }, 'dispatch thread stopped unexpectedly; starting it again');
        restart(1_000);
      });
    });

  const restart = (delayMs: number): void => {
    restartTimer = setTimeout(() => {
      if (stopping) return;
      spawn().catch((err: unknown) => {
        logger.error({ err }, 'dispatch thread did not start; trying again');
        if (!stopping) restart(Math.min(delayMs * 2, MAX_RESTART_MS));
      });
    }, delayMs);
  };

  await spawn();
  return {
    async stop() {
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      const worker = current;
      if (!worker) return;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage({ type: 'stop' });
      const kill = setTimeout(() => void worker.terminate(), config.shutdownTimeoutMs + 5_000);
      await exited;
      clearTimeout(kill);
    },
  };
}
