/**
 * The postmaster as an operating-system process: is it alive, and stopping it by signals.
 */
import { readFileSync } from 'node:fs';
import { sleep } from './timing.js';

/** Alive and not a zombie (an orphaned postmaster may stay a zombie where pid 1 does not reap). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (process.platform !== 'linux') return true;
  try {
    const procStat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = procStat.charAt(procStat.lastIndexOf(')') + 2);
    return state !== 'Z' && state !== 'X' && state !== '';
  } catch {
    return false;
  }
}

export async function stopPostmaster(pid: number): Promise<void> {
  // SIGINT = fast shutdown (disconnects clients, rolls back, checkpoints); then immediate; then kill.
  for (const [sig, waitMs] of [
    ['SIGINT', 30_000],
    ['SIGQUIT', 5_000],
    ['SIGKILL', 5_000],
  ] as const) {
    if (!isAlive(pid)) return;
    signal(pid, sig);
    if (await waitForExit(pid, waitMs)) return;
  }
  throw new Error(`PostgreSQL (pid ${pid}) did not exit`);
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(20);
  }
  return !isAlive(pid);
}

export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}
