import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

describe('createTestDatabase', () => {
  let a: TestDatabase;
  let b: TestDatabase;

  beforeAll(async () => {
    [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it('gives each caller its own database', async () => {
    expect(a.name).not.toBe(b.name);
    const current = async (t: TestDatabase) =>
      (await t.pool.query<{ db: string }>('SELECT current_database() AS db')).rows[0]?.db;
    expect(await current(a)).toBe(a.name);
    expect(await current(b)).toBe(b.name);
  });

  it('keeps rows written in one database out of the other', async () => {
    await a.db.execute(sql`CREATE TABLE isolation_probe (value text)`);
    await a.db.execute(sql`INSERT INTO isolation_probe VALUES ('only in a')`);
    const inA = await a.pool.query('SELECT value FROM isolation_probe');
    expect(inA.rows).toEqual([{ value: 'only in a' }]);
    await expect(b.pool.query('SELECT value FROM isolation_probe')).rejects.toMatchObject({
      code: '42P01', // undefined_table
    });
  });

  it('starts from the migrated template', async () => {
    const journal = await a.pool.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM information_schema.tables
        WHERE table_schema = 'drizzle' AND table_name = '__drizzle_migrations'`,
    );
    expect(journal.rows[0]?.n).toBe('1');
    const tenants = await b.pool.query(`SELECT to_regclass('public.tenants') AS t`);
    expect(tenants.rows[0]).toEqual({ t: 'tenants' });
  });

  it('drops the database on close', async () => {
    const c = await createTestDatabase();
    await c.close();
    const left = await a.pool.query('SELECT 1 FROM pg_database WHERE datname = $1', [c.name]);
    expect(left.rowCount).toBe(0);
  });
});
