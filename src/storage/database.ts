/** The PostgreSQL pool, the drizzle handle on it, and migrations. */
import { fileURLToPath } from 'node:url';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { ensureAgendaSchema } from './agenda-schema.js';
import pg from 'pg';
import type { Logger } from 'pino';
import * as schema from './schema.js';
import { PreparingClient } from './prepared-statements.js';
import { withReleasingTransactions } from './pooled-transactions.js';

export type ParleyDatabase = NodePgDatabase<typeof schema> & { $client: pg.Pool };

export interface Database {
  pool: pg.Pool;
  db: ParleyDatabase;
  /** Ends the pool and waits until its connections have closed. Idempotent. */
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Pool size (default 10). */
  max?: number;
  logger?: Logger;
  /**
   * Prepare parametrized statements on each connection (named by their text), so PostgreSQL
   * parses and plans each of the application's statements once per connection instead of on
   * every call (see prepared-statements.ts). Default false.
   */
  prepare?: boolean;
}

/** The repository's `drizzle/` folder (works from `src/storage` and from `dist/storage`). */
export const defaultMigrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** Arbitrary, fixed: the bytes of "parley". Serializes migrations across processes. */
const MIGRATION_LOCK_ID = '123563833845113';

export function createDatabase(url: string, options: DatabaseOptions = {}): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: 'parley',
    ...(options.prepare ? { Client: PreparingClient } : {}),
  });
  // An idle client that loses its connection (server restart, DROP DATABASE ... FORCE) emits
  // 'error' on the pool; without a listener that would crash the process.
  pool.on('error', (err) => options.logger?.warn({ err }, 'idle PostgreSQL connection failed'));
  // A client that is checked out has no pool listener: losing its connection between two
  // statements (a failover while a transaction does its JavaScript work) emitted an unheard
  // 'error' and ended the process. The statement in flight, or the next one, fails anyway, and
  // a client that is no longer queryable is dropped when it is released.
  pool.on('connect', (client) =>
    client.on('error', (err) =>
      options.logger?.debug({ err }, 'PostgreSQL connection lost (client in use or idle)'),
    ),
  );
  // The connections not yet closed. `pool.end()` resolves once it has asked its idle clients to
  // end, before their connections are gone: an embedded server stopped right after (Parley's
  // shutdown) then terminated them, and each logged 'idle PostgreSQL connection failed'.
  const open = new Set<pg.Client>();
  pool.on('connect', (client) => {
    open.add(client);
    client.once('end', () => open.delete(client));
  });
  const db = withReleasingTransactions(drizzle({ client: pool, schema }), pool, schema);
  let ending: Promise<void> | undefined;
  return {
    pool,
    db,
    close: () =>
      (ending ??= (async () => {
        await pool.end();
        await connectionsClosed(open, CLOSE_WAIT_MS);
      })()),
  };
}

/** At most this long for the connections to close after `pool.end()` (a dead socket may hang). */
const CLOSE_WAIT_MS = 5_000;

function connectionsClosed(open: ReadonlySet<pg.Client>, timeoutMs: number): Promise<void> {
  if (open.size === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    timer.unref();
    let left = open.size;
    for (const client of open) {
      client.once('end', () => {
        left -= 1;
        if (left === 0) {
          clearTimeout(timer);
          resolve();
        }
      });
    }
  });
}

/**
 * Applies the drizzle migrations in `migrationsFolder` on one connection that holds a
 * session-level advisory lock, so several processes starting at once apply them once.
 */
export async function runMigrations(
  db: NodePgDatabase<Record<string, unknown>> & { $client: pg.Pool | pg.PoolClient | pg.Client },
  migrationsFolder: string = defaultMigrationsFolder,
): Promise<void> {
  const pooled = db.$client instanceof pg.Pool ? await db.$client.connect() : undefined;
  const client = pooled ?? (db.$client as pg.PoolClient | pg.Client);
  let failed: unknown;
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    try {
      await migrate(drizzle({ client }), { migrationsFolder });
      await ensureAgendaSchema(client);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
    }
  } catch (error) {
    failed = error;
    throw error;
  } finally {
    // A connection that failed mid-migration may be unusable: do not return it to the pool.
    pooled?.release(failed instanceof Error ? failed : undefined);
  }
}
