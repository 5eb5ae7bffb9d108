/**
 * The benchmark's own PostgreSQL database: a fresh `parley_bench_<random>` on the server of
 * `DATABASE_URL` when that is set (dropped afterwards), else an embedded PostgreSQL in a temp
 * directory (stopped and removed afterwards). Either way nothing else is touched.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { startEmbeddedPostgres } from '../../src/storage/embedded-postgres.js';

export interface BenchDatabase {
  kind: 'embedded' | 'external';
  /** Connection URL of the benchmark database. */
  url: string;
  /** A scratch directory for Parley's DATA_DIR (attachments), removed by `close()`. */
  scratchDir: string;
  /** The embedded server's postmaster (to count its CPU time); undefined for DATABASE_URL. */
  postmasterPid?: number;
  /** Drops the database or stops the embedded server; removes the scratch directory. Idempotent. */
  close(): Promise<void>;
}

export interface BenchDatabaseOptions {
  /**
   * Embedded only: preload `pg_stat_statements` (one restart of the fresh cluster, ~0.2 s), so a
   * benchmark can read per-statement totals. On an external server it must already be preloaded.
   */
  statements?: boolean;
  /** Embedded only: server settings (`name=value`) on top of Parley's defaults. */
  settings?: string[];
}

export async function openBenchDatabase(
  externalUrl: string | undefined,
  opts: BenchDatabaseOptions = {},
): Promise<BenchDatabase> {
  const scratchDir = await mkdtemp(path.join(tmpdir(), 'parley-bench-'));
  try {
    // mkdtemp makes it 0700; as root, PostgreSQL runs as `postgres` and must traverse it.
    await chmod(scratchDir, 0o755);
    return externalUrl
      ? await external(externalUrl, scratchDir)
      : await embedded(scratchDir, opts.statements === true, opts.settings ?? []);
  } catch (err) {
    await rm(scratchDir, { recursive: true, force: true });
    throw err;
  }
}

async function embedded(
  scratchDir: string,
  statements: boolean,
  settings: string[],
): Promise<BenchDatabase> {
  // Same server flags as `npm start` uses (durable: fsync on), so write numbers are honest.
  const start = () =>
    startEmbeddedPostgres({
      dataDir: path.join(scratchDir, 'pg'),
      port: 0,
      logger: pino({ level: 'silent' }),
      settings,
    });
  let server = await start();
  if (statements) {
    await admin(server.url, (c) =>
      c.query(`ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'`),
    );
    await server.stop();
    server = await start();
  }
  let closing: Promise<void> | undefined;
  return {
    kind: 'embedded',
    url: server.url,
    scratchDir,
    postmasterPid: server.pid,
    close: () =>
      (closing ??= (async () => {
        await server.stop();
        await rm(scratchDir, { recursive: true, force: true });
      })()),
  };
}

async function external(serverUrl: string, scratchDir: string): Promise<BenchDatabase> {
  const name = `parley_bench_${randomBytes(5).toString('hex')}`;
  await admin(serverUrl, (c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let closing: Promise<void> | undefined;
  return {
    kind: 'external',
    url: url.toString(),
    scratchDir,
    close: () =>
      (closing ??= (async () => {
        await admin(serverUrl, (c) =>
          c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`),
        );
        await rm(scratchDir, { recursive: true, force: true });
      })()),
  };
}

async function admin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'parley-bench' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
