/**
 * PostgreSQL drops every connection (a managed database's failover, an admin's
 * pg_terminate_backend): Parley stays up, answers again and delivers what is recorded after.
 * Each pool, the outbox's LISTEN and agenda's LISTEN reconnect; none may leave an unheard
 * 'error' event behind (that would end the process).
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
});
