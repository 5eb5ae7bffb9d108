/**
 * Tenant settings: vocabularies, routing, claim window, timers (auto-close, report, WhatsApp),
 * canned replies, reaction shortcuts and the inbound flood limit.
 */
import * as z from 'zod';
import {
  CANNED_FALLBACK_LANGUAGE,
  CANNED_NAME,
  CANNED_PLACEHOLDERS,
  EMOJI_NAME,
  MAX_CANNED_REPLIES,
  MAX_CANNED_TEXT,
  unknownPlaceholders,
} from '../../domain/canned-replies.js';
import { PRIORITIES } from '../../domain/vocabulary.js';
import { shortcutProblem } from '../../engine/agent-commands/shortcuts.js';
import { SUPPORTED_LANGUAGES } from '../../locales.js';

const key = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'lower-case letters, digits and _');

const MAX_REACTION_SHORTCUTS = 50;

const cannedText = z
  .string()
  .max(MAX_CANNED_TEXT)
  .refine((t) => t.trim() !== '', 'must not be blank')
  .superRefine((t, ctx) => {
    const unknown = unknownPlaceholders(t);
    if (unknown.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown placeholder ${unknown.map((u) => `{{${u}}}`).join(', ')}; use ${CANNED_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}`,
      });
    }
  });

/** Keys checked one by one, so a 400 names the offending key and says why. */
function keysMatch(pattern: RegExp, what: string) {
  return (record: Record<string, unknown>, ctx: z.RefinementCtx) => {
    for (const key of Object.keys(record)) {
      if (!pattern.test(key)) ctx.addIssue({ code: 'custom', path: [key], message: what });
    }
  };
}

const cannedReplies = z
  .record(
    z.string(),
    z
      .partialRecord(z.enum(SUPPORTED_LANGUAGES), cannedText)
      .refine(
        (texts) => texts[CANNED_FALLBACK_LANGUAGE] !== undefined,
        `an "${CANNED_FALLBACK_LANGUAGE}" text is required (the fallback)`,
      ),
  )
  .superRefine(keysMatch(CANNED_NAME, 'a canned reply name is 1-40 of a-z, 0-9, _ and -'))
  .refine((r) => Object.keys(r).length <= MAX_CANNED_REPLIES, `at most ${MAX_CANNED_REPLIES}`)
  .meta({
    description: `Canned replies by name ([a-z0-9_-], up to ${MAX_CANNED_REPLIES}): {<language>: text} in ${SUPPORTED_LANGUAGES.join('/')}, "en" required; placeholders ${CANNED_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}.`,
  });

const reactionShortcuts = z
  .record(
    z.string(),
    z
      .string()
      .min(1)
      .max(500)
      .superRefine((command, ctx) => {
        const problem = shortcutProblem(command);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
  )
  .superRefine(keysMatch(EMOJI_NAME, 'a Slack emoji name without colons (e.g. eyes)'))
  .refine(
    (r) => Object.keys(r).length <= MAX_REACTION_SHORTCUTS,
    `at most ${MAX_REACTION_SHORTCUTS}`,
  )
  .meta({
    description:
      'Slack reactions on a ticket card run an agent command as the reacting agent: {<emoji name>: <command after the ticket reference>}. Default {"eyes": "claim", "white_check_mark": "resolve answered"}; {} turns them off.',
  });

export const TenantSettingsBody = z
  .object({
    categories: z
      .array(z.union([key, z.object({ key, requires_photo: z.boolean().optional() }).strict()]))
      .min(1)
      .max(50)
      .optional(),
    priorities: z.array(z.enum(PRIORITIES)).min(1).optional(),
    default_priority: z.enum(PRIORITIES).optional(),
    claim_window_grace_days: z.number().int().min(0).max(365).optional(),
    routing: z.record(key, z.string().min(1).max(64)).optional(),
    outbox_max_attempts: z.number().int().min(1).max(100).optional(),
    auto_close_after_hours: z.number().int().min(1).max(8760).nullable().optional().meta({
      description: 'Resolved tickets close after this many hours (default 96); null = never.',
    }),
    daily_report_time: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM (24-hour)')
      .nullable()
      .optional()
      .meta({ description: 'Local time of the daily queue report (default "08:30"); null = off.' }),
    whatsapp_window_warning_minutes: z.number().int().min(1).max(1380).nullable().optional().meta({
      description:
        "Warn the assignee this long before WhatsApp's 24-hour window closes (default 60); null = off.",
    }),
    inbound_flood_limit: z
      .object({
        messages: z.number().int().min(1).max(10_000),
        per_seconds: z.number().int().min(1).max(86_400),
      })
      .strict()
      .nullable()
      .optional()
      .meta({
        description:
          'Per customer conversation: at most `messages` customer messages per `per_seconds` are posted one by one to the ticket\'s Slack thread and watchers and answered by the bot; the rest are still recorded on the ticket, announced in one summary per window, and the customer gets one notice (default {"messages": 20, "per_seconds": 60}); null = no limit.',
      }),
    canned_replies: cannedReplies.optional(),
    reaction_shortcuts: reactionShortcuts.optional(),
    slack_presence_availability: z.boolean().optional().meta({
      description:
        'Automatic assignment treats an agent whose Slack presence is "away" as unavailable (their slack_user_id; presence is cached for 60 s, and a Slack error counts as available). Default false.',
    }),
    staff_language: z.enum(SUPPORTED_LANGUAGES).optional().meta({
      description:
        'The language of what the team reads: SLA pings and other notices, the Slack ticket card and its modals, answers to agent commands (default "en").',
    }),
  })
  .strict();

export const TenantSettingsJson = z.record(z.string(), z.unknown());
