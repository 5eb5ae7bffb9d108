/** Ticket messages; (tenant, channel, external id) is unique, so redelivery records nothing. */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, getTableColumns, inArray, isNull, sql } from 'drizzle-orm';
import type { AttachmentRef, Message } from '../domain/records.js';
import type { AuthorType, Channel, DeliveryStatus } from '../domain/vocabulary.js';
import type {
  AttachmentRecordStore,
  MessageStore,
  NewMessage,
  WorkspaceMessageRef,
} from '../ports/stores.js';
import type { Executor } from './executor.js';
import { type OutboxWriterOptions, enqueueStatement } from './outbox-store.js';
import { attachments, messages } from './schema.js';

/** Every column but `search` (a tsvector nobody reads back: it only serves the GIN index). */
const { search: _search, ...messageColumns } = getTableColumns(messages);

type MessageRow = Omit<typeof messages.$inferSelect, 'search'>;

/**
 * The key of `outbound` that says where the message shows in the agents' workspace (no column of
 * its own, to spare a migration; the web chat reads only `buttons`, `list` and `media`).
 */
const WORKSPACE_REF = 'workspace_ref';

function withWorkspaceRef(
  outbound: Record<string, unknown> | null,
  ref: WorkspaceMessageRef | null,
): Record<string, unknown> | null {
  return ref ? { ...outbound, [WORKSPACE_REF]: ref } : outbound;
}

const toMessage = (r: MessageRow, files: AttachmentRef[]): Message => ({
  id: r.id,
  tenantId: r.tenantId,
  ticketId: r.ticketId,
  authorType: r.authorType as AuthorType,
  authorId: r.authorId,
  body: r.body,
  internal: r.internal,
  channel: r.channel as Channel,
  externalId: r.externalId,
  deliveryStatus: r.deliveryStatus as DeliveryStatus | null,
  deliveryError: r.deliveryError,
  conversationId: r.conversationId,
  attachments: files,
  createdAt: r.createdAt,
});

const toRef = (a: typeof attachments.$inferSelect): AttachmentRef => ({
  id: a.id,
  sha256: a.sha256,
  sizeBytes: a.sizeBytes,
  mimeType: a.mimeType,
  fileName: a.fileName,
});

export function createMessageStore(
  db: Executor,
  outboxOpts: OutboxWriterOptions = {},
): MessageStore {
  return {
    async insertForDelivery(m, delivery) {
      const id = randomUUID();
      const outbound = withWorkspaceRef(m.outbound ?? null, m.workspaceRef ?? null);
      // The message is a CTE of the outbox insert: one statement, both rows or neither.
      const message = sql`message AS (
        INSERT INTO ${messages} (id, tenant_id, ticket_id, conversation_id, author_type, author_id,
                                 body, internal, channel, external_id, outbound, delivery_status,
                                 created_at)
        VALUES (${id}::uuid, ${m.tenantId}::uuid, ${m.ticketId}::uuid, ${m.conversationId ?? null}::uuid,
                ${m.authorType}::text, ${m.authorId}::text, ${m.body}::text, ${m.internal}::boolean,
                ${m.channel}::text, ${m.externalId ?? null}::text,
                ${outbound === null ? null : JSON.stringify(outbound)}::jsonb,
                ${m.deliveryStatus ?? null}::text, ${m.createdAt}::timestamptz))`;
      await db.execute(enqueueStatement(delivery(id), outboxOpts, message));
      return id;
    },
    async insert(m: NewMessage) {
      const [row] = await db
        .insert(messages)
        .values({
          tenantId: m.tenantId,
          ticketId: m.ticketId,
          authorType: m.authorType,
          authorId: m.authorId,
          body: m.body,
          internal: m.internal,
          channel: m.channel,
          externalId: m.externalId ?? null,
          conversationId: m.conversationId ?? null,
          outbound: withWorkspaceRef(m.outbound ?? null, m.workspaceRef ?? null),
          deliveryStatus: m.deliveryStatus ?? null,
          createdAt: m.createdAt,
        })
        .onConflictDoNothing()
        .returning(messageColumns);
      return row ? toMessage(row, []) : null;
    },
    async listForTicket(tenantId, ticketId) {
      const rows = await db
        .select(messageColumns)
        .from(messages)
        .where(and(eq(messages.tenantId, tenantId), eq(messages.ticketId, ticketId)))
        .orderBy(asc(messages.createdAt), asc(messages.id));
      if (rows.length === 0) return [];
      const files = await db
        .select()
        .from(attachments)
        .where(
          and(
            eq(attachments.tenantId, tenantId),
            inArray(
              attachments.messageId,
              rows.map((r) => r.id),
            ),
          ),
        )
        .orderBy(asc(attachments.createdAt));
      return rows.map((r) => toMessage(r, files.filter((f) => f.messageId === r.id).map(toRef)));
    },
    async listForConversation(tenantId, conversationId, afterId, limit) {
      const conds = [
        eq(messages.tenantId, tenantId),
        eq(messages.conversationId, conversationId),
        eq(messages.internal, false),
        inArray(messages.authorType, ['customer', 'bot', 'agent']),
      ];
      if (afterId) {
        conds.push(
          sql`(${messages.createdAt}, ${messages.id}) > (select m2.created_at, m2.id from messages m2 where m2.id = ${afterId} and m2.tenant_id = ${tenantId})`,
        );
      }
      const rows = await db
        .select({
          id: messages.id,
          authorType: messages.authorType,
          body: messages.body,
          externalId: messages.externalId,
          outbound: messages.outbound,
          createdAt: messages.createdAt,
        })
        .from(messages)
        .where(and(...conds))
        .orderBy(asc(messages.createdAt), asc(messages.id))
        .limit(limit);
      return rows.map((r) => ({
        ...r,
        authorType: r.authorType as AuthorType,
        outbound: (r.outbound as Record<string, unknown> | null) ?? null,
      }));
    },
    async findById(tenantId, id) {
      const [row] = await db
        .select(messageColumns)
        .from(messages)
        .where(and(eq(messages.tenantId, tenantId), eq(messages.id, id)));
      if (!row) return null;
      const files = await db
        .select()
        .from(attachments)
        .where(and(eq(attachments.tenantId, tenantId), eq(attachments.messageId, id)));
      return toMessage(row, files.map(toRef));
    },
    async applyDeliveryReceipt(tenantId, channel, externalId, status, error) {
      // Forward only: a late 'delivered' never overwrites 'read'; 'failed' always lands.
      const rank = sql`case ${messages.deliveryStatus} when 'read' then 3 when 'delivered' then 2 when 'sent' then 1 else 0 end`;
      const target = { sent: 1, delivered: 2, read: 3, pending: 0, failed: 99 }[status];
      const [row] = await db
        .update(messages)
        .set({
          deliveryStatus: sql`case when ${rank} < ${target} then ${status} else ${messages.deliveryStatus} end`,
          deliveryError: status === 'failed' ? (error ?? 'failed') : sql`delivery_error`,
        })
        .where(
          and(
            eq(messages.tenantId, tenantId),
            eq(messages.channel, channel),
            eq(messages.externalId, externalId),
          ),
        )
        .returning({
          id: messages.id,
          ticketId: messages.ticketId,
          authorType: messages.authorType,
        });
      return row ? { ...row, authorType: row.authorType as AuthorType } : null;
    },
    async setWorkspaceRef(tenantId, id, ref) {
      await db
        .update(messages)
        .set({
          outbound: sql`coalesce(${messages.outbound}, '{}'::jsonb) || jsonb_build_object(${WORKSPACE_REF}::text, ${JSON.stringify(ref)}::jsonb)`,
        })
        .where(and(eq(messages.tenantId, tenantId), eq(messages.id, id)));
    },
    async findWorkspaceRef(tenantId, id) {
      const [row] = await db
        .select({ ref: sql<unknown>`${messages.outbound} -> ${WORKSPACE_REF}::text` })
        .from(messages)
        .where(and(eq(messages.tenantId, tenantId), eq(messages.id, id)));
      const ref = row?.ref as Partial<WorkspaceMessageRef> | null | undefined;
      return typeof ref?.channel === 'string' && typeof ref.ts === 'string'
        ? { channel: ref.channel, ts: ref.ts }
        : null;
    },
    async adoptConversationMessages(tenantId, conversationId, ticketId) {
      const adopted = await db
        .update(messages)
        .set({ ticketId })
        .where(
          and(
            eq(messages.tenantId, tenantId),
            eq(messages.conversationId, conversationId),
            isNull(messages.ticketId),
          ),
        )
        .returning({ id: messages.id });
      if (adopted.length > 0) {
        await db
          .update(attachments)
          .set({ ticketId })
          .where(
            and(
              eq(attachments.tenantId, tenantId),
              inArray(
                attachments.messageId,
                adopted.map((m) => m.id),
              ),
            ),
          );
      }
      return adopted.length;
    },
    async setTicket(tenantId, id, ticketId) {
      await db
        .update(messages)
        .set({ ticketId })
        .where(and(eq(messages.tenantId, tenantId), eq(messages.id, id)));
      await db
        .update(attachments)
        .set({ ticketId })
        .where(and(eq(attachments.tenantId, tenantId), eq(attachments.messageId, id)));
    },
    async setDeliveryStatus(tenantId, id, status, error) {
      await db
        .update(messages)
        .set({ deliveryStatus: status, deliveryError: error ?? sql`delivery_error` })
        .where(and(eq(messages.tenantId, tenantId), eq(messages.id, id)));
    },
  };
}

export function createAttachmentRecordStore(db: Executor): AttachmentRecordStore {
  return {
    async insert(input) {
      const [row] = await db.insert(attachments).values(input).returning();
      if (!row) throw new Error('attachment insert returned nothing');
      return toRef(row);
    },
  };
}
