/**
 * Transactions on the pool that always give their connection back. drizzle's node-postgres
 * `transaction()` checks a client out and sends BEGIN before its try/finally: when BEGIN fails
 * (the client's connection died while it sat idle, as after a failover, before the pool heard of
 * it) the client is never released. Each such failure kept a pool slot for good, and `pool.end()`
 * (Parley's shutdown) waited for it for ever.
 *
 * Here the client is checked out and released by us, around drizzle's transaction on that one
 * client (which then sends BEGIN, COMMIT and ROLLBACK on it). A client whose connection broke is
 * not queryable and the pool drops it on release.
 */
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import type * as schema from './schema.js';

type Db = NodePgDatabase<typeof schema>;

export function withReleasingTransactions<T extends Db>(
  db: T,
  pool: pg.Pool,
  schemaModule: typeof schema,
): T {
  // One drizzle handle per connection, made on its first transaction (pool clients are reused).
  const bound = new WeakMap<pg.PoolClient, Db>();
  const transaction: Db['transaction'] = async (work, config) => {
    const client = await pool.connect();
    try {
      let onClient = bound.get(client);
      if (!onClient) {
        onClient = drizzle({ client, schema: schemaModule });
        bound.set(client, onClient);
      }
      return await onClient.transaction(work, config);
    } finally {
      client.release();
    }
  };
  return Object.assign(db, { transaction });
}
