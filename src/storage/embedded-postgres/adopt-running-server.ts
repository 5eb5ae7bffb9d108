/** Adopting a server left running by a killed Parley instead of starting a second one. */
import type { Logger } from 'pino';
import { waitUntilAccepting } from './connection.js';
import { isPostmasterOf, readPostmasterPid } from './postmaster-pid.js';
import { stopPostmaster } from './postmaster-process.js';

const REUSE_READY_TIMEOUT_MS = 15_000;

export async function adoptRunningServer(
  pgDir: string,
  password: string,
  log: Logger,
): Promise<{ pid: number; port: number } | undefined> {
  const pidFile = await readPostmasterPid(pgDir);
  if (!pidFile || !(await isPostmasterOf(pidFile.pid, pgDir))) return undefined;
  if (!Number.isInteger(pidFile.port) || pidFile.port <= 0) return undefined;
  log.info(
    { pid: pidFile.pid, port: pidFile.port },
    'found a running PostgreSQL for this data dir',
  );
  if (await waitUntilAccepting(pidFile.port, password, REUSE_READY_TIMEOUT_MS)) {
    return { pid: pidFile.pid, port: pidFile.port };
  }
  log.warn({ pid: pidFile.pid }, 'running PostgreSQL does not answer; stopping it to start afresh');
  await stopPostmaster(pidFile.pid);
  return undefined;
}
