/**
 * EXPLAIN (ANALYZE, BUFFERS) of exactly the SQL Parley runs for an API call: the use case is
 * called through a drizzle handle whose logger records each statement and its parameters, and
 * every recorded statement is then explained with the same parameters.
 */
import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import { pino } from 'pino';
import type { AppDeps, RequestContext } from '../../src/app/context.js';
import { listTickets, ticketQueueCounts } from '../../src/app/query-tickets.js';
import type { Actor } from '../../src/domain/actor.js';
import { systemClock } from '../../src/domain/clock.js';
import { ListTicketsQuery } from '../../src/http/schemas/tickets.js';
import { createStaffTranslator } from '../../src/locales.js';
import { createFileAttachmentStorage } from '../../src/storage/file-attachment-storage.js';
import * as schema from '../../src/storage/schema.js';
import { createTenantStore } from '../../src/storage/tenant-store.js';
import { createUnitOfWork } from '../../src/storage/unit-of-work.js';

export interface ExplainTarget {
  name: string;
  /** The API call this stands for, e.g. `GET /api/v1/tickets?status=assigned&…`. */
  http: string;
  actor: Actor;
  /** `list`: the query string of GET /tickets; `counts`: GET /tickets/counts. */
  call: { kind: 'list'; query: string } | { kind: 'counts' };
}

export interface ExplainedStatement {
  sql: string;
  params: unknown[];
  plan: string;
  planningMs: number | null;
  executionMs: number | null;
  /** Indexes the plan reads, in plan order. */
  indexes: string[];
  seqScans: string[];
}

export interface ExplainResult {
  name: string;
  http: string;
  statements: ExplainedStatement[];
}

interface Captured {
  sql: string;
  params: unknown[];
}

export async function explainApiCalls(
  pool: pg.Pool,
  tenantSlug: string,
  targets: ExplainTarget[],
  scratchDir: string,
): Promise<ExplainResult[]> {
  let captured: Captured[] = [];
  const db = drizzle({
    client: pool,
    schema,
    logger: { logQuery: (sql, params) => captured.push({ sql, params: [...params] }) },
  });
  const tenant = await createTenantStore(db).findBySlug(tenantSlug);
  if (!tenant) throw new Error(`tenant ${tenantSlug} not found`);
  const deps: AppDeps = {
    uow: createUnitOfWork(db),
    clock: systemClock,
    files: createFileAttachmentStorage({ dir: scratchDir, maxBytes: 1024 }),
    logger: pino({ level: 'silent' }),
    notifyDestinations: [],
    staffPlatforms: [],
    staff: createStaffTranslator(),
  };

  const out: ExplainResult[] = [];
  for (const target of targets) {
    const ctx: RequestContext = { tenant, actor: target.actor };
    captured = [];
    if (target.call.kind === 'list') {
      const input = ListTicketsQuery.parse(
        Object.fromEntries(new URLSearchParams(target.call.query)),
      );
      await listTickets(deps, ctx, input);
    } else {
      await ticketQueueCounts(deps, ctx);
    }
    const statements: ExplainedStatement[] = [];
    for (const c of captured) statements.push(await explain(pool, c));
    out.push({ name: target.name, http: target.http, statements });
  }
  return out;
}

async function explain(pool: pg.Pool, c: Captured): Promise<ExplainedStatement> {
  const { rows } = await pool.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN (ANALYZE, BUFFERS) ${c.sql}`,
    c.params as unknown[],
  );
  const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
  const num = (re: RegExp) => {
    const m = re.exec(plan);
    return m ? Number(m[1]) : null;
  };
  const indexes = [
    ...plan.matchAll(/(?:Index(?: Only)? Scan(?: Backward)? using|Bitmap Index Scan on) (\S+)/g),
  ].map((m) => m[1]!);
  const seqScans = [...plan.matchAll(/Seq Scan on (\S+)/g)].map((m) => m[1]!);
  return {
    sql: c.sql,
    params: c.params,
    plan,
    planningMs: num(/Planning Time: ([\d.]+) ms/),
    executionMs: num(/Execution Time: ([\d.]+) ms/),
    indexes,
    seqScans,
  };
}

/** The plans as a readable text file. */
export function formatPlans(results: ExplainResult[], header: string): string {
  const parts = [header];
  for (const r of results) {
    parts.push(`${'='.repeat(100)}\n${r.name}\n  ${r.http}\n${'='.repeat(100)}`);
    r.statements.forEach((s, i) => {
      const params = JSON.stringify(s.params, (_k, v: unknown) =>
        v instanceof Date ? v.toISOString() : v,
      );
      parts.push(
        `-- statement ${i + 1} of ${r.statements.length}: execution ${s.executionMs ?? '?'} ms, planning ${s.planningMs ?? '?'} ms` +
          `\n-- indexes: ${s.indexes.join(', ') || '(none)'}${s.seqScans.length ? `; seq scans: ${s.seqScans.join(', ')}` : ''}` +
          `\n${s.sql}\n-- params: ${params}\n\n${s.plan}\n`,
      );
    });
  }
  return `${parts.join('\n\n')}\n`;
}
