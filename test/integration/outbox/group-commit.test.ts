import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxEnqueue } from '../../../src/ports/outbox.js';
import { createGroupCommitOutbox } from '../../../src/storage/group-commit-outbox.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

let database: TestDatabase;
let tenantId: string;
beforeAll(async () => {
  database = await createTestDatabase();
  const { rows } = await database.pool.query(
    `insert into tenants (name, slug) values ('Group commit', 'group-commit') returning id`,
  );
  tenantId = rows[0].id;
});
afterAll(() => database.close());

const row = (key: string, n: number, extra: Partial<OutboxEnqueue> = {}): OutboxEnqueue => ({
  tenantId,
  destination: 'inbound:test',
  orderingKey: key,
  dedupeKey: `${key}:${n}`,
  payload: { n },
  ...extra,
});

describe('group-committed inbound writes', () => {
  it('commits concurrent webhooks together, each resolved after its commit, in arrival order per chat', async () => {
    const writer = createGroupCommitOutbox(database.db);
    const calls = Array.from({ length: 300 }, (_, i) => writer.enqueue(row(`chat:${i % 10}`, i)));
    await Promise.all(calls);
    const { rows } = await database.pool.query(
      `select ordering_key, (payload->>'n')::int as n, xmin::text as tx from outbox
        where destination = 'inbound:test' order by id`,
    );
    expect(rows).toHaveLength(300);
    for (let k = 0; k < 10; k++) {
      const ns = rows.filter((r) => r.ordering_key === `chat:${k}`).map((r) => r.n);
      expect(ns).toEqual([...ns].sort((a, b) => a - b)); // ids follow arrival
    }
    // Fewer transactions than rows: commits were shared.
    expect(new Set(rows.map((r) => r.tx)).size).toBeLessThan(300);
  });

  it('records a redelivered event once, even within one batch', async () => {
    const writer = createGroupCommitOutbox(database.db);
    const twice = row('chat:dup', 1);
    await Promise.all([writer.enqueue(twice), writer.enqueue(twice), writer.enqueue(twice)]);
    await writer.enqueue(twice);
    const { rows } = await database.pool.query(
      `select count(*)::int as n from outbox where ordering_key = 'chat:dup'`,
    );
    expect(rows[0].n).toBe(1);
  });

  it('fails only the webhook whose row PostgreSQL refuses, not the others in its batch', async () => {
    const writer = createGroupCommitOutbox(database.db);
    const results = await Promise.allSettled([
      writer.enqueue(row('chat:p', 1)),
      writer.enqueue(row('chat:p', 2)),
      // No such tenant: the foreign key refuses this one row.
      writer.enqueue(row('chat:p', 3, { tenantId: '00000000-0000-4000-8000-000000000000' })),
      writer.enqueue(row('chat:p', 4)),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    const { rows } = await database.pool.query(
      `select (payload->>'n')::int as n from outbox where ordering_key = 'chat:p' order by id`,
    );
    expect(rows.map((r) => r.n)).toEqual([1, 2, 4]);
  });

  it('drops NUL characters instead of failing the webhook on every retry', async () => {
    const writer = createGroupCommitOutbox(database.db);
    await writer.enqueue(
      row('chat:nul', 1, { payload: { text: 'a\u0000b', nested: ['\u0000c'] } }),
    );
    const { rows } = await database.pool.query(
      `select payload from outbox where ordering_key = 'chat:nul'`,
    );
    expect(rows[0].payload).toEqual({ text: 'ab', nested: ['c'] });
  });

  it('replaces lone surrogates (jsonb refuses them) instead of failing the webhook', async () => {
    // Found by the webhook fuzz: a customer text "\ud800" answered 500 on every redelivery.
    const writer = createGroupCommitOutbox(database.db);
    await writer.enqueue(
      row('chat:surrogate', 1, {
        payload: { text: 'x\udfffy', nested: ['\ud800', 'ok 👍'] },
      }),
    );
    const { rows } = await database.pool.query(
      `select payload from outbox where ordering_key = 'chat:surrogate'`,
    );
    expect(rows[0].payload).toEqual({ text: 'x\ufffdy', nested: ['\ufffd', 'ok 👍'] });
  });
});
