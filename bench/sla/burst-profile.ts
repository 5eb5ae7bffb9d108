/**
 * What a measured phase of the SLA benchmark cost, in measures that do not depend on how fast or
 * how busy the machine is: WAL bytes written, rows written per table, and (with `--profile`,
 * pg_stat_statements preloaded) every statement PostgreSQL ran, with calls and execution time.
 * Beside them the CPU split: this process (Parley), our PostgreSQL, and everyone else (`other_pct`:
 * when others took much, the phase's wall time is skewed).
 */
import type pg from 'pg';
import { CpuMonitor, type CpuUsage } from '../support/cpu-monitor.js';

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

export interface StatementTotal {
  query: string;
  calls: number;
  rows: number;
  total_ms: number;
  mean_ms: number;
}

export interface PhaseProfile {
  wall_ms: number;
  cpu: (CpuUsage & { parley_ms: number; postgres_ms: number }) | null;
  wal_bytes: number;
  /** Rows added per table during the phase. */
  rows_inserted: Record<string, number>;
  /**
   * Buffer and WAL I/O during the phase (pg_stat_io, pg_stat_wal): per backend type, relation
   * pages read from outside shared buffers, written and evicted, and fsyncs; WAL records, full-page
   * images, writes and fsyncs. Backends publish these at most once a second: read 1.2 s after.
   */
  io: IoTotals | null;
  statements: {
    calls: number;
    /** BEGIN and COMMIT included; the benchmark's own queries excluded. */
    total_exec_ms: number;
    top: StatementTotal[];
  } | null;
}

export interface IoTotals {
  relation: Record<
    string,
    { reads: number; hits: number; writes: number; evictions: number; fsyncs: number }
  >;
  wal: { records: number; fpi: number; buffers_full: number; writes: number; fsyncs: number };
}

const COUNTED = ['audit_events', 'outbox', 'sla_escalations'] as const;

export async function statementsAvailable(pool: pg.Pool): Promise<boolean> {
  try {
    await pool.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await pool.query('SELECT pg_stat_statements_reset()');
    return true;
  } catch {
    return false;
  }
}

/** Starts measuring; the returned function stops and reports. */
export async function profilePhase(
  pool: pg.Pool,
  opts: { postmasterPid: number | undefined; statements: boolean },
): Promise<() => Promise<PhaseProfile>> {
  const cpu = new CpuMonitor(opts.postmasterPid);
  const rowCounts = async () => {
    const { rows } = await pool.query<Record<string, string>>(
      `SELECT ${COUNTED.map((t) => `(SELECT count(*) FROM ${t}) AS ${t}`).join(', ')}`,
    );
    return rows[0]!;
  };
  const lsn = async () =>
    (await pool.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn')).rows[0]!
      .lsn;
  const ioBefore = await ioTotals(pool);
  const rowsBefore = await rowCounts();
  const lsnBefore = await lsn();
  if (opts.statements) await pool.query('SELECT pg_stat_statements_reset()');
  const cpuBefore = await cpu.sample();
  const started = performance.now();

  return async () => {
    const wallMs = performance.now() - started;
    const cpuAfter = await cpu.sample();
    const usage = cpu.usage(cpuBefore, cpuAfter);
    const statements = opts.statements ? await statementTotals(pool) : null;
    const lsnAfter = await lsn();
    const walBytes = Number(
      (
        await pool.query<{ bytes: string }>('SELECT pg_wal_lsn_diff($1, $2)::bigint AS bytes', [
          lsnAfter,
          lsnBefore,
        ])
      ).rows[0]!.bytes,
    );
    const rowsAfter = await rowCounts();
    await new Promise((r) => setTimeout(r, 1200));
    const ioAfter = await ioTotals(pool);
    return {
      wall_ms: round(wallMs),
      cpu: usage
        ? {
            ...usage,
            parley_ms: round(cpuAfter.ownMs - cpuBefore.ownMs, 0),
            postgres_ms: round(cpuAfter.postgresMs - cpuBefore.postgresMs, 0),
          }
        : null,
      wal_bytes: walBytes,
      rows_inserted: Object.fromEntries(
        COUNTED.map((t) => [t, Number(rowsAfter[t]) - Number(rowsBefore[t])]),
      ),
      io: ioBefore && ioAfter ? ioDelta(ioBefore, ioAfter) : null,
      statements,
    };
  };
}

async function ioTotals(pool: pg.Pool): Promise<IoTotals | null> {
  try {
    const relation = await pool.query<{
      backend_type: string;
      reads: string;
      hits: string;
      writes: string;
      evictions: string;
      fsyncs: string;
    }>(
      `SELECT backend_type, sum(coalesce(reads, 0)) AS reads, sum(coalesce(hits, 0)) AS hits,
              sum(coalesce(writes, 0)) AS writes, sum(coalesce(evictions, 0)) AS evictions,
              sum(coalesce(fsyncs, 0)) AS fsyncs
         FROM pg_stat_io WHERE object = 'relation' GROUP BY backend_type`,
    );
    const wal = await pool.query<Record<string, string>>(
      `SELECT w.wal_records AS records, w.wal_fpi AS fpi, w.wal_buffers_full AS buffers_full,
              (SELECT sum(coalesce(writes, 0)) FROM pg_stat_io WHERE object = 'wal') AS writes,
              (SELECT sum(coalesce(fsyncs, 0)) FROM pg_stat_io WHERE object = 'wal') AS fsyncs
         FROM pg_stat_wal w`,
    );
    const w = wal.rows[0]!;
    return {
      relation: Object.fromEntries(
        relation.rows.map((r) => [
          r.backend_type,
          {
            reads: Number(r.reads),
            hits: Number(r.hits),
            writes: Number(r.writes),
            evictions: Number(r.evictions),
            fsyncs: Number(r.fsyncs),
          },
        ]),
      ),
      wal: {
        records: Number(w.records),
        fpi: Number(w.fpi),
        buffers_full: Number(w.buffers_full),
        writes: Number(w.writes),
        fsyncs: Number(w.fsyncs),
      },
    };
  } catch {
    return null; // PostgreSQL before 18 (pg_stat_io's shape differs): no I/O totals
  }
}

function ioDelta(before: IoTotals, after: IoTotals): IoTotals {
  const relation: IoTotals['relation'] = {};
  for (const [type, a] of Object.entries(after.relation)) {
    const b = before.relation[type] ?? { reads: 0, hits: 0, writes: 0, evictions: 0, fsyncs: 0 };
    const d = {
      reads: a.reads - b.reads,
      hits: a.hits - b.hits,
      writes: a.writes - b.writes,
      evictions: a.evictions - b.evictions,
      fsyncs: a.fsyncs - b.fsyncs,
    };
    if (Object.values(d).some((v) => v !== 0)) relation[type] = d;
  }
  const wal = Object.fromEntries(
    Object.entries(after.wal).map(([k, v]) => [k, v - before.wal[k as keyof IoTotals['wal']]]),
  ) as IoTotals['wal'];
  return { relation, wal };
}

async function statementTotals(pool: pg.Pool): Promise<PhaseProfile['statements']> {
  const { rows } = await pool.query<{
    query: string;
    calls: string;
    rows: string;
    total: number;
    mean: number;
  }>(
    `SELECT regexp_replace(query, '\\s+', ' ', 'g') AS query, calls, rows,
            total_exec_time AS total, mean_exec_time AS mean
       FROM pg_stat_statements
      WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND query NOT LIKE '%pg_stat_statements%' AND query NOT LIKE '%pg_current_wal_insert_lsn%'
        AND query NOT LIKE '%(SELECT count(*) FROM audit_events)%'
      ORDER BY total_exec_time DESC`,
  );
  return {
    calls: rows.reduce((a, r) => a + Number(r.calls), 0),
    total_exec_ms: round(rows.reduce((a, r) => a + r.total, 0)),
    top: rows.slice(0, 12).map((r) => ({
      query: r.query.length > 160 ? `${r.query.slice(0, 157)}…` : r.query,
      calls: Number(r.calls),
      rows: Number(r.rows),
      total_ms: round(r.total),
      mean_ms: round(r.mean, 3),
    })),
  };
}

/** One line per measure, for the console. */
export function describeProfile(p: PhaseProfile): string[] {
  const lines = [
    `wall ${p.wall_ms} ms; WAL ${round(p.wal_bytes / 1e6)} MB; rows ${JSON.stringify(p.rows_inserted)}`,
  ];
  if (p.io) {
    lines.push(`io: wal ${JSON.stringify(p.io.wal)}`);
    for (const [type, d] of Object.entries(p.io.relation))
      lines.push(`io: ${type} ${JSON.stringify(d)}`);
  }
  if (p.cpu) {
    lines.push(
      `cpu: parley ${p.cpu.parley_ms} ms, postgres ${p.cpu.postgres_ms} ms, other% ${p.cpu.other_pct}`,
    );
  }
  if (p.statements) {
    lines.push(
      `statements: ${p.statements.calls} calls, ${p.statements.total_exec_ms} ms executing`,
    );
    for (const s of p.statements.top.slice(0, 8)) {
      lines.push(`  ${s.total_ms} ms  ${s.calls}×  ${s.rows} rows  ${s.query.slice(0, 110)}`);
    }
  }
  return lines;
}
