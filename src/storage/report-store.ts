/** The daily queue report: per-group figures in one statement, and one row per tenant and date. */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Tenant, TenantSettings } from '../domain/records.js';
import { OPEN_STATUSES } from '../domain/vocabulary.js';
import type { DailyReportStore, QueueFigures } from '../ports/timer-stores.js';
import type { Executor } from './executor.js';
import { dailyReports, tenants } from './schema.js';

interface FiguresRow extends Record<string, unknown> {
  group_id: string | null;
  group_name: string | null;
  open: number;
  overdue: number;
  resolved_today: number;
  first_response_count: number;
  first_response_total: string | number | null;
  resolution_count: number;
  resolution_total: string | number | null;
}

const total = (value: string | number | null): number => (value === null ? 0 : Number(value));

export function createDailyReportStore(db: Executor): DailyReportStore {
  return {
    async listTenants() {
      const rows = await db.select().from(tenants).orderBy(asc(tenants.createdAt));
      return rows.map((r): Tenant => ({
        id: r.id,
        name: r.name,
        slug: r.slug,
        timezone: r.timezone,
        settings: (r.settings ?? {}) as TenantSettings,
        createdAt: r.createdAt,
      }));
    },

    async find(tenantId, date) {
      const [row] = await db
        .select()
        .from(dailyReports)
        .where(and(eq(dailyReports.tenantId, tenantId), eq(dailyReports.reportDate, date)));
      return row
        ? {
            tenantId: row.tenantId,
            date: row.reportDate,
            sentAt: row.sentAt,
            report: row.report as Record<string, unknown>,
          }
        : null;
    },

    async claim(tenantId, date, report, at) {
      const inserted = await db
        .insert(dailyReports)
        .values({ tenantId, reportDate: date, report, sentAt: at })
        .onConflictDoNothing()
        .returning({ tenantId: dailyReports.tenantId });
      return inserted.length > 0;
    },

    async queueFigures(tenantId, { now, dayStart, dayEnd }) {
      const open = sql.join(
        OPEN_STATUSES.map((s) => sql`${s}`),
        sql`, `,
      );
      // Stored figures when the SLA clock recorded them, else wall time from creation.
      const firstResponse = sql`coalesce(t.first_response_seconds::numeric,
        extract(epoch FROM t.first_response_at - t.created_at))`;
      const resolution = sql`coalesce(t.resolution_seconds::numeric,
        extract(epoch FROM t.resolved_at - t.created_at))`;
      const resolvedToday = sql`(t.resolved_at >= ${dayStart}::timestamptz AND t.resolved_at < ${dayEnd}::timestamptz)`;
      const result = await db.execute<FiguresRow>(sql`
        WITH figures AS (
          SELECT t.group_id,
            count(*) FILTER (WHERE t.status IN (${open}))::int AS open,
            count(*) FILTER (WHERE t.status IN (${open})
              AND (t.sla_breached OR t.sla_due_at < ${now}::timestamptz))::int AS overdue,
            count(*) FILTER (WHERE ${resolvedToday})::int AS resolved_today,
            count(${firstResponse}) FILTER (WHERE ${resolvedToday})::int AS first_response_count,
            sum(${firstResponse}) FILTER (WHERE ${resolvedToday}) AS first_response_total,
            count(${resolution}) FILTER (WHERE ${resolvedToday})::int AS resolution_count,
            sum(${resolution}) FILTER (WHERE ${resolvedToday}) AS resolution_total
          FROM tickets t
          WHERE t.tenant_id = ${tenantId}::uuid
            AND (t.status IN (${open}) OR ${resolvedToday})
          GROUP BY t.group_id
        )
        SELECT g.id AS group_id, g.name AS group_name,
          coalesce(f.open, 0) AS open, coalesce(f.overdue, 0) AS overdue,
          coalesce(f.resolved_today, 0) AS resolved_today,
          coalesce(f.first_response_count, 0) AS first_response_count, f.first_response_total,
          coalesce(f.resolution_count, 0) AS resolution_count, f.resolution_total
        FROM agent_groups g
        LEFT JOIN figures f ON f.group_id = g.id
        WHERE g.tenant_id = ${tenantId}::uuid
        UNION ALL
        SELECT NULL, NULL, coalesce(f.open, 0), coalesce(f.overdue, 0),
          coalesce(f.resolved_today, 0), coalesce(f.first_response_count, 0),
          f.first_response_total, coalesce(f.resolution_count, 0), f.resolution_total
        FROM (SELECT 1) one
        LEFT JOIN figures f ON f.group_id IS NULL
        ORDER BY 2 NULLS LAST`);
      return result.rows.map((r): QueueFigures => ({
        groupId: r.group_id,
        groupName: r.group_name,
        open: Number(r.open),
        overdue: Number(r.overdue),
        resolvedToday: Number(r.resolved_today),
        firstResponse: {
          count: Number(r.first_response_count),
          totalSeconds: total(r.first_response_total),
        },
        resolution: { count: Number(r.resolution_count), totalSeconds: total(r.resolution_total) },
      }));
    },
  };
}
