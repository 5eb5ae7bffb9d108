/**
 * Set-based seeding: a million tickets in about a minute, with `INSERT … SELECT … FROM
 * generate_series`. Deterministic apart from UUIDs (`setseed`).
 *
 * Shape of the data (per tenant; fractions are of that tenant's tickets):
 * - agents (3 supervisors, the rest agents), customers with an email identity (half also a phone);
 *   ticket → customer is skewed (a few customers have hundreds of tickets);
 * - 93 % done: 85 % closed, 8 % resolved; 7 % open: new 1.4 %, assigned 2.1 %, in_progress 2.1 %,
 *   awaiting_customer 1.4 %. Closed tickets spread over ~2 years, open ones over the last 30 days
 *   (new ones: the last 2 days). Rows are inserted in created_at order, as they would arrive;
 * - priority low 20 %, medium 55 %, high 20 %, urgent 5 %;
 * - open tickets have `sla_due_at` uniformly from 1 day ago to 5 days ahead (≈ 1/6 overdue);
 *   `new` tickets have no assignee, all others one of the agents (uniform);
 * - numbers `TK-YYYY-NNNNN` by creation order within each year, and `ticket_counters` at the
 *   highest sequence per year, so tickets created through the API continue the sequence;
 * - subjects/descriptions from 40 phrases × 30 products; searchable words: "damaged" (one phrase,
 *   ≈ 2.5 % of tickets), "reykjavik" (≈ 0.1 % of descriptions), "zanzibar" (only in ≈ 0.05 % of
 *   messages);
 * - one customer message for every `messageEvery`-th ticket.
 *
 * For speed the secondary indexes of `tickets` and `messages` are dropped before the load and
 * re-created (from their own `pg_get_indexdef`) afterwards, and — when the role is a superuser —
 * foreign-key triggers are skipped (`session_replication_role = replica`); the data is generated
 * consistent. Then VACUUM (ANALYZE), as autovacuum would do after a bulk load.
 */
import type pg from 'pg';
import { rebuildQueueCounts } from './queue-counts.js';

export interface TenantSeed {
  slug: string;
  name: string;
  tickets: number;
  customers: number;
  agents: number;
  /** One message for every n-th ticket (0 = none). */
  messageEvery: number;
  /** setseed() value in [-1, 1]. */
  seed: number;
}

export interface SeededTenant {
  slug: string;
  id: string;
  agentIds: string[];
  tickets: number;
  customers: number;
  messages: number;
  /** Highest sequence per year, as stored in ticket_counters. */
  counters: Record<string, number>;
}

export interface SeedReport {
  tenants: SeededTenant[];
  seconds: number;
  steps: Record<string, number>;
  fkChecksSkipped: boolean;
}

const PHRASES = [
  'Parcel arrived damaged',
  'Wrong item delivered',
  'Missing item in order',
  'Refund not received',
  'Cannot log in to my account',
  'Invoice shows wrong amount',
  'Charged twice',
  'Warranty claim',
  'Device stopped working',
  'Screen flickers',
  'Battery drains quickly',
  'Delivery is late',
  'Change delivery address',
  'Cancel my order',
  'Return label request',
  'Product quality complaint',
  'Stitching came loose',
  'Color differs from photo',
  'Size exchange',
  'Promo code not applied',
  'Payment failed',
  'App crashes on start',
  'Password reset email missing',
  'Question about subscription',
  'Bulk order quote',
  'VAT invoice needed',
  'Spare parts availability',
  'Installation help',
  'Noise from the motor',
  'Leaking water',
  'Overheating during use',
  'Missing manual',
  'Gift wrapping request',
  'Order stuck in processing',
  'Tracking not updating',
  'Courier did not ring',
  'Package left at wrong door',
  'Product expired',
  'Allergic reaction concern',
  'Feedback on support',
];

const PRODUCTS = [
  'espresso machine',
  'kettle',
  'blender',
  'air fryer',
  'toaster',
  'headphones',
  'smartwatch',
  'phone case',
  'laptop stand',
  'desk lamp',
  'office chair',
  'backpack',
  'running shoes',
  'rain jacket',
  'yoga mat',
  'water bottle',
  'coffee grinder',
  'vacuum cleaner',
  'hair dryer',
  'electric toothbrush',
  'bluetooth speaker',
  'router',
  'keyboard',
  'mouse',
  'monitor',
  'tablet',
  'e-reader',
  'camera',
  'tripod',
  'power bank',
];

const FILLERS = [
  'Please help.',
  'I have attached nothing yet.',
  'This is the second time.',
  'Thanks in advance.',
  'I need this sorted before the weekend.',
  'My neighbour had the same problem.',
  'Can you call me back?',
  'I would prefer an exchange.',
];

const sqlArray = (items: readonly string[]): string =>
  `array[${items.map((s) => `'${s.replaceAll("'", "''")}'`).join(',')}]`;

/** Words the list benchmark searches for, and roughly how often they occur. */
export const SEARCH_WORDS = {
  common: 'damaged',
  rare: 'reykjavik',
  messagesOnly: 'zanzibar',
} as const;

export async function timed<T>(
  steps: Record<string, number>,
  name: string,
  fn: () => Promise<T>,
): Promise<T> {
  const started = performance.now();
  try {
    return await fn();
  } finally {
    steps[name] = Math.round((performance.now() - started) / 10) / 100 + (steps[name] ?? 0);
  }
}

export interface IndexDef {
  name: string;
  def: string;
}

export async function secondaryIndexes(client: pg.ClientBase, table: string): Promise<IndexDef[]> {
  const { rows } = await client.query<IndexDef>(
    `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = $1::regclass AND NOT i.indisprimary
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
      ORDER BY c.relname`,
    [table],
  );
  return rows;
}

export async function seed(
  client: pg.ClientBase,
  tenants: TenantSeed[],
  now: Date,
): Promise<SeedReport> {
  const steps: Record<string, number> = {};
  const started = performance.now();
  await client.query(`SET maintenance_work_mem = '512MB'`);
  await client.query(`SET work_mem = '256MB'`);
  await client.query(`SET synchronous_commit = off`);
  let fkChecksSkipped = false;
  try {
    await client.query(`SET session_replication_role = replica`);
    fkChecksSkipped = true;
  } catch {
    // not a superuser: foreign keys are checked row by row (slower, same result)
  }

  const dropped: IndexDef[] = [];
  await timed(steps, 'drop_indexes', async () => {
    for (const table of ['tickets', 'messages']) {
      for (const idx of await secondaryIndexes(client, table)) {
        await client.query(`DROP INDEX ${client.escapeIdentifier(idx.name)}`);
        dropped.push(idx);
      }
    }
  });

  const seeded: SeededTenant[] = [];
  for (const t of tenants) seeded.push(await seedTenant(client, t, now, steps));

  await timed(steps, 'create_indexes', async () => {
    for (const idx of dropped) await client.query(idx.def);
  });
  await client.query(`RESET session_replication_role`).catch(() => undefined);
  await timed(steps, 'queue_counts', async () => {
    for (const t of seeded) await rebuildQueueCounts(client, t.id);
  });
  await timed(steps, 'vacuum_analyze', async () => {
    for (const table of [
      'tickets',
      'messages',
      'customers',
      'customer_identities',
      'agents',
      'ticket_counters',
      'tenants',
      'api_keys',
    ]) {
      await client.query(`VACUUM (ANALYZE) ${table}`);
    }
  });
  await timed(steps, 'checkpoint', async () => {
    // So the first measured writes do not pay for flushing the seed data (needs pg_checkpoint).
    await client.query('CHECKPOINT').catch(() => undefined);
  });
  return {
    tenants: seeded,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    steps,
    fkChecksSkipped,
  };
}

async function seedTenant(
  client: pg.ClientBase,
  t: TenantSeed,
  now: Date,
  steps: Record<string, number>,
): Promise<SeededTenant> {
  const q = (text: string, values: unknown[] = []) => client.query(text, values);
  await q('SELECT setseed($1)', [t.seed]);
  await q('DROP TABLE IF EXISTS seed_agents, seed_customers, seed_tickets');

  const { rows: tenantRows } = await client.query<{ id: string }>(
    `INSERT INTO tenants (name, slug, timezone) VALUES ($1, $2, 'UTC')
     ON CONFLICT (slug) DO UPDATE SET name = tenants.name RETURNING id`,
    [t.name, t.slug],
  );
  const tenantId = tenantRows[0]!.id;

  await timed(steps, 'agents_customers', async () => {
    await q(
      `CREATE TEMP TABLE seed_agents AS SELECT g AS n, gen_random_uuid() AS id FROM generate_series(1, $1::int) g`,
      [t.agents],
    );
    await q(
      `INSERT INTO agents (id, tenant_id, name, email, role, capacity, created_at)
       SELECT id, $1::uuid, format('Agent %s', lpad(n::text, 2, '0')), format('agent%s@%s.example', n, $2::text),
              CASE WHEN n <= 3 THEN 'supervisor' ELSE 'agent' END, 40, $3::timestamptz - interval '800 days'
         FROM seed_agents`,
      [tenantId, t.slug, now],
    );
    await q(
      `CREATE TEMP TABLE seed_customers AS SELECT g AS n, gen_random_uuid() AS id FROM generate_series(1, $1::int) g`,
      [t.customers],
    );
    await q(
      `INSERT INTO customers (id, tenant_id, name, language, tier, created_at, updated_at)
       SELECT id, $1::uuid, 'Customer ' || n, (array['en','en','en','hi','id','es','zh'])[1 + n % 7],
              CASE WHEN n % 10 = 0 THEN 'gold' END,
              $3::timestamptz - interval '760 days' + (n::float8 / $2) * interval '740 days',
              $3::timestamptz - interval '760 days' + (n::float8 / $2) * interval '740 days'
         FROM seed_customers`,
      [tenantId, t.customers, now],
    );
    await q(
      `INSERT INTO customer_identities (tenant_id, customer_id, kind, value)
       SELECT $1::uuid, id, 'email', format('customer%s@%s.example', n, $2::text) FROM seed_customers
       UNION ALL
       SELECT $1::uuid, id, 'phone', '+1555' || lpad(n::text, 7, '0') FROM seed_customers WHERE n % 2 = 0`,
      [tenantId, t.slug],
    );
  });

  await timed(steps, 'generate', async () => {
    const phrases = sqlArray(PHRASES);
    const products = sqlArray(PRODUCTS);
    const fillers = sqlArray(FILLERS);
    await q(
      `CREATE TEMP TABLE seed_tickets AS
       WITH r AS (
         SELECT g, gen_random_uuid() AS id,
                random() AS r_status, random() AS r_age, random() AS r_pri, random() AS r_cat,
                random() AS r_cust, random() AS r_agent, random() AS r_sla, random() AS r_text,
                random() AS r_prod, random() AS r_kind, random() AS r_chan, random() AS r_ref,
                random() AS r_rare, random() AS r_fill
           FROM generate_series(1, $1::int) g
       ), s AS (
         SELECT r.*,
                CASE WHEN r_status < 0.014 THEN 'new' WHEN r_status < 0.035 THEN 'assigned'
                     WHEN r_status < 0.056 THEN 'in_progress' WHEN r_status < 0.07 THEN 'awaiting_customer'
                     WHEN r_status < 0.15 THEN 'resolved' ELSE 'closed' END AS status,
                CASE WHEN r_pri < 0.20 THEN 0 WHEN r_pri < 0.75 THEN 1 WHEN r_pri < 0.95 THEN 2 ELSE 3 END AS rank
           FROM r
       ), c AS (
         SELECT s.*,
                CASE status
                  WHEN 'new' THEN $2::timestamptz - r_age * interval '2 days'
                  WHEN 'resolved' THEN $2::timestamptz - interval '1 hour' - r_age * interval '60 days'
                  WHEN 'closed' THEN $2::timestamptz - interval '3 days' - r_age * interval '727 days'
                  ELSE $2::timestamptz - interval '1 hour' - r_age * r_age * interval '30 days'
                END AS created_at,
                status IN ('new', 'assigned', 'in_progress', 'awaiting_customer') AS open,
                (array[480, 240, 60, 15])[rank + 1] * interval '1 minute' AS fr,
                (array[2880, 1440, 240, 120])[rank + 1] * interval '1 minute' AS res,
                $2::timestamptz + (r_sla * 6 - 1) * interval '1 day' AS due,
                CASE WHEN r_ref < 0.6 THEN 'ORD-' || lpad((1000000 + g)::text, 7, '0') END AS order_ref,
                (${phrases})[1 + floor(r_text * ${PHRASES.length})::int] AS phrase,
                (${products})[1 + floor(r_prod * ${PRODUCTS.length})::int] AS product
           FROM s
       )
       SELECT g, id, status, open, rank, created_at, order_ref,
              extract(year FROM created_at AT TIME ZONE 'UTC')::int AS yr,
              (array['low','medium','high','urgent'])[rank + 1] AS priority,
              CASE WHEN r_cat < 0.30 THEN 'order_issue' WHEN r_cat < 0.42 THEN 'quality_issue'
                   WHEN r_cat < 0.57 THEN 'return_refund' WHEN r_cat < 0.75 THEN 'general_inquiry'
                   WHEN r_cat < 0.85 THEN 'technical' WHEN r_cat < 0.95 THEN 'billing' ELSE 'warranty' END AS category,
              CASE WHEN r_kind < 0.85 THEN 'b2c' WHEN r_kind < 0.97 THEN 'b2b' ELSE 'internal' END AS kind,
              (array['whatsapp','whatsapp','whatsapp','whatsapp','telegram','telegram','webchat','webchat','api','email'])[1 + floor(r_chan * 10)::int] AS channel,
              least($3::int, 1 + floor(power(r_cust, 1.3) * $3)::int) AS cust_n,
              CASE WHEN status = 'new' THEN NULL ELSE 1 + floor(r_agent * $4)::int END AS agent_n,
              phrase || ' - ' || product AS subject,
              'Hello, ' || lower(phrase) || '. Product: ' || product
                || coalesce(', order ' || order_ref, '') || '. '
                || (${fillers})[1 + floor(r_fill * ${FILLERS.length})::int]
                || CASE WHEN r_rare < 0.001 THEN ' Tracking shows the parcel stuck in Reykjavik.' ELSE '' END AS description,
              'SKU-' || lpad((1 + floor(r_prod * 500))::int::text, 4, '0') AS product_sku,
              CASE WHEN status = 'new' THEN due ELSE created_at + fr END AS first_response_due_at,
              CASE WHEN status = 'new' THEN NULL ELSE created_at + fr * (0.1 + 1.2 * r_sla) END AS first_response_at,
              CASE WHEN status = 'new' THEN due + (res - fr) WHEN open THEN due ELSE created_at + res END AS resolution_due_at,
              CASE WHEN open THEN due END AS sla_due_at,
              CASE WHEN open THEN due < $2::timestamptz ELSE r_sla < 0.08 END AS sla_breached,
              CASE WHEN status IN ('resolved', 'closed')
                   THEN (array['credit_note','replacement','refund','no_action','goodwill','fixed','answered'])[1 + floor(r_kind * 7)::int] END AS resolution_code,
              CASE WHEN status = 'resolved' THEN created_at + ($2::timestamptz - created_at) * (0.5 * r_sla)
                   WHEN status = 'closed' THEN created_at + r_sla * interval '1 day' END AS resolved_at,
              CASE WHEN status = 'closed' THEN created_at + r_sla * interval '1 day' + interval '1 day' END AS closed_at
         FROM c`,
      [t.tickets, now, t.customers, t.agents],
    );
  });

  await timed(steps, 'insert_tickets', async () => {
    await q(
      `INSERT INTO tickets (id, tenant_id, number, subject, description, status, priority, priority_rank,
                            category, kind, channel, customer_id, assignee_id, order_ref, product_sku,
                            first_response_due_at, resolution_due_at, first_response_at, sla_due_at, sla_breached,
                            resolution_code, created_at, updated_at, resolved_at, closed_at)
       SELECT d.id, $1::uuid, 'TK-' || d.yr || '-' || CASE WHEN d.seq < 100000 THEN lpad(d.seq::text, 5, '0') ELSE d.seq::text END,
              d.subject, d.description, d.status, d.priority, d.rank, d.category, d.kind, d.channel,
              c.id, a.id, d.order_ref, d.product_sku,
              d.first_response_due_at, d.resolution_due_at, d.first_response_at, d.sla_due_at, d.sla_breached,
              d.resolution_code, d.created_at,
              coalesce(d.closed_at, d.resolved_at, d.first_response_at, d.created_at), d.resolved_at, d.closed_at
         FROM (SELECT t.*, row_number() OVER (PARTITION BY yr ORDER BY created_at, g) AS seq FROM seed_tickets t) d
         JOIN seed_customers c ON c.n = d.cust_n
         LEFT JOIN seed_agents a ON a.n = d.agent_n
        ORDER BY d.created_at, d.g`,
      [tenantId],
    );
    await q(
      `INSERT INTO ticket_counters (tenant_id, year, last_seq)
       SELECT $1::uuid, yr, count(*) FROM seed_tickets GROUP BY yr
       ON CONFLICT (tenant_id, year) DO UPDATE SET last_seq = greatest(ticket_counters.last_seq, excluded.last_seq)`,
      [tenantId],
    );
  });

  let messages = 0;
  if (t.messageEvery > 0) {
    await timed(steps, 'insert_messages', async () => {
      const phrases = sqlArray(PHRASES);
      const res = await q(
        `INSERT INTO messages (tenant_id, ticket_id, author_type, author_id, body, internal, channel, delivery_status, created_at)
         SELECT $1::uuid, t.id, 'customer', c.id::text,
                'Hi, any update on this? ' || (${phrases})[1 + floor(random() * ${PHRASES.length})::int] || '.'
                  || CASE WHEN random() < 0.0005 THEN ' I am travelling to Zanzibar next week.' ELSE '' END,
                false, t.channel, 'delivered', t.created_at + interval '5 minutes'
           FROM seed_tickets t JOIN seed_customers c ON c.n = t.cust_n
          WHERE t.g % $2 = 0
          ORDER BY t.created_at`,
        [tenantId, t.messageEvery],
      );
      messages = res.rowCount ?? 0;
    });
  }

  const { rows: agentRows } = await client.query<{ id: string }>(
    'SELECT id FROM seed_agents ORDER BY n',
  );
  const { rows: counterRows } = await client.query<{ year: number; last_seq: number }>(
    'SELECT year, last_seq FROM ticket_counters WHERE tenant_id = $1 ORDER BY year',
    [tenantId],
  );
  await q('DROP TABLE seed_agents, seed_customers, seed_tickets');
  return {
    slug: t.slug,
    id: tenantId,
    agentIds: agentRows.map((r) => r.id),
    tickets: t.tickets,
    customers: t.customers,
    messages,
    counters: Object.fromEntries(counterRows.map((r) => [String(r.year), r.last_seq])),
  };
}
