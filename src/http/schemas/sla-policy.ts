/** `GET|PUT /sla-policy`: targets per priority, a business-hours calendar (or null = 24/7). */
import * as z from 'zod';
import { isoDate, timeZone } from './common.js';

const YEAR_SECONDS = 366 * 24 * 3600;

export const SlaTarget = z
  .object({
    first_response_seconds: z.number().int().min(1).max(YEAR_SECONDS),
    resolution_seconds: z.number().int().min(1).max(YEAR_SECONDS),
  })
  .strict();

const HH_MM = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

const WorkingInterval = z
  .tuple([
    z.string().regex(HH_MM, { error: 'Expected HH:MM' }),
    z.string().regex(HH_MM, { error: 'Expected HH:MM' }),
  ])
  .refine(([from, to]) => from < to, { error: 'An interval must end after it starts' });

const dayHours = z.array(WorkingInterval).max(6).optional();

export const SlaCalendar = z
  .object({
    timezone: timeZone(),
    hours: z
      .object({
        mon: dayHours,
        tue: dayHours,
        wed: dayHours,
        thu: dayHours,
        fri: dayHours,
        sat: dayHours,
        sun: dayHours,
      })
      .strict(),
    holidays: z.array(isoDate()).max(400).default([]),
  })
  .strict();

export const SlaPolicyBody = z
  .object({
    targets: z
      .object({
        urgent: SlaTarget.optional(),
        high: SlaTarget.optional(),
        medium: SlaTarget.optional(),
        low: SlaTarget.optional(),
      })
      .strict(),
    calendar: SlaCalendar.nullable(),
    pause_when_awaiting_customer: z.boolean(),
  })
  .strict();
export type SlaPolicyInput = z.output<typeof SlaPolicyBody>;

/** The answer has the same shape as the body, with every priority's target filled in. */
export const SlaPolicyJson = z.object({
  targets: z.object({ urgent: SlaTarget, high: SlaTarget, medium: SlaTarget, low: SlaTarget }),
  calendar: SlaCalendar.nullable(),
  pause_when_awaiting_customer: z.boolean(),
});
export type SlaPolicyBodyOut = z.output<typeof SlaPolicyJson>;
