/**
 * The queue counts' deltas (`ticket_queue_counts`, kept by a trigger on `tickets`) against the
 * tickets themselves: after random inserts, status changes, (un)assignments and deletes, single
 * and bulk, with folds running beside concurrent writers, and after a bulk load that bypassed the
 * trigger and a rebuild.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN_STATUSES, TICKET_STATUSES } from '../../../src/domain/vocabulary.js';
import { createQueueCountsStore } from '../../../src/storage/queue-counts-store.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

let database: TestDatabase;
const tenants: string[] = [];
const agents = new Map<string, string[]>();
const customers = new Map<string, string>();
let serial = 0;

/** mulberry32: a reproducible sequence of changes. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function q<T = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
  return (await database.pool.query(text, values)).rows as T[];
}

beforeAll(async () => {
  database = await createTestDatabase();
  for (const slug of ['counts-a', 'counts-b']) {
    const [tenant] = await q<{ id: string }>(
      `INSERT INTO tenants (name, slug) VALUES ($1, $1) RETURNING id`,
      [slug],
    );
    tenants.push(tenant!.id);
    const [customer] = await q<{ id: string }>(
      `INSERT INTO customers (tenant_id, name) VALUES ($1, 'C') RETURNING id`,
      [tenant!.id],
    );
    customers.set(tenant!.id, customer!.id);
    const ids: string[] = [];
    for (const name of ['Ana', 'Ben', 'Chi']) {
      const [agent] = await q<{ id: string }>(
        `INSERT INTO agents (tenant_id, name, role) VALUES ($1, $2, 'agent') RETURNING id`,
        [tenant!.id, name],
      );
      ids.push(agent!.id);
    }
    agents.set(tenant!.id, ids);
  }
});
afterAll(() => database?.close());

function insertTicket(tenantId: string, status: string, assignee: string | null) {
  serial += 1;
  return q(
    `INSERT INTO tickets (tenant_id, number, subject, status, priority, priority_rank, category,
       kind, channel, customer_id, assignee_id)
     VALUES ($1, $2, 's', $3, 'medium', 2, 'billing', 'b2c', 'api', $4, $5)`,
    [
      tenantId,
      `TK-2026-${String(serial).padStart(5, '0')}`,
      status,
      customers.get(tenantId),
      assignee,
    ],
  );
}

async function deltaRows(tenantId?: string): Promise<number> {
  const rows = await q<{ n: number }>(
    `SELECT count(*)::int AS n FROM ticket_queue_counts WHERE $1::uuid IS NULL OR tenant_id = $1`,
    [tenantId ?? null],
  );
  return rows[0]!.n;
}

/** What the counts must be: counted from `tickets`. */
async function counted(tenantId: string) {
  const rows = await q<{ status: string; unassigned: boolean; n: number }>(
    `SELECT status, assignee_id IS NULL AS unassigned, count(*)::int AS n FROM tickets
     WHERE tenant_id = $1 AND status = ANY($2) GROUP BY 1, 2`,
    [tenantId, OPEN_STATUSES],
  );
  return summarize(rows);
}

/** What the deltas say. */
async function kept(tenantId: string) {
  const rows = await q<{ status: string; unassigned: boolean; n: number }>(
    `SELECT status, unassigned, sum(n)::int AS n FROM ticket_queue_counts
     WHERE tenant_id = $1 GROUP BY 1, 2`,
    [tenantId],
  );
  return summarize(rows);
}

function summarize(rows: { status: string; unassigned: boolean; n: number }[]) {
  const out: Record<string, number> = {};
  for (const r of rows) {
    const key = `${r.status}/${r.unassigned ? 'unassigned' : 'assigned'}`;
    out[key] = (out[key] ?? 0) + r.n;
  }
  for (const key of Object.keys(out)) if (out[key] === 0) delete out[key];
  return out;
}

async function randomChanges(rand: () => number, steps: number) {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  for (let k = 0; k < steps; k++) {
    const tenantId = pick(tenants);
    const who = () => (rand() < 0.4 ? null : pick(agents.get(tenantId)!));
    const [ticket] = await q<{ id: string }>(
      `SELECT id FROM tickets WHERE tenant_id = $1 ORDER BY random() LIMIT 1`,
      [tenantId],
    );
    const r = rand();
    if (!ticket || r < 0.3) await insertTicket(tenantId, pick(TICKET_STATUSES), who());
    else if (r < 0.55)
      await q(`UPDATE tickets SET status = $2 WHERE id = $1`, [ticket.id, pick(TICKET_STATUSES)]);
    else if (r < 0.75)
      await q(`UPDATE tickets SET assignee_id = $2 WHERE id = $1`, [ticket.id, who()]);
    else if (r < 0.8)
      // Neither column changes value: no delta may be written.
      await q(
        `UPDATE tickets SET status = status, assignee_id = assignee_id, subject = 'x' WHERE id = $1`,
        [ticket.id],
      );
    else if (r < 0.9)
      await q(
        `UPDATE tickets SET status = $2, assignee_id = $3 WHERE tenant_id = $1 AND random() < 0.3`,
        [tenantId, pick(TICKET_STATUSES), who()],
      );
    else await q(`DELETE FROM tickets WHERE id = $1`, [ticket.id]);
  }
}

describe('queue counts kept as deltas', () => {
  it('match the tickets after random single and bulk changes, per tenant', async () => {
    await randomChanges(random(7), 300);
    const groups: number[] = [];
    for (const tenantId of tenants) {
      const expected = await counted(tenantId);
      groups.push(Object.keys(expected).length);
      expect(await kept(tenantId)).toEqual(expected);
    }
    // The changes left variety to count (a bulk update that hits most of a tenant's tickets can
    // leave that one tenant with two groups: SQL's random() is not the seeded one).
    expect(Math.max(...groups)).toBeGreaterThan(2);
  });

  it('an update that changes neither status nor assignee writes no delta', async () => {
    const before = await deltaRows();
    await q(`UPDATE tickets SET subject = 'renamed', priority = 'high'`);
    await q(`UPDATE tickets SET status = status`);
    expect(await deltaRows()).toBe(before);
  });

  it('folding keeps the sums, shrinks the rows, and loses nothing beside concurrent writers', async () => {
    const store = createQueueCountsStore(database.db);
    const writers = [1, 2, 3].map((seed) => randomChanges(random(100 + seed), 80));
    let folded = 0;
    const folds = (async () => {
      for (let k = 0; k < 15; k++) {
        folded += (await store.fold(0, 10)).rows;
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await Promise.all([...writers, folds]);
    expect(folded).toBeGreaterThan(0);
    const last = await store.fold(0, 10);
    expect(last.tenants).toBe(2);
    for (const tenantId of tenants) {
      expect(await kept(tenantId)).toEqual(await counted(tenantId));
      // After a fold: at most one row per (status, unassigned), none summing to zero.
      const rows = await q<{ n: number }>(
        `SELECT n FROM ticket_queue_counts WHERE tenant_id = $1`,
        [tenantId],
      );
      expect(rows.length).toBeLessThanOrEqual(OPEN_STATUSES.length * 2);
      expect(rows.every((r) => r.n !== 0)).toBe(true);
    }
  });

  it('a tenant with no more rows than the threshold is not folded', async () => {
    const store = createQueueCountsStore(database.db);
    // Folded just before: the other tenant has at most 8 rows, this one 20 more.
    for (let k = 0; k < 20; k++) await insertTicket(tenants[0]!, 'new', null);
    const rows = await deltaRows(tenants[0]);
    expect(await store.fold(rows, 10)).toEqual({ tenants: 0, rows: 0 });
    expect(await store.fold(rows - 1, 10)).toMatchObject({ tenants: 1, rows });
  });

  it('rebuild recounts a tenant after a bulk load that bypassed the trigger', async () => {
    const [tenantId] = tenants;
    const client = await database.pool.connect();
    try {
      await client.query(`SET session_replication_role = replica`); // what bulk loaders do
      for (let k = 0; k < 5; k++) {
        serial += 1;
        await client.query(
          `INSERT INTO tickets (tenant_id, number, subject, status, priority, priority_rank,
             category, kind, channel, customer_id)
           VALUES ($1, $2, 's', 'new', 'medium', 2, 'billing', 'b2c', 'api', $3)`,
          [tenantId, `TK-2026-9${String(serial).padStart(4, '0')}`, customers.get(tenantId!)],
        );
      }
    } finally {
      await client.query(`RESET session_replication_role`);
      client.release();
    }
    expect(await kept(tenantId!)).not.toEqual(await counted(tenantId!));
    const other = await kept(tenants[1]!);
    await createQueueCountsStore(database.db).rebuild(tenantId!);
    expect(await kept(tenantId!)).toEqual(await counted(tenantId!));
    expect(await kept(tenants[1]!)).toEqual(other);
  });
});
