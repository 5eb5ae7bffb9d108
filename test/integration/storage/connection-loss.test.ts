/**
 * PostgreSQL drops every connection (a managed database's failover, an admin's
 * pg_terminate_backend): Parley stays up, answers again and delivers what is recorded after.
 * Each pool and the outbox's LISTEN reconnect; none may leave an unheard 'error' event behind
 * (that would end the process), and none may keep Parley from stopping.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../../src/storage/database.js';
import { outboxDrained, waitFor } from '../../support/chat-driver.js';
import { createTestDatabase, terminateOtherConnections } from '../../support/test-database.js';
import { type TestParley, startTestParley } from '../../support/test-parley.js';

let parley: TestParley;

beforeAll(async () => {
  parley = await startTestParley({ scheduler: true });
});
afterAll(() => parley?.close());

describe('a database that drops its connections', () => {
  it('leaves Parley up, answering and delivering', async () => {
    expect((await parley.api('GET', '/tickets')).status).toBe(200);
    await terminateOtherConnections(parley.database);
    // Pooled connections that were cut fail once at most; then the pool opens new ones.
    await waitFor(
      async () => ((await parley.api('GET', '/tickets')).status === 200 ? true : undefined),
      10_000,
    );
    const created = await parley.api('POST', '/tickets', {
      body: { customer: { name: 'After failover' }, subject: 'Still here?', category: 'billing' },
    });
    expect(created.status).toBe(201);
    await outboxDrained(parley.database.pool);
    expect((await fetch(`${parley.url}/readyz`)).status).toBe(200);
  });

  it('lets Parley stop however soon after the failover', async () => {
    // Reconnects start ~100 ms after the loss; a stop that lands while one is in flight hung for
    // good when agenda's LISTEN client (taken from our pool) was never given back.
    const hung: number[] = [];
    for (const delayMs of [0, 95, 101, 107, 113, 119, 150]) {
      const other = await startTestParley({ scheduler: true });
      await terminateOtherConnections(other.database);
      await new Promise((r) => setTimeout(r, delayMs));
      const stopped = await Promise.race([
        other.close().then(() => true),
        new Promise<false>((r) => setTimeout(() => r(false), 5_000)),
      ]);
      if (!stopped) hung.push(delayMs);
    }
    expect(hung).toEqual([]);
  }, 90_000);

  it('a client in use that loses its connection fails its work, not the process', async () => {
    // Checked-out clients have no pool listener; an unheard 'error' would end the process (and
    // fail this run as an uncaught exception).
    const scratch = await createTestDatabase();
    const database = createDatabase(scratch.url, { max: 2 });
    const client = await database.pool.connect();
    let released = false;
    try {
      expect(client.listenerCount('error')).toBeGreaterThan(0);
      await client.query('BEGIN');
      await terminateOtherConnections(scratch); // between two statements of a transaction
      await new Promise((r) => setTimeout(r, 200));
      await expect(client.query('SELECT 1')).rejects.toThrow();
      client.release();
      released = true;
      // The broken client was dropped: the pool answers with a new one.
      expect((await database.pool.query('SELECT 1 AS one')).rows[0].one).toBe(1);
    } finally {
      if (!released) client.release(true);
      await database.close();
      await scratch.close();
    }
  });

  it('a transaction whose BEGIN fails gives its connection back to the pool', async () => {
    const scratch = await createTestDatabase();
    const database = createDatabase(scratch.url, { max: 1 });
    try {
      const idle = await database.pool.connect();
      idle.release();
      // An idle connection that died before the pool heard of it (right after a failover).
      (idle as unknown as { _queryable: boolean })._queryable = false;
      await expect(database.db.transaction(async () => 1)).rejects.toThrow(/Failed query: begin/);
      // One slot: had the failed transaction kept its client, this one would wait for ever.
      const next = database.db.transaction(async (tx) => {
        const result = await tx.execute<{ one: number }>(sql`SELECT 1 AS one`);
        return result.rows[0]?.one;
      });
      const stuck = new Promise<string>((r) => setTimeout(() => r('stuck'), 5_000));
      expect(await Promise.race([next, stuck])).toBe(1);
    } finally {
      await database.close();
      await scratch.close();
    }
  });
});
