/**
 * Idempotency keys. `claim` inserts the key inside the caller's transaction: a concurrent
 * request with the same key blocks on the unique index until the first commits (then reads its
 * answer) or rolls back (then claims it itself).
 */
import { and, eq } from 'drizzle-orm';
import type { IdempotencyStore } from '../ports/stores.js';
import type { Executor } from './executor.js';
import { idempotencyKeys } from './schema.js';

export function createIdempotencyStore(db: Executor): IdempotencyStore {
  const where = (tenantId: string, scope: string, key: string) =>
    and(
      eq(idempotencyKeys.tenantId, tenantId),
      eq(idempotencyKeys.scope, scope),
      eq(idempotencyKeys.key, key),
    );
  return {
    async claim(tenantId, scope, key, requestHash, at) {
      const inserted = await db
        .insert(idempotencyKeys)
        .values({ tenantId, scope, key, requestHash, createdAt: at })
        .onConflictDoNothing()
        .returning({ key: idempotencyKeys.key });
      if (inserted.length > 0) return null;
      const [row] = await db
        .select()
        .from(idempotencyKeys)
        .where(where(tenantId, scope, key));
      if (!row) throw new Error('idempotency key vanished');
      return { requestHash: row.requestHash, status: row.responseStatus, body: row.responseBody };
    },
    async complete(tenantId, scope, key, status, body) {
      await db
        .update(idempotencyKeys)
        .set({ responseStatus: status, responseBody: body })
        .where(where(tenantId, scope, key));
    },
  };
}
