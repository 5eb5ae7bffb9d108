/**
 * The data directory around the cluster: its permissions (as root, the `postgres` user must be able
 * to reach the cluster) and `postgres.password`.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';

export async function prepareDataDir(dataDir: string, isRoot: boolean, log: Logger): Promise<void> {
  const firstCreated = await mkdir(dataDir, { recursive: true, mode: 0o755 });
  if (!isRoot) return;
  // As root, postgres runs as the `postgres` user, who must be able to traverse to the cluster.
  if (firstCreated) {
    for (let dir = dataDir; ; dir = path.dirname(dir)) {
      await chmod(dir, 0o755);
      if (dir === firstCreated || path.dirname(dir) === dir) break;
    }
  }
  const own = await stat(dataDir);
  if ((own.mode & 0o011) !== 0o011) await chmod(dataDir, (own.mode & 0o7777) | 0o011);
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) {
      // Only a warning: group membership or ACLs may still let it through.
      log.warn(
        { dir, mode: (mode & 0o777).toString(8), dataDir },
        'the postgres user may not be able to enter this parent of the data directory; ' +
          'if PostgreSQL fails with "Permission denied", run chmod o+x on it or choose another DATA_DIR',
      );
      break;
    }
    if (path.dirname(dir) === dir) break;
  }
}

export async function readOrCreatePassword(dataDir: string, initialised: boolean): Promise<string> {
  const file = path.join(dataDir, 'postgres.password');
  try {
    const password = (await readFile(file, 'utf8')).trim();
    if (password) return password;
  } catch {
    // not there yet
  }
  if (initialised) {
    throw new Error(
      `${file} is missing but the cluster in ${dataDir}/postgres exists: restore the file ` +
        `(it holds the postgres user's password) or remove the cluster to start over`,
    );
  }
  const password = randomBytes(24).toString('hex');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return password;
}

export async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

export async function isNonEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length > 0;
  } catch {
    return false;
  }
}
