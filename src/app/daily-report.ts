/**
 * The daily queue report: once per tenant and local date, at `daily_report_time` (default 08:30,
 * null = off) in the tenant's time zone, per agent group (plus tickets in no group): open,
 * overdue, resolved today, and the average first-response and resolution times of the tickets
 * resolved today. Sent to every supervisor (a direct message each) and the manager channel.
 *
 * Exactly once across processes: the report's row (primary key tenant + date) is inserted in the
 * same transaction that enqueues the notices; a second process inserting the same row waits for
 * the first to commit, then conflicts and sends nothing. A late start (Parley down at 08:30) still
 * sends that day's report when it comes up.
 */
import { isSupervisorOrAbove } from '../domain/actor.js';
import { forbidden, notFound } from '../domain/errors.js';
import { localMoment, startOfLocalDay } from '../domain/local-time.js';
import type { Tenant } from '../domain/records.js';
import { dailyReportMinutes } from '../domain/timer-settings.js';
import type { QueueFigures, StoredDailyReport } from '../ports/timer-stores.js';
import type { AppDeps, RequestContext } from './context.js';
import type { StaffT } from '../ports/staff-translator.js';
import { enqueueStaffNotice } from './staff-notices.js';
import { staffTextFor } from './staff-text.js';

export interface QueueLine {
  group_id: string | null;
  group_name: string | null;
  open: number;
  overdue: number;
  resolved_today: number;
  avg_first_response_seconds: number | null;
  avg_resolution_seconds: number | null;
}

export interface DailyReport {
  date: string;
  timezone: string;
  generated_at: string;
  queues: QueueLine[];
  totals: Omit<QueueLine, 'group_id' | 'group_name'>;
}

const average = (a: { count: number; totalSeconds: number }): number | null =>
  a.count > 0 ? Math.round(a.totalSeconds / a.count) : null;

function line(
  f: Pick<QueueFigures, 'open' | 'overdue' | 'resolvedToday' | 'firstResponse' | 'resolution'>,
) {
  return {
    open: f.open,
    overdue: f.overdue,
    resolved_today: f.resolvedToday,
    avg_first_response_seconds: average(f.firstResponse),
    avg_resolution_seconds: average(f.resolution),
  };
}

/** The report from per-group figures; totals are exact (sums, not averages of averages). */
export function buildDailyReport(input: {
  date: string;
  timezone: string;
  now: Date;
  figures: QueueFigures[];
}): DailyReport {
  const sum = (pick: (f: QueueFigures) => number) =>
    input.figures.reduce((acc, f) => acc + pick(f), 0);
  return {
    date: input.date,
    timezone: input.timezone,
    generated_at: input.now.toISOString(),
    queues: input.figures.map((f) => ({
      group_id: f.groupId,
      group_name: f.groupName,
      ...line(f),
    })),
    totals: line({
      open: sum((f) => f.open),
      overdue: sum((f) => f.overdue),
      resolvedToday: sum((f) => f.resolvedToday),
      firstResponse: {
        count: sum((f) => f.firstResponse.count),
        totalSeconds: sum((f) => f.firstResponse.totalSeconds),
      },
      resolution: {
        count: sum((f) => f.resolution.count),
        totalSeconds: sum((f) => f.resolution.totalSeconds),
      },
    }),
  };
}

/** `45s`, `42m`, `5h 10m`, `2d 3h` (English; `staff` keys `compact.*`); `–` when there is nothing to average. */
export function formatDuration(seconds: number | null, t: StaffT): string {
  if (seconds === null) return t('compact.none');
  if (seconds < 60) return t('compact.seconds', { s: seconds });
  const m = Math.round(seconds / 60);
  if (m < 60) return t('compact.minutes', { m });
  const h = Math.floor(m / 60);
  if (h < 24)
    return m % 60 ? t('compact.hours_minutes', { h, m: m % 60 }) : t('compact.hours', { h });
  const d = Math.floor(h / 24);
  return h % 24 ? t('compact.days_hours', { d, h: h % 24 }) : t('compact.days', { d });
}

/** The report as the team reads it, in the tenant's staff language. */
export function dailyReportText(report: DailyReport, t: StaffT): string {
  const describe = (name: string, l: Omit<QueueLine, 'group_id' | 'group_name'>) =>
    t('report.line', {
      name,
      open: t('report.open', { count: l.open }),
      overdue: t('report.overdue', { count: l.overdue }),
      resolved: t('report.resolved', { count: l.resolved_today }),
      first_response: formatDuration(l.avg_first_response_seconds, t),
      resolution: formatDuration(l.avg_resolution_seconds, t),
    });
  return [
    t('report.title', { date: report.date, timezone: report.timezone }),
    ...report.queues.map((q) => describe(q.group_name ?? t('report.no_group'), q)),
    describe(t('report.all_queues'), report.totals),
    t('report.footer'),
  ].join('\n');
}

/** Sends one tenant's report for `date` unless it went out already. True when this call sent it. */
export async function sendDailyReport(
  deps: AppDeps,
  tenant: Tenant,
  date: string,
  now: Date,
): Promise<boolean> {
  const sent = await deps.uow.transaction(async (s) => {
    const figures = await s.dailyReports.queueFigures(tenant.id, {
      now,
      dayStart: startOfLocalDay(date, tenant.timezone),
      dayEnd: new Date(now.getTime() + 1),
    });
    const report = buildDailyReport({ date, timezone: tenant.timezone, now, figures });
    const claimed = await s.dailyReports.claim(
      tenant.id,
      date,
      report as unknown as Record<string, unknown>,
      now,
    );
    if (!claimed) return false;
    const text = dailyReportText(report, staffTextFor(deps, tenant));
    const supervisors = (await s.agents.list(tenant.id)).filter(
      (a) => a.active && a.role === 'supervisor',
    );
    for (const agent of supervisors) {
      await enqueueStaffNotice(deps, s, {
        tenantId: tenant.id,
        audience: { kind: 'agent', agentId: agent.id },
        text,
        dedupeKey: `daily-report:${date}:${agent.id}`,
      });
    }
    await enqueueStaffNotice(deps, s, {
      tenantId: tenant.id,
      audience: { kind: 'manager_channel' },
      text,
      dedupeKey: `daily-report:${date}:managers`,
    });
    return true;
  });
  if (sent) deps.onOutboxWrite?.();
  return sent;
}

/** The sweep: every tenant whose local report time has come today and whose report is not out. */
export async function runDailyReports(deps: AppDeps): Promise<{ sent: number; failed: number }> {
  const now = deps.clock.now();
  const result = { sent: 0, failed: 0 };
  for (const tenant of await deps.uow.read.dailyReports.listTenants()) {
    try {
      const at = dailyReportMinutes(tenant.settings);
      if (at === null) continue;
      const local = localMoment(now, tenant.timezone);
      if (local.minutes < at) continue;
      if (await deps.uow.read.dailyReports.find(tenant.id, local.date)) continue;
      if (await sendDailyReport(deps, tenant, local.date, now)) result.sent += 1;
    } catch (err) {
      result.failed += 1;
      deps.logger.error({ err, tenantId: tenant.id }, 'daily report failed');
    }
  }
  return result;
}

/** `GET /reports/daily?date=`: the stored report (supervisors and admins); today's by default. */
export async function getDailyReport(
  deps: AppDeps,
  ctx: RequestContext,
  date?: string,
): Promise<StoredDailyReport> {
  if (!isSupervisorOrAbove(ctx.actor))
    throw forbidden('Only supervisors may read the daily report');
  const day = date ?? localMoment(deps.clock.now(), ctx.tenant.timezone).date;
  const stored = await deps.uow.read.dailyReports.find(ctx.tenant.id, day);
  if (!stored) throw notFound(`daily report for ${day}`);
  return stored;
}
