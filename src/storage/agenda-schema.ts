/**
 * agenda's job table, created once under the migration lock: two processes starting on a fresh
 * database would otherwise race creating it (duplicate key on pg_type). Workers then start
 * agenda with `ensureSchema: false`.
 */
import { PostgresJobRepository } from '@agendajs/postgres-backend';
import type pg from 'pg';

export const AGENDA_TABLE = 'agenda_jobs';

/**
 * Runs the package's own `CREATE … IF NOT EXISTS` statements on `client`, the connection that
 * holds the migration lock (the repository only needs `connect()` → `query` / `release`).
 */
export async function ensureAgendaSchema(client: pg.PoolClient | pg.Client): Promise<void> {
  const lockedConnection = {
    connect: async () => ({ query: client.query.bind(client), release: () => undefined }),
  } as unknown as pg.Pool;
  const repository = new PostgresJobRepository({
    pool: lockedConnection,
    tableName: AGENDA_TABLE,
    ensureSchema: true,
  });
  await repository.connect();
}
