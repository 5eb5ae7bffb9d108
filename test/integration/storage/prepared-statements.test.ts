/** The pool's clients prepare parametrized statements once per connection and reuse them. */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenants } from '../../../src/storage/schema.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase({ max: 1, prepare: true });
});
afterAll(() => database?.close());

/** The statements prepared on the pool's one connection whose text mentions `marker`. */
async function preparedWith(marker: string) {
  const result = await database.db.execute<{ name: string; calls: string }>(sql`
    SELECT name, (generic_plans + custom_plans)::text AS calls FROM pg_prepared_statements
    WHERE statement LIKE ${`%${marker}%`} AND statement NOT LIKE '%pg_prepared_statements%'`);
  return result.rows;
}

describe('prepared statements', () => {
  it('prepares a drizzle query once and binds it on every later call, with the same results', async () => {
    const [a] = await database.db
      .insert(tenants)
      .values({ name: 'Prep A', slug: 'prep-a' })
      .returning();
    await database.db.insert(tenants).values({ name: 'Prep B', slug: 'prep-b' });
    const find = (slug: string) =>
      database.db.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, slug));
    expect(await find('prep-a')).toEqual([{ id: a!.id }]);
    expect(await find('prep-b')).toHaveLength(1);
    expect(await find('nobody')).toEqual([]);
    const prepared = await preparedWith('"tenants"."slug" = $1');
    expect(prepared).toHaveLength(1);
    expect(Number(prepared[0]!.calls)).toBe(3);
  });

  it('leaves statements without parameters unnamed', async () => {
    await database.db.execute(sql`SELECT 'unparametrized-marker' AS x`);
    expect(await preparedWith('unparametrized-marker')).toEqual([]);
  });
});
