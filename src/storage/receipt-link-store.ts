/** Receipt links and shared server secrets. */
import { eq } from 'drizzle-orm';
import type { ReceiptContext, ReceiptLinkStore, SecretStore } from '../ports/stores.js';
import type { Executor } from './executor.js';
import { appSecrets, receiptLinks } from './schema.js';

export function createReceiptLinkStore(db: Executor): ReceiptLinkStore {
  return {
    async create(input) {
      await db.insert(receiptLinks).values(input);
    },
    async findByCode(code) {
      const [row] = await db.select().from(receiptLinks).where(eq(receiptLinks.code, code));
      return row
        ? {
            tenantId: row.tenantId,
            context: row.context as ReceiptContext,
            expiresAt: row.expiresAt,
          }
        : null;
    },
  };
}

export function createSecretStore(db: Executor): SecretStore {
  return {
    async getOrCreate(name, generate) {
      await db.insert(appSecrets).values({ name, value: generate() }).onConflictDoNothing();
      const [row] = await db.select().from(appSecrets).where(eq(appSecrets.name, name));
      if (!row) throw new Error(`secret ${name} vanished`);
      return row.value;
    },
  };
}
