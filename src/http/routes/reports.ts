/** `GET /reports/daily?date=` (extension): the stored daily queue report (supervisors, admins). */
import { Router } from 'express';
import { apiRoute, parseQuery, type RouteEnv } from '../api-route.js';
import { type DailyReportBody, DailyReportQuery } from '../schemas/reports.js';

export function reportRoutes({ deps, useCases }: RouteEnv): Router | null {
  const { getDailyReport } = useCases;
  if (!getDailyReport) return null;
  const router = Router();
  router.get(
    '/reports/daily',
    apiRoute(deps, async (req, res, { deps, ctx }) => {
      const { date } = parseQuery(DailyReportQuery, req);
      const stored = await getDailyReport(deps, ctx, date);
      const body: DailyReportBody = {
        date: stored.date,
        sent_at: stored.sentAt.toISOString(),
        report: stored.report as DailyReportBody['report'],
      };
      res.json(body);
    }),
  );
  return router;
}
