/**
 * A brand with N open tickets for the SLA benchmark, set-based (`generate_series`): 40 agents
 * (4 supervisors) in 4 groups, 20,000 customers, tickets created over the last 30 days with the
 * default 24/7 targets, 60 % already answered, and every ticket's next SLA check in the future
 * (5 minutes to 7 days ahead), so "nothing is due" until the benchmark makes it so.
 */
import type pg from 'pg';
import { secondaryIndexes, timed } from '../support/seed.js';
import { rebuildQueueCounts } from '../support/queue-counts.js';

export interface OpenTicketsSeed {
  tenantId: string;
  supervisorIds: string[];
  agentIds: string[];
  groupIds: string[];
  seconds: number;
  steps: Record<string, number>;
}

/**
 * Seeds on a connection of its own from `pool`, which it closes afterwards instead of handing it
 * back: the seed changes session settings (`synchronous_commit = off`, the random seed, triggers
 * off), and a pooled connection kept them, so the sweeps measured afterwards on the same pool
 * could commit on it without waiting for the WAL flush.
 */
export async function seedOpenTickets(
  pool: pg.Pool,
  opts: { tickets: number; now: Date },
): Promise<OpenTicketsSeed> {
  const client = await pool.connect();
  try {
    return await seedOn(client, opts);
  } finally {
    client.release(true);
  }
}

async function seedOn(
  client: pg.ClientBase,
  opts: { tickets: number; now: Date },
): Promise<OpenTicketsSeed> {
  const steps: Record<string, number> = {};
  const started = performance.now();
  const q = (text: string, values: unknown[] = []) => client.query(text, values);
  await q(`SET maintenance_work_mem = '512MB'`);
  await q(`SET synchronous_commit = off`);
  await q('SELECT setseed(0.42)');

  const tenantId = (
    await client.query<{ id: string }>(
      `INSERT INTO tenants (name, slug, timezone) VALUES ('SLA Bench', 'sla-bench', 'Europe/Paris') RETURNING id`,
    )
  ).rows[0]!.id;
  const { agentIds, supervisorIds, groupIds } = await timed(steps, 'agents', async () => {
    const agents = await client.query<{ id: string; role: string }>(
      `INSERT INTO agents (tenant_id, name, email, role, slack_user_id)
       SELECT $1, 'Agent ' || g, 'agent' || g || '@bench.example',
              CASE WHEN g <= 4 THEN 'supervisor' ELSE 'agent' END, 'U' || lpad(g::text, 8, '0')
         FROM generate_series(1, 40) g RETURNING id, role`,
      [tenantId],
    );
    const groups = await client.query<{ id: string }>(
      `INSERT INTO agent_groups (tenant_id, name) SELECT $1, 'Queue ' || g FROM generate_series(1, 4) g RETURNING id`,
      [tenantId],
    );
    await q(
      `INSERT INTO agent_group_members (tenant_id, agent_id, group_id)
       SELECT $1, a.id, g.id FROM (SELECT id, row_number() OVER () AS n FROM agents WHERE tenant_id = $1) a
         JOIN (SELECT id, row_number() OVER () AS n FROM agent_groups WHERE tenant_id = $1) g
           ON g.n = 1 + a.n % 4`,
      [tenantId],
    );
    return {
      agentIds: agents.rows.filter((a) => a.role === 'agent').map((a) => a.id),
      supervisorIds: agents.rows.filter((a) => a.role === 'supervisor').map((a) => a.id),
      groupIds: groups.rows.map((g) => g.id),
    };
  });
  await timed(steps, 'customers', () =>
    q(
      `INSERT INTO customers (tenant_id, name, language) SELECT $1, 'Customer ' || g, 'en' FROM generate_series(1, 20000) g`,
      [tenantId],
    ),
  );

  const dropped = await timed(steps, 'drop_indexes', async () => {
    const indexes = [
      ...(await secondaryIndexes(client, 'tickets')),
      ...(await secondaryIndexes(client, 'sla_checks')),
    ];
    for (const idx of indexes) await q(`DROP INDEX ${client.escapeIdentifier(idx.name)}`);
    return indexes;
  });
  // Triggers off while a million rows go in (the queue counts are recounted once below), as the
  // api-bench's seed does; without the rights for that, they run row by row (slower, same data).
  await q(`SET session_replication_role = replica`).catch(() => undefined);
  await timed(steps, 'tickets', () =>
    q(
      `WITH c AS (SELECT array_agg(id) AS ids FROM customers WHERE tenant_id = $1),
            a AS (SELECT $4::uuid[] AS ids), gr AS (SELECT $5::uuid[] AS ids),
            r AS (SELECT g, random() AS r_pri, random() AS r_age, random() AS r_st,
                         random() AS r_who, random() AS r_cust FROM generate_series(1, $2::int) g),
            s AS (SELECT r.*, CASE WHEN r_pri < 0.2 THEN 0 WHEN r_pri < 0.75 THEN 1 WHEN r_pri < 0.95 THEN 2 ELSE 3 END AS rank,
                         $3::timestamptz - interval '10 minutes' - r_age * interval '30 days' AS created
                    FROM r)
       INSERT INTO tickets (tenant_id, number, subject, status, priority, priority_rank, category, kind,
                            channel, customer_id, assignee_id, group_id, first_response_due_at,
                            resolution_due_at, first_response_at, sla_due_at, created_at,
                            updated_at)
       SELECT $1, 'TK-2026-' || lpad(g::text, 7, '0'), 'Bench ticket ' || g,
              CASE WHEN r_st < 0.2 THEN 'new' WHEN r_st < 0.5 THEN 'assigned' ELSE 'in_progress' END,
              (array['low','medium','high','urgent'])[rank + 1], rank, 'order_issue', 'b2c', 'whatsapp',
              c.ids[1 + floor(r_cust * 20000)::int],
              CASE WHEN r_st < 0.2 THEN NULL ELSE a.ids[1 + floor(r_who * array_length(a.ids, 1))::int] END,
              gr.ids[1 + g % 4],
              created + (array[480, 240, 60, 15])[rank + 1] * interval '1 minute',
              created + (array[2880, 1440, 240, 120])[rank + 1] * interval '1 minute',
              CASE WHEN r_st >= 0.4 THEN created + interval '5 minutes' END,
              $3::timestamptz + interval '1 day',
              created, created
         FROM s, c, a, gr`,
      [tenantId, opts.tickets, opts.now, agentIds, groupIds],
    ),
  );
  // Each ticket's next SLA check lies 5 minutes to 7 days ahead.
  await timed(steps, 'sla_checks', () =>
    q(
      `INSERT INTO sla_checks (ticket_id, next_check_at)
       SELECT id, $2::timestamptz + interval '5 minutes' + random() * interval '7 days'
         FROM tickets WHERE tenant_id = $1`,
      [tenantId, opts.now],
    ),
  );
  await timed(steps, 'counters', () =>
    q(`INSERT INTO ticket_counters (tenant_id, year, last_seq) VALUES ($1, 2026, $2)`, [
      tenantId,
      opts.tickets,
    ]),
  );
  await q(`RESET session_replication_role`).catch(() => undefined);
  await timed(steps, 'create_indexes', async () => {
    for (const idx of dropped) await q(idx.def);
  });
  await timed(steps, 'queue_counts', () => rebuildQueueCounts(client, tenantId));
  await timed(steps, 'vacuum_analyze', async () => {
    await q('VACUUM (ANALYZE) tickets');
    await q('VACUUM (ANALYZE) sla_checks');
  });
  await q('CHECKPOINT').catch(() => undefined);
  return {
    tenantId,
    agentIds,
    supervisorIds,
    groupIds,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    steps,
  };
}
