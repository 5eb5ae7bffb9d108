/**
 * The sweep's claim locks the due tickets (SKIP LOCKED); a writer changing a ticket holds the
 * ticket's row first and its check (`sla_checks`) second (ticket-store.ts). So a ticket a writer
 * holds is skipped whole: the sweep must not sit on its check, which the writer is about to move,
 * while it waits for locks of its own (the outbox's ordering keys).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOpenTickets } from '../../../bench/sla/seed-open-tickets.js';
import { createSlaSweepStore } from '../../../src/storage/sla-sweep-store.js';
import { type TestDatabase, createTestDatabase } from '../../support/test-database.js';

let database: TestDatabase;
let ids: string[];

beforeAll(async () => {
  database = await createTestDatabase();
  await seedOpenTickets(database.pool, { tickets: 5, now: new Date() });
  const { rows } = await database.pool.query<{ ticket_id: string }>(
    `UPDATE sla_checks SET next_check_at = now() - interval '1 minute' RETURNING ticket_id`,
  );
  ids = rows.map((r) => r.ticket_id);
});
afterAll(() => database?.close());

describe('the SLA claim and a writer holding a ticket', () => {
  it('skips the ticket and leaves its check free for the writer', async () => {
    expect(ids).toHaveLength(5);
    const held = ids[0]!;
    const writer = await database.pool.connect();
    try {
      await writer.query('BEGIN');
      await writer.query('SELECT 1 FROM tickets WHERE id = $1 FOR NO KEY UPDATE', [held]);
      await database.db
        .transaction(async (tx) => {
          const claimed = await createSlaSweepStore(tx).claimDue(new Date(), 10);
          expect(claimed.map((t) => t.id).sort()).toEqual(ids.filter((id) => id !== held).sort());
          // The writer's next step, moving the check, does not wait for the sweep.
          await writer.query('SET LOCAL lock_timeout = 200');
          await expect(
            writer.query(`UPDATE sla_checks SET next_check_at = now() WHERE ticket_id = $1`, [
              held,
            ]),
          ).resolves.toMatchObject({ rowCount: 1 });
          // The tickets the sweep claimed are its own until it commits.
          await expect(
            writer.query(`UPDATE tickets SET updated_at = now() WHERE id = $1`, [ids[1]]),
          ).rejects.toThrow(/lock timeout/);
          throw new Error('roll back');
        })
        .catch((err: Error) => {
          if (err.message !== 'roll back') throw err;
        });
    } finally {
      await writer.query('ROLLBACK');
      writer.release();
    }
  });
});
