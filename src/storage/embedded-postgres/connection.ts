/**
 * How Parley reaches the embedded server: its fixed address, user and database, and the
 * connections used to check that it answers and to create the `parley` database.
 */
import pg from 'pg';
import { sleep } from './timing.js';

export const USER = 'postgres';
export const DATABASE = 'parley';
export const HOST = '127.0.0.1';

export function databaseUrl(port: number, password: string, database: string): string {
  return `postgres://${USER}:${encodeURIComponent(password)}@${HOST}:${port}/${database}`;
}

export async function withClient<T>(
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

export async function waitUntilAccepting(
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

export async function ensureDatabase(port: number, password: string): Promise<void> {
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
