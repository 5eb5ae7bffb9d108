/**
 * Parley as a child process, started the way production starts it (`node --import tsx
 * src/main.ts`, no DATABASE_URL: the embedded PostgreSQL under DATA_DIR), and killed without
 * warning. Two kinds of kill:
 *  - `app`: SIGKILL to the Node process only (an OOM kill, `kill -9`). Its PostgreSQL is a
 *    separate process and keeps running; the next start must adopt it through postmaster.pid.
 *  - `host`: SIGKILL to the Node process group and to the postmaster (a container or VM that
 *    dies as a whole). The next start finds a stale postmaster.pid and PostgreSQL runs crash
 *    recovery from its WAL.
 * Neither loses what the kernel already has: a real power cut would also drop unflushed page
 * cache, which a process kill cannot imitate (Parley's PostgreSQL runs with fsync on).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIG_ENV_VARS } from '../../src/config/env-vars.js';

export type KillMode = 'app' | 'host';

export interface ParleyProcessOptions {
  dataDir: string;
  port: number;
  /** Parley's environment (PORT, DATA_DIR and LOG_LEVEL are set here). */
  env: Record<string, string>;
  /** stdout and stderr of every start are appended here. */
  logFile: string;
}

export interface ParleyProcess {
  readonly url: string;
  /** Starts Parley and waits for `GET /readyz` → 200; returns how long that took (ms). */
  start(timeoutMs?: number): Promise<number>;
  kill(mode: KillMode): Promise<void>;
  /** SIGTERM (graceful: Parley stops its embedded PostgreSQL too); SIGKILL after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
  /** Whatever is still running (the child's group, a postmaster of DATA_DIR), killed; no more starts. */
  killAll(): Promise<void>;
  readonly starts: number;
  /** The running Node process's id (undefined before the first start). */
  readonly pid: number | undefined;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The cluster's postmaster: pid and port from `<dataDir>/postgres/postmaster.pid`. */
export async function postmasterOf(
  dataDir: string,
): Promise<{ pid: number; port: number } | undefined> {
  try {
    const [pid, , , port] = (
      await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')
    ).split('\n');
    const parsed = { pid: Number(pid), port: Number(port) };
    return Number.isInteger(parsed.pid) && parsed.pid > 0 ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The URL of Parley's database in the embedded cluster (while its postmaster runs). */
export async function embeddedDatabaseUrl(dataDir: string): Promise<string> {
  const pm = await postmasterOf(dataDir);
  if (!pm) throw new Error(`no postmaster.pid under ${dataDir}/postgres`);
  const password = (await readFile(path.join(dataDir, 'postgres.password'), 'utf8')).trim();
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${pm.port}/parley`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

async function childrenOf(parent: number): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // Field 4 (after the parenthesised command name) is the parent pid.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === parent) pids.push(Number(entry));
  }
  return pids;
}

async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive(pid)) return true;
    await sleep(20);
  }
  return !alive(pid);
}

export function parleyProcess(opts: ParleyProcessOptions): ParleyProcess {
  const url = `http://127.0.0.1:${opts.port}`;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let log: WriteStream | undefined;
  let starts = 0;
  let closed = false;

  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of CONFIG_ENV_VARS) delete env[name];
  Object.assign(env, opts.env, {
    PORT: String(opts.port),
    HOST: '127.0.0.1',
    DATA_DIR: opts.dataDir,
    LOG_LEVEL: opts.env.LOG_LEVEL ?? 'warn',
  });

  async function ready(timeoutMs: number, startedAt: number): Promise<number> {
    const deadline = startedAt + timeoutMs;
    for (;;) {
      if (child && (child.exitCode !== null || child.signalCode !== null)) {
        throw new Error(
          `Parley exited (${child.exitCode ?? child.signalCode}) while starting (${opts.logFile})`,
        );
      }
      try {
        const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1000) });
        await res.arrayBuffer();
        if (res.status === 200) return Date.now() - startedAt;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`Parley not ready after ${timeoutMs} ms`);
      await sleep(50);
    }
  }

  return {
    url,
    get starts() {
      return starts;
    },
    get pid() {
      return child?.pid;
    },
    async start(timeoutMs = 60_000) {
      if (closed) throw new Error('Parley process handle was shut down');
      if (child && child.exitCode === null && child.signalCode === null) {
        throw new Error('Parley is already running');
      }
      log ??= createWriteStream(opts.logFile, { flags: 'a' });
      starts += 1;
      log.write(`\n=== start ${starts} at ${new Date().toISOString()} ===\n`);
      const startedAt = Date.now();
      // Its own process group (detached), so a `host` kill reaches everything it spawned.
      child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        cwd: repoRoot,
        env,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const current = child;
      current.stdout!.pipe(log, { end: false });
      current.stderr!.pipe(log, { end: false });
      exited = new Promise((resolve) => current.once('exit', () => resolve()));
      return ready(timeoutMs, startedAt);
    },
    async kill(mode) {
      const current = child;
      if (!current?.pid) return;
      const pm = mode === 'host' ? await postmasterOf(opts.dataDir) : undefined;
      if (mode === 'host') {
        // After an `app` kill the adopted postmaster lives in an earlier child's group; its
        // backends die with the host too (left alone, they would notice the postmaster's death).
        const postgres = pm ? [pm.pid, ...(await childrenOf(pm.pid))] : [];
        signal(-current.pid, 'SIGKILL');
        for (const pid of postgres) signal(pid, 'SIGKILL');
      } else {
        signal(current.pid, 'SIGKILL');
      }
      await exited;
      if (pm) await waitGone(pm.pid, 10_000);
      log?.write(`=== killed (${mode}) at ${new Date().toISOString()} ===\n`);
    },
    async stop(timeoutMs = 30_000) {
      const current = child;
      if (!current?.pid || current.exitCode !== null || current.signalCode !== null) return;
      signal(current.pid, 'SIGTERM');
      const done = await Promise.race([
        exited.then(() => true),
        sleep(timeoutMs).then(() => false),
      ]);
      if (!done) {
        signal(-current.pid, 'SIGKILL');
        await exited;
      }
    },
    async killAll() {
      closed = true;
      if (child?.pid) signal(-child.pid, 'SIGKILL');
      await Promise.race([exited, sleep(5_000)]);
      const pm = await postmasterOf(opts.dataDir);
      if (pm && alive(pm.pid)) {
        signal(pm.pid, 'SIGINT');
        if (!(await waitGone(pm.pid, 10_000))) signal(pm.pid, 'SIGKILL');
        await waitGone(pm.pid, 5_000);
      }
      await new Promise<void>((resolve) => (log ? log.end(() => resolve()) : resolve()));
      log = undefined;
    },
  };
}
