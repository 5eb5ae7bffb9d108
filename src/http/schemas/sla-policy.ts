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

const WEEK_SECONDS = 7 * 24 * 3600;

const escalationFields = {
  warning_ratio: z
    .number()
    .gt(0)
    .lt(1)
    .meta({ description: 'Warn the assignee once this share of a target has elapsed (0.75).' }),
  climb_after_seconds: z.number().int().min(60).max(WEEK_SECONDS).meta({
    description: 'Climb one rung of the escalation ladder after this long unacknowledged.',
  }),
  bump_priority_on_breach: z
    .boolean()
    .meta({ description: "Raise the ticket's priority one step when a target is breached." }),
};

/** Extension: escalation settings. In a body every field is optional (the rest is kept). */
export const SlaEscalationInput = z
  .object({
    warning_ratio: escalationFields.warning_ratio.optional(),
    climb_after_seconds: escalationFields.climb_after_seconds.optional(),
    bump_priority_on_breach: escalationFields.bump_priority_on_breach.optional(),
  })
  .strict();
export const SlaEscalationJson = z.object(escalationFields);

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
    escalation: SlaEscalationInput.optional().meta({
      description: 'Extension; left out = the current escalation settings stay.',
    }),
  })
  .strict();
export type SlaPolicyInput = z.output<typeof SlaPolicyBody>;

/** The answer has the same shape as the body, with every priority's target filled in. */
export const SlaPolicyJson = z.object({
  targets: z.object({ urgent: SlaTarget, high: SlaTarget, medium: SlaTarget, low: SlaTarget }),
  calendar: SlaCalendar.nullable(),
  pause_when_awaiting_customer: z.boolean(),
  escalation: SlaEscalationJson.optional().meta({
    description: 'Extension: escalation settings (always sent by this server).',
  }),
});
export type SlaPolicyBodyOut = z.output<typeof SlaPolicyJson>;

/** Extension: what an override may say — any subset of the policy, down to one target field. */
const PartialTarget = z
  .object({
    first_response_seconds: SlaTarget.shape.first_response_seconds.optional(),
    resolution_seconds: SlaTarget.shape.resolution_seconds.optional(),
  })
  .strict();

export const SlaOverrideBody = z
  .object({
    targets: z
      .object({
        urgent: PartialTarget.optional(),
        high: PartialTarget.optional(),
        medium: PartialTarget.optional(),
        low: PartialTarget.optional(),
      })
      .strict()
      .optional(),
    calendar: SlaCalendar.nullable().optional(),
    pause_when_awaiting_customer: z.boolean().optional(),
    escalation: SlaEscalationInput.optional(),
  })
  .strict();
export type SlaOverrideInput = z.output<typeof SlaOverrideBody>;

export const SlaOverrideScope = z.enum(['group', 'category', 'tier']);
export type SlaOverrideScopeName = z.output<typeof SlaOverrideScope>;

export const SlaOverrideParams = z.object({
  scope: SlaOverrideScope,
  value: z.string().trim().min(1).max(100),
});

export const SlaOverrideJson = z.object({
  scope: SlaOverrideScope,
  value: z.string().meta({ description: 'A group id, a category key or a customer tier.' }),
  policy: SlaOverrideBody,
});
export type SlaOverrideBodyOut = z.output<typeof SlaOverrideJson>;

export const SlaOverrideList = z.object({ data: z.array(SlaOverrideJson) });
export type SlaOverrideListOut = z.output<typeof SlaOverrideList>;
