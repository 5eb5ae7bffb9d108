/** Customers and their channel identities; identities are unique per tenant. */
import { type SQL, and, desc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Customer, CustomerIdentity } from '../domain/records.js';
import type { IdentityKind } from '../domain/vocabulary.js';
import type { CustomerStore } from '../ports/stores.js';
import type { Executor } from './executor.js';
import { conversations, customerIdentities, customers, messages, tickets } from './schema.js';

export function createCustomerStore(db: Executor): CustomerStore {
  async function load(tenantId: string, ids: string[]): Promise<Customer[]> {
    if (ids.length === 0) return [];
    const rows = await db
      .select()
      .from(customers)
      .where(and(eq(customers.tenantId, tenantId), inArray(customers.id, ids)));
    const idents = await db
      .select()
      .from(customerIdentities)
      .where(
        and(eq(customerIdentities.tenantId, tenantId), inArray(customerIdentities.customerId, ids)),
      );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => {
      const r = byId.get(id);
      if (!r) return [];
      return [
        {
          id: r.id,
          tenantId: r.tenantId,
          name: r.name,
          language: r.language,
          tier: r.tier,
          createdAt: r.createdAt,
          identities: idents
            .filter((i) => i.customerId === id)
            .map((i) => ({ kind: i.kind as IdentityKind, value: i.value })),
        },
      ];
    });
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
      for (const key of keys)
        await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
    },
    async findByIdentities(tenantId, identities: CustomerIdentity[]) {
      if (identities.length === 0) return [];
      const matches: SQL[] = identities.map((i) =>
        and(eq(customerIdentities.kind, i.kind), eq(customerIdentities.value, i.value))!,
      );
      const rows = await db
        .selectDistinct({ id: customerIdentities.customerId, createdAt: customers.createdAt })
        .from(customerIdentities)
        .innerJoin(customers, eq(customers.id, customerIdentities.customerId))
        .where(and(eq(customerIdentities.tenantId, tenantId), or(...matches)))
        .orderBy(customers.createdAt);
      return load(
        tenantId,
        rows.map((r) => r.id),
      );
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
