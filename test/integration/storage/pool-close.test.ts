/**
 * `Database.close()` returns once the pool's connections are gone, not merely asked to go: Parley
 * stops its embedded server right after, and connections still open then were terminated by it
 * and each logged a warning at every shutdown.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../../src/storage/database.js';
import { type TestDatabase, createTestDatabase } from '../../support/test-database.js';

let admin: TestDatabase;

beforeAll(async () => {
  admin = await createTestDatabase();
});
afterAll(() => admin?.close());

describe('Database.close', () => {
  it('waits until every connection of the pool has closed', async () => {
    const warnings: unknown[] = [];
    const database = createDatabase(admin.url, { max: 8 });
    database.pool.on('error', (err) => warnings.push(err));
    let ended = 0;
    database.pool.on('connect', (client) => client.on('end', () => (ended += 1)));
    // Eight connections at once, all idle in the pool afterwards.
    const pids = await Promise.all(
      Array.from({ length: 8 }, () =>
        database.pool
          .query<{ pid: number }>('SELECT pg_backend_pid() AS pid, pg_sleep(0.05)')
          .then((r) => r.rows[0]!.pid),
      ),
    );
    expect(new Set(pids).size).toBe(8);
    await database.close();
    // Every connection has ended on our side, and so on the server's.
    expect(ended).toBe(8);
    const { rows } = await admin.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = ANY($1)',
      [pids],
    );
    expect(rows[0]!.n).toBe(0);
    expect(warnings).toEqual([]);
  });
});
