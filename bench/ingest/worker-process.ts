/**
 * `--split`: the bot's work in its own process, as a production deployment with
 * `PARLEY_ROLE=web` and `worker` containers runs it. The benchmark's in-process Parley is the
 * web process; this starts `src/main.ts` with `PARLEY_ROLE=worker` on the same database and
 * waits for its `/readyz`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from '../support/free-port.js';

export interface WorkerProcess {
  readonly pid: number;
  stop(): Promise<void>;
}

export async function startWorkerProcess(
  repo: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<WorkerProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: repo,
    env: { ...process.env, ...env, PARLEY_ROLE: 'worker', PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`worker exited with ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('worker not ready in time');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    pid: child.pid ?? 0,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
