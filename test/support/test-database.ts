/**
 * An isolated, migrated database per test file, cloned from the run's template database:
 *
 *   const database = await createTestDatabase();
 *   afterAll(() => database.close());
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createDatabase, type Database, type DatabaseOptions } from '../../src/storage/database.js';

export interface TestDatabase extends Database {
  /** Connection URL of this test database. */
  url: string;
  name: string;
  /** Ends the pool and drops the database. */
  close(): Promise<void>;
}

export async function createTestDatabase(options: DatabaseOptions = {}): Promise<TestDatabase> {
  const serverUrl = inject('databaseUrl');
  const template = inject('templateDatabase');
  const name = `t_${randomBytes(6).toString('hex')}`;
  await admin(serverUrl, (client) =>
    client.query(
      `CREATE DATABASE ${client.escapeIdentifier(name)} TEMPLATE ${client.escapeIdentifier(template)}`,
    ),
  );
  const url = databaseUrlFor(serverUrl, name);
  const database = createDatabase(url, { max: 5, ...options });
  let closing: Promise<void> | undefined;
  return {
    ...database,
    url,
    name,
    close: () =>
      (closing ??= (async () => {
        await database.close();
        await admin(serverUrl, (client) =>
          client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`),
        );
      })()),
  };
}

/** The same server and credentials, another database. */
export function databaseUrlFor(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

async function admin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'parley-test' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * What a managed PostgreSQL's failover or an admin's `pg_terminate_backend` does: every other
 * connection to this database gets FATAL 57P01.
 */
export async function terminateOtherConnections(
  database: Pick<TestDatabase, 'pool'>,
): Promise<void> {
  const admin = await database.pool.connect();
  try {
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
  } finally {
    admin.release();
  }
}
