/**
 * `postmaster.pid` in the cluster directory: which process it names, whether that process really
 * is the postmaster of this directory, and clearing up after one that is gone.
 */
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from 'pino';
import { isAlive, stopPostmaster } from './postmaster-process.js';

export interface PostmasterPid {
  pid: number;
  dataDir: string;
  port: number;
}

export async function readPostmasterPid(pgDir: string): Promise<PostmasterPid | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(pgDir, 'postmaster.pid'), 'utf8');
  } catch {
    return undefined;
  }
  // Line 1: pid, 2: data directory, 3: start time, 4: port (see PostgreSQL's pidfile.h).
  const [pid, dataDir, , port] = text.split('\n');
  const parsed = { pid: Number(pid), dataDir: dataDir ?? '', port: Number(port) };
  if (!Number.isInteger(parsed.pid) || parsed.pid <= 0) return undefined;
  return parsed;
}

export async function stopIfRunning(pgDir: string): Promise<void> {
  const pidFile = await readPostmasterPid(pgDir);
  if (pidFile && (await isPostmasterOf(pidFile.pid, pgDir))) await stopPostmaster(pidFile.pid);
}

/** PostgreSQL refuses to start while the pid in postmaster.pid is alive, even if it was recycled. */
export async function removeStalePidFile(pgDir: string, log: Logger): Promise<void> {
  const pidFile = await readPostmasterPid(pgDir);
  if (!pidFile || (await isPostmasterOf(pidFile.pid, pgDir))) return;
  log.info({ pid: pidFile.pid }, 'removing stale postmaster.pid');
  await rm(path.join(pgDir, 'postmaster.pid'), { force: true });
}

export async function isPostmasterOf(pid: number, pgDir: string): Promise<boolean> {
  if (!isAlive(pid)) return false;
  const argv = await commandLine(pid);
  if (!argv || path.basename(argv[0] ?? '') !== 'postgres') return false;
  const d = argv.indexOf('-D');
  return d >= 0 && path.resolve(argv[d + 1] ?? '') === pgDir;
}

async function commandLine(pid: number): Promise<string[] | undefined> {
  try {
    const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return raw.split('\0').filter(Boolean);
  } catch {
    if (process.platform === 'linux') return undefined;
  }
  try {
    // macOS has no /proc; paths with spaces would be split, which only makes us not adopt.
    const { stdout } = await promisify(execFile)('ps', ['-o', 'command=', '-p', String(pid)]);
    return stdout.trim().split(/\s+/);
  } catch {
    return undefined;
  }
}
