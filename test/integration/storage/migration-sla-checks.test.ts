/**
 * Upgrading a database that has tickets: migration 0016 moves each scheduled SLA check from
 * `tickets.sla_next_check_at` to `sla_checks`, so no ticket loses its next check (and with it its
 * warnings and breaches) across the upgrade.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, type Database, runMigrations } from '../../../src/storage/database.js';
import { databaseUrlFor } from '../../support/test-database.js';

const MIGRATIONS = path.resolve('drizzle');
const name = `t_upgrade_${Date.now().toString(36)}`;
let before: string;
let database: Database;

async function admin<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject('databaseUrl') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  // The migrations as they were before 0016.
  before = await mkdtemp(path.join(tmpdir(), 'parley-migrations-'));
  await cp(MIGRATIONS, before, { recursive: true });
  const journalFile = path.join(before, 'meta', '_journal.json');
  const journal = JSON.parse(await readFile(journalFile, 'utf8')) as {
    entries: { idx: number; tag: string }[];
  };
  journal.entries = journal.entries.filter((e) => e.idx < 16);
  await writeFile(journalFile, JSON.stringify(journal));
  await admin((c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`));
  database = createDatabase(databaseUrlFor(inject('databaseUrl'), name), { max: 2 });
});
afterAll(async () => {
  await database?.close();
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`));
  if (before) await rm(before, { recursive: true, force: true });
});

describe('migration 0016 (sla_checks)', () => {
  it('moves every scheduled check and drops the column', async () => {
    await runMigrations(database.db, before);
    const q = (text: string, values: unknown[] = []) => database.pool.query(text, values);
    const tenant = (
      await q(`INSERT INTO tenants (name, slug) VALUES ('Shop', 'shop') RETURNING id`)
    ).rows[0].id;
    const customer = (
      await q(`INSERT INTO customers (tenant_id, name) VALUES ($1, 'Ann') RETURNING id`, [tenant])
    ).rows[0].id;
    const at = new Date('2026-03-02T10:15:00.123Z');
    const ticket = (n: number, check: Date | null) =>
      q(
        `INSERT INTO tickets (tenant_id, number, subject, status, priority, priority_rank, category,
                              kind, channel, customer_id, sla_next_check_at)
         VALUES ($1, $2, 'Kettle', 'new', 'high', 2, 'order_issue', 'b2c', 'web', $3, $4)
         RETURNING id`,
        [tenant, `TK-2026-${n}`, customer, check],
      ).then((r) => r.rows[0].id as string);
    const scheduled = await ticket(1, at);
    await ticket(2, null);

    await runMigrations(database.db);

    const { rows } = await q(`SELECT ticket_id, next_check_at FROM sla_checks`);
    expect(rows).toEqual([{ ticket_id: scheduled, next_check_at: at }]);
    const column = await q(
      `SELECT 1 FROM information_schema.columns
        WHERE table_name = 'tickets' AND column_name = 'sla_next_check_at'`,
    );
    expect(column.rowCount).toBe(0);
  });
});
