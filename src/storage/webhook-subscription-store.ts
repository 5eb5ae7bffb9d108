/** Outbound webhook subscriptions, always by tenant. */
import { and, asc, eq, sql } from 'drizzle-orm';
import { type TicketEventType, webhookDestination } from '../domain/webhook-events.js';
import type {
  WebhookSubscription,
  WebhookSubscriptionStore,
} from '../ports/webhook-subscriptions.js';
import type { Executor } from './executor.js';
import { webhookSubscriptions as table } from './schema.js';
import { isUuid } from '../domain/uuid.js';

type Row = typeof table.$inferSelect;

const toSubscription = (row: Row): WebhookSubscription => ({
  id: row.id,
  tenantId: row.tenantId,
  url: row.url,
  secret: row.secret,
  events: row.events as TicketEventType[],
  active: row.active,
  disabledReason: row.disabledReason,
  createdAt: row.createdAt,
});

export function createWebhookSubscriptionStore(db: Executor): WebhookSubscriptionStore {
  const byTenant = (tenantId: string, activeOnly: boolean) =>
    db
      .select()
      .from(table)
      .where(
        activeOnly
          ? and(eq(table.tenantId, tenantId), eq(table.active, true))
          : eq(table.tenantId, tenantId),
      )
      .orderBy(asc(table.createdAt), asc(table.id));
  return {
    async create(input) {
      const [row] = await db.insert(table).values(input).returning();
      return toSubscription(row!);
    },
    async list(tenantId) {
      return (await byTenant(tenantId, false)).map(toSubscription);
    },
    async listActive(tenantId) {
      return (await byTenant(tenantId, true)).map(toSubscription);
    },
    async find(tenantId, id) {
      if (!isUuid(id)) return null;
      const [row] = await db
        .select()
        .from(table)
        .where(and(eq(table.tenantId, tenantId), eq(table.id, id)));
      return row ? toSubscription(row) : null;
    },
    async remove(tenantId, id) {
      if (!isUuid(id)) return false;
      const gone = await db
        .delete(table)
        .where(and(eq(table.tenantId, tenantId), eq(table.id, id)))
        .returning({ id: table.id });
      return gone.length > 0;
    },
    async deliveries(tenantId, id, limit) {
      // `destination like 'webhook:%'` names the partial index outbox_webhook_deliveries_idx.
      const result = await db.execute<{
        id: string | number;
        type: string | null;
        ticket_id: string | null;
        status: string;
        attempts: number;
        last_error: string | null;
        created_at: Date | string;
        sent_at: Date | string | null;
        next_attempt_at: Date | string;
      }>(sql`
        SELECT id, payload->>'type' AS type, ticket_id, status, attempts, last_error, created_at,
               sent_at, next_attempt_at
        FROM outbox
        WHERE destination = ${webhookDestination(id)} AND destination LIKE 'webhook:%'
          AND tenant_id = ${tenantId}::uuid
        ORDER BY id DESC
        LIMIT ${limit}::int`);
      return result.rows.map((r) => ({
        id: Number(r.id),
        type: r.type ?? '',
        ticketId: r.ticket_id,
        status: r.status,
        attempts: r.attempts,
        lastError: r.last_error,
        createdAt: new Date(r.created_at),
        sentAt: r.sent_at ? new Date(r.sent_at) : null,
        nextAttemptAt: new Date(r.next_attempt_at),
      }));
    },
    async disable(tenantId, id, reason) {
      await db
        .update(table)
        .set({ active: false, disabledReason: reason })
        .where(and(eq(table.tenantId, tenantId), eq(table.id, id)));
    },
  };
}
