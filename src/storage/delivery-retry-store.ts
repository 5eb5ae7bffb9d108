/** Retrying a failed delivery from its message (see ports/delivery-retry.ts). */
import { sql } from 'drizzle-orm';
import type { DeliveryRetryStore } from '../ports/delivery-retry.js';
import type { Executor } from './executor.js';

export function createDeliveryRetryStore(db: Executor): DeliveryRetryStore {
  return {
    async retryFailed(tenantId, messageId, at) {
      // One statement: the row, its message and the ticket change together. Later rows of the
      // same ordering key may have gone out meanwhile: a retried message arrives after them.
      const result = await db.execute<{ n: number }>(sql`
        WITH retried AS (
          UPDATE outbox
          SET status = 'pending', attempts = 0, locked_until = NULL, last_error = NULL,
              next_attempt_at = ${at}::timestamptz
          WHERE message_id = ${messageId}::uuid AND tenant_id = ${tenantId}::uuid
            AND status = 'failed'
          RETURNING tenant_id, ticket_id, message_id
        ), message AS (
          UPDATE messages m SET delivery_status = 'pending', delivery_error = NULL
          FROM retried r WHERE m.id = r.message_id AND m.tenant_id = r.tenant_id
        ), ticket AS (
          UPDATE tickets t SET last_delivery_error = NULL
          FROM retried r WHERE t.id = r.ticket_id AND t.tenant_id = r.tenant_id
        )
        SELECT count(*)::int AS n FROM retried`);
      return Number(result.rows[0]?.n ?? 0) > 0;
    },
  };
}
