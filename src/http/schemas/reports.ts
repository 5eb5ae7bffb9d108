/** The daily queue report: the query and the stored report. */
import * as z from 'zod';
import { isoDate, isoDateTime } from './common.js';

export const DailyReportQuery = z.object({
  date: isoDate().optional().meta({
    description: "The report's local date (tenant time zone); default today.",
  }),
});

const figures = {
  open: z.number().int(),
  overdue: z.number().int(),
  resolved_today: z.number().int(),
  avg_first_response_seconds: z.number().int().nullable(),
  avg_resolution_seconds: z.number().int().nullable(),
};

export const DailyReportJson = z.object({
  date: z.string(),
  sent_at: isoDateTime(),
  report: z.object({
    date: z.string(),
    timezone: z.string(),
    generated_at: isoDateTime(),
    queues: z.array(
      z.object({
        group_id: z.string().nullable().meta({ description: 'null: tickets in no group.' }),
        group_name: z.string().nullable(),
        ...figures,
      }),
    ),
    totals: z.object(figures),
  }),
});
export type DailyReportBody = z.output<typeof DailyReportJson>;
