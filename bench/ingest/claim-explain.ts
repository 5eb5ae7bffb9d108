/**
 * The outbox claim under a deep backlog of one destination, measured without load:
 *
 *   npx tsx bench/ingest/claim-explain.ts [--due 20000] [--runs 30] [--plans]
 *
 * Builds the backlog the ingest bench builds during its burst (its own database: an embedded
 * PostgreSQL, or a fresh one on `DATABASE_URL`): `--due` due `inbound:telegram` rows over 5,000
 * chats whose 8 slots are in flight, a fifth as many `inbound:whatsapp` rows, and a few rows of
 * other destinations (`--sent N`: N rows each of inbound:telegram and customer:telegram already
 * sent and not yet vacuumed, as during a burst). Then it runs exactly the claim statement the dispatcher sends (captured
 * from `createOutboxQueue(...).claim`) under EXPLAIN (ANALYZE, BUFFERS), in a transaction that
 * is rolled back, both as a one-off statement and as a prepared statement's generic plan (what
 * Parley runs: `DATABASE_PREPARED_STATEMENTS`). Buffers are machine-independent; times are not.
 */
import { parseArgs } from 'node:util';
import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import { createDatabase, runMigrations } from '../../src/storage/database.js';
import { createOutboxQueue } from '../../src/storage/outbox-store.js';
import * as schema from '../../src/storage/schema.js';
import { openBenchDatabase } from '../support/bench-database.js';

const { values: args } = parseArgs({
  options: {
    due: { type: 'string', default: '20000' },
    sent: { type: 'string', default: '0' },
    runs: { type: 'string', default: '30' },
    plans: { type: 'boolean', default: false },
    /**
     * Statistics taken before the burst, as after a quiet spell: the outbox is analyzed while it
     * holds only sent rows (and autovacuum is off for it), then the backlog arrives unanalyzed.
     */
    'stale-stats': { type: 'boolean', default: false },
  },
});
const due = Number(args.due);
const sent = Number(args.sent);
const runs = Number(args.runs);

interface Captured {
  sql: string;
  params: unknown[];
}

interface Scenario {
  name: string;
  limit: number;
  skip: string[];
}

const SCENARIOS: Scenario[] = [
  { name: 'inbound:telegram busy (skipped), 4 wanted', limit: 4, skip: ['inbound:telegram'] },
  { name: 'inbound:telegram busy (skipped), 8 wanted', limit: 8, skip: ['inbound:telegram'] },
  { name: 'nothing busy, 8 wanted', limit: 8, skip: [] },
];

async function buildBacklog(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO tenants (name, slug) VALUES ('Bench', 'bench') RETURNING id`,
  );
  const tenant = rows[0]!.id;
  if (args['stale-stats']) {
    // A quiet spell: yesterday's traffic, all sent, is what ANALYZE saw last.
    await pool.query(
      `INSERT INTO outbox (tenant_id, destination, ordering_key, payload, next_attempt_at, status, sent_at)
       SELECT $1::uuid, 'inbound:telegram', 'old:' || (g % 5000), '{}'::jsonb,
              now() - interval '1 day', 'sent', now() - interval '1 day'
       FROM generate_series(1, 50000) g`,
      [tenant],
    );
    await pool.query('VACUUM ANALYZE outbox');
    await pool.query('ALTER TABLE outbox SET (autovacuum_enabled = off)');
  }
  // inbound:telegram's backlog, due over the last minute in id order as the webhooks inserted
  // it; inbound:whatsapp (a fifth of the traffic, the same slots) has kept up: its few due rows
  // and the bot's replies (due when written) are the newest.
  await pool.query(
    `INSERT INTO outbox (tenant_id, destination, ordering_key, payload, next_attempt_at)
     SELECT $1::uuid, 'inbound:telegram', 'chat:telegram:' || (g % 5000),
            '{"kind":"text","text":"hello"}'::jsonb,
            now() - interval '60 seconds' + (g * interval '58 seconds') / $2::int
     FROM generate_series(1, $2::int) g`,
    [tenant, due],
  );
  await pool.query(
    `INSERT INTO outbox (tenant_id, destination, ordering_key, payload, next_attempt_at)
     SELECT $1::uuid, d, d || ':' || g, '{"text":"reply"}'::jsonb,
            now() - interval '2 seconds' + g * interval '50 ms'
     FROM generate_series(1, 20) g,
     unnest(ARRAY['inbound:whatsapp', 'customer:telegram', 'customer:whatsapp', 'slack',
                  'webhook:1']) d`,
    [tenant],
  );
  // inbound:telegram's slots in flight: the heads of 8 chats, leased for 30 s.
  await pool.query(
    `UPDATE outbox SET status = 'sending', attempts = 1,
            locked_until = now() + interval '30 seconds',
            next_attempt_at = now() + interval '30 seconds'
     WHERE id IN (SELECT min(id) FROM outbox WHERE destination = 'inbound:telegram'
                  GROUP BY ordering_key ORDER BY min(id) LIMIT 8)`,
  );
  if (sent > 0) {
    // Rows already worked off, not yet vacuumed: each claim and each mark left a dead entry
    // in the partial indexes (the updates change indexed columns, so none is HOT).
    await pool.query(
      `INSERT INTO outbox (tenant_id, destination, ordering_key, payload, next_attempt_at)
       SELECT $1::uuid, d, 'done:' || d || ':' || (g % 5000), '{}'::jsonb,
              now() - interval '120 seconds' + (g * interval '60 seconds') / $2::int
       FROM generate_series(1, $2::int) g,
       unnest(ARRAY['inbound:telegram', 'customer:telegram']) d`,
      [tenant, sent],
    );
    await pool.query(
      `UPDATE outbox SET status = 'sending', next_attempt_at = now() + interval '30 seconds'
       WHERE ordering_key LIKE 'done:%'`,
    );
    await pool.query(`UPDATE outbox SET status = 'sent' WHERE ordering_key LIKE 'done:%'`);
    if (!args['stale-stats']) await pool.query('ANALYZE outbox');
  } else if (!args['stale-stats']) {
    await pool.query('VACUUM ANALYZE outbox');
  }
}

/** The claim statement exactly as the store sends it, captured in a rolled-back transaction. */
async function captureClaim(pool: pg.Pool, s: Scenario): Promise<Captured> {
  let captured: Captured | undefined;
  const db = drizzle({
    client: pool,
    schema,
    logger: {
      logQuery: (sql, params) => {
        if (/UPDATE outbox/.test(sql)) captured = { sql, params: [...params] };
      },
    },
  });
  await db
    .transaction(async (tx) => {
      await createOutboxQueue(tx).claim(s.limit, new Date(), 30_000, {
        skipDestinations: s.skip,
      });
      throw new Rollback();
    })
    .catch((err: unknown) => {
      if (!(err instanceof Rollback)) throw err;
    });
  if (!captured) throw new Error('no claim statement captured');
  return captured;
}

class Rollback extends Error {}

interface Measured {
  plan: string;
  executionMs: number[];
  sharedHit: number;
  /** The first run's: before it, no dead index entry has been marked as such. */
  firstHit: number;
  sharedRead: number;
  claimed: number;
}

async function explainRuns(
  client: pg.PoolClient,
  c: Captured,
  generic: boolean,
): Promise<Measured> {
  const m: Measured = {
    plan: '',
    executionMs: [],
    sharedHit: 0,
    firstHit: 0,
    sharedRead: 0,
    claimed: 0,
  };
  const args = c.params.map((p) => client.escapeLiteral(literal(p))).join(', ');
  for (let i = 0; i < runs; i += 1) {
    await client.query('BEGIN');
    try {
      let text: string;
      if (generic) {
        await client.query(`SET LOCAL plan_cache_mode = force_generic_plan`);
        await client.query(`PREPARE claim_probe AS ${c.sql}`);
        text = `EXPLAIN (ANALYZE, BUFFERS) EXECUTE claim_probe(${args})`;
      } else {
        text = `EXPLAIN (ANALYZE, BUFFERS) ${c.sql}`;
      }
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(text, generic ? [] : c.params);
      const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
      m.plan = plan;
      m.executionMs.push(Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN));
      // The top node's buffers are the statement's.
      const top = /Buffers: shared hit=(\d+)(?: read=(\d+))?/.exec(plan);
      m.sharedHit = Number(top?.[1] ?? 0);
      if (i === 0) m.firstHit = m.sharedHit;
      m.sharedRead = Number(top?.[2] ?? 0);
      m.claimed = Number(/Update on outbox u .*rows=(\d+)/.exec(plan)?.[1] ?? 0);
    } finally {
      await client.query('ROLLBACK');
      if (generic) await client.query('DEALLOCATE ALL');
    }
  }
  return m;
}

/** A parameter as the text of a literal (EXECUTE takes no bind parameters inside EXPLAIN). */
function literal(p: unknown): string {
  if (p instanceof Date) return p.toISOString();
  if (Array.isArray(p)) return `{${p.map((v) => JSON.stringify(String(v))).join(',')}}`;
  return String(p);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

const bench = await openBenchDatabase(process.env.DATABASE_URL);
const database = createDatabase(bench.url, { max: 2 });
try {
  await runMigrations(database.db);
  await buildBacklog(database.pool);
  const counts = await database.pool.query<{ destination: string; status: string; n: string }>(
    `SELECT destination, status, count(*) AS n FROM outbox GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  console.log('backlog:', counts.rows.map((r) => `${r.destination}/${r.status}=${r.n}`).join(' '));
  const client = await database.pool.connect();
  try {
    for (const s of SCENARIOS) {
      const c = await captureClaim(database.pool, s);
      for (const generic of [false, true]) {
        const m = await explainRuns(client, c, generic);
        console.log(
          `${s.name} [${generic ? 'generic plan' : 'custom plan'}]: claimed ${m.claimed}, ` +
            `buffers shared hit=${m.sharedHit} (first run ${m.firstHit}) read=${m.sharedRead}, ` +
            `execution first ${m.executionMs[0]!.toFixed(3)} ms, median ` +
            `${median(m.executionMs).toFixed(3)} ms over ${runs} runs`,
        );
        if (args.plans) console.log(`${m.plan}\n`);
      }
    }
  } finally {
    client.release();
  }
} finally {
  await database.close();
  await bench.close();
}
