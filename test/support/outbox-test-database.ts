/**
 * The outbox tests' database: a fresh test database with one tenant (Acme), and the cleanup each
 * of them runs after every test so leftovers never reach the next test's claims.
 */
import { inArray } from 'drizzle-orm';
import { outbox, tenants } from '../../src/storage/schema.js';
import { type TestDatabase, createTestDatabase } from './test-database.js';

export async function createOutboxTestDatabase(options: {
  max: number;
}): Promise<{ database: TestDatabase; tenantId: string }> {
  const database = await createTestDatabase({ max: options.max });
  const [tenant] = await database.db
    .insert(tenants)
    .values({ name: 'Acme', slug: 'acme' })
    .returning();
  return { database, tenantId: tenant!.id };
}

/** Deletes the rows still pending or sending (the ones a claim could take). */
export async function deleteUnfinishedOutboxRows(database: TestDatabase): Promise<void> {
  await database.db.delete(outbox).where(inArray(outbox.status, ['pending', 'sending']));
}
