/** Customers and their channel identities; identities are unique per tenant. */
import { type SQL, and, desc, eq, sql } from 'drizzle-orm';
import type { Customer, CustomerIdentity } from '../domain/records.js';
import type { IdentityKind } from '../domain/vocabulary.js';
import type { CustomerStore } from '../ports/stores.js';
import type { Executor } from './executor.js';
import { conversations, customerIdentities, customers, messages, tickets } from './schema.js';

interface CustomerRow extends Record<string, unknown> {
  id: string;
  tenant_id: string;
  name: string | null;
  language: string | null;
  tier: string | null;
  created_at: Date | string;
  identities: { kind: string; value: string }[];
}

/** A customer's identities as a JSON array, oldest first (`c` is the customers row). */
const IDENTITIES = sql`(
  SELECT coalesce(json_agg(json_build_object('kind', i.kind, 'value', i.value)
                           ORDER BY i.created_at, i.id), '[]'::json)
  FROM customer_identities i WHERE i.tenant_id = c.tenant_id AND i.customer_id = c.id)`;

const toCustomer = (r: CustomerRow): Customer => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  language: r.language,
  tier: r.tier,
  createdAt: new Date(r.created_at),
  identities: r.identities.map((i) => ({ kind: i.kind as IdentityKind, value: i.value })),
});

export function createCustomerStore(db: Executor): CustomerStore {
  /** Customers by id with their identities, one statement, in the order of `ids`. */
  async function load(tenantId: string, ids: string[]): Promise<Customer[]> {
    if (ids.length === 0) return [];
    const result = await db.execute<CustomerRow>(sql`
      SELECT c.id, c.tenant_id, c.name, c.language, c.tier, c.created_at, ${IDENTITIES} AS identities
      FROM ${customers} c
      WHERE c.tenant_id = ${tenantId}::uuid AND c.id = ANY(${sql.param(ids)}::uuid[])`);
    const byId = new Map(result.rows.map((r) => [r.id, toCustomer(r)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  return {
    async create(tenantId, input) {
      const [row] = await db
        .insert(customers)
        .values({
          tenantId,
          name: input.name ?? null,
          language: input.language ?? null,
          tier: input.tier ?? null,
        })
        .returning({ id: customers.id });
      if (!row) throw new Error('customer insert returned nothing');
      const [created] = await load(tenantId, [row.id]);
      return created!;
    },
    async findById(tenantId, id) {
      const [found] = await load(tenantId, [id]);
      return found ?? null;
    },
    async lockIdentities(tenantId, identities) {
      const keys = [...new Set(identities.map((i) => `${tenantId}:${i.kind}:${i.value}`))].sort();
      if (keys.length === 0) return;
      // One statement, the locks taken in the keys' order (the aggregate reads the ordered rows).
      await db.execute(sql`
        SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0)))
        FROM (SELECT k FROM unnest(${sql.param(keys)}::text[]) WITH ORDINALITY AS u(k, n)
              ORDER BY n) ordered`);
    },
    async findByIdentities(tenantId, identities: CustomerIdentity[]) {
      if (identities.length === 0) return [];
      // One statement: the matching customers, oldest first, each with all its identities.
      const result = await db.execute<CustomerRow>(sql`
        SELECT c.id, c.tenant_id, c.name, c.language, c.tier, c.created_at, ${IDENTITIES} AS identities
        FROM ${customers} c
        WHERE c.tenant_id = ${tenantId}::uuid
          AND c.id IN (
            SELECT m.customer_id FROM ${customerIdentities} m
            JOIN unnest(${sql.param(identities.map((i) => i.kind))}::text[],
                        ${sql.param(identities.map((i) => i.value))}::text[]) AS q(kind, value)
              ON m.kind = q.kind AND m.value = q.value
            WHERE m.tenant_id = ${tenantId}::uuid)
        ORDER BY c.created_at, c.id`);
      return result.rows.map(toCustomer);
    },
    async addIdentities(tenantId, customerId, identities) {
      if (identities.length === 0) return;
      await db
        .insert(customerIdentities)
        .values(identities.map((i) => ({ tenantId, customerId, kind: i.kind, value: i.value })))
        .onConflictDoNothing();
    },
    async update(tenantId, id, patch) {
      const set: Partial<typeof customers.$inferInsert> = { updatedAt: new Date() };
      if (patch.name != null) set.name = patch.name;
      if (patch.language != null) set.language = patch.language;
      if (patch.tier != null) set.tier = patch.tier;
      await db
        .update(customers)
        .set(set)
        .where(and(eq(customers.tenantId, tenantId), eq(customers.id, id)));
    },
    async merge(tenantId, intoId, fromId) {
      const scope = (col: typeof customerIdentities.customerId | typeof tickets.customerId) =>
        and(sql`tenant_id = ${tenantId}`, eq(col, fromId));
      await db
        .update(customerIdentities)
        .set({ customerId: intoId })
        .where(scope(customerIdentities.customerId));
      await db.update(tickets).set({ customerId: intoId }).where(scope(tickets.customerId));
      await db
        .update(conversations)
        .set({ customerId: intoId })
        .where(and(eq(conversations.tenantId, tenantId), eq(conversations.customerId, fromId)));
      await db
        .update(messages)
        .set({ authorId: intoId })
        .where(
          and(
            eq(messages.tenantId, tenantId),
            eq(messages.authorType, 'customer'),
            eq(messages.authorId, fromId),
          ),
        );
      await db
        .delete(customers)
        .where(and(eq(customers.tenantId, tenantId), eq(customers.id, fromId)));
    },
    async list(tenantId, page) {
      const where: SQL[] = [eq(customers.tenantId, tenantId)];
      if (page.after)
        where.push(
          sql`(${customers.createdAt}, ${customers.id}) < (${page.after.createdAt}, ${page.after.id})`,
        );
      const rows = await db
        .select({ id: customers.id })
        .from(customers)
        .where(and(...where))
        .orderBy(desc(customers.createdAt), desc(customers.id))
        .limit(page.limit);
      return load(
        tenantId,
        rows.map((r) => r.id),
      );
    },
  };
}
