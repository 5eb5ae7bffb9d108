/**
 * PostgreSQL drops every connection (a managed database's failover, an admin's
 * pg_terminate_backend): Parley stays up, answers again and delivers what is recorded after.
 * Each pool and the outbox's LISTEN reconnect; none may leave an unheard 'error' event behind
 * (that would end the process), and none may keep Parley from stopping.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxDrained, waitFor } from '../../support/chat-driver.js';
import { terminateOtherConnections } from '../../support/test-database.js';
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
});
