/**
 * The whole environment as one schema: which variables exist, how each is checked, and their
 * defaults.
 */
import { z } from 'zod';
import { CONFIG_ENV_VARS, type ConfigEnvVar } from './env-vars.js';
import { LOG_LEVELS } from './config-types.js';
import {
  httpUrl,
  integer,
  oneOf,
  pathSafeToken,
  postgresUrl,
  secret,
  telegramChatId,
  telegramWebhookSecret,
  timezone,
} from './field-schemas.js';

const MiB = 1024 * 1024;

export const envSchema = z.object({
  PORT: integer(0, 65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_PREPARED_STATEMENTS: oneOf(['on', 'off'] as const).default('on'),
  DATA_DIR: z.string().default('./.data'),
  LOG_LEVEL: oneOf(LOG_LEVELS).default('info'),
  PUBLIC_URL: httpUrl({ trailingSlash: false }).optional(),
  ADMIN_API_KEY: secret(16).optional(),
  PLATFORM_API_KEY: secret(16).optional(),
  NODE_ENV: z.string().default('development'),

  TELEGRAM_BOT_TOKEN: pathSafeToken.optional(),
  TELEGRAM_WEBHOOK_SECRET: telegramWebhookSecret.optional(),
  TELEGRAM_API_ROOT: httpUrl({ trailingSlash: false }).default('https://api.telegram.org'),
  TELEGRAM_MODE: oneOf(['webhook', 'polling'] as const).optional(),
  TELEGRAM_AGENT_CHAT_ID: telegramChatId.optional(),

  SLACK_BOT_TOKEN: z.string().optional(),
  SLACK_SIGNING_SECRET: z.string().optional(),
  SLACK_API_URL: httpUrl({ trailingSlash: true }).default('https://slack.com/api/'),
  SLACK_TRIAGE_CHANNEL: z.string().optional(),
  SLACK_MANAGER_CHANNEL: z.string().optional(),
  SLACK_APP_TOKEN: z.string().optional(),
  SLACK_THREAD_REPLIES: oneOf(['customer', 'internal'] as const).default('internal'),

  WHATSAPP_MODE: oneOf(['cloud', 'web'] as const).default('cloud'),
  WHATSAPP_TOKEN: z.string().optional(),
  WHATSAPP_PHONE_NUMBER_ID: pathSafeToken.optional(),
  WHATSAPP_APP_SECRET: z.string().optional(),
  WHATSAPP_VERIFY_TOKEN: z.string().optional(),
  WHATSAPP_GRAPH_URL: httpUrl({ trailingSlash: false }).default('https://graph.facebook.com/v21.0'),
  WHATSAPP_TEMPLATE_NAME: z
    .string()
    .regex(/^[a-z0-9_]{1,512}$/, 'lower-case letters, digits and _')
    .optional(),
  WHATSAPP_TEMPLATE_LANGUAGE: z
    .string()
    .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'a code like en or en_US')
    .default('en'),

  ATTACHMENT_MAX_BYTES: integer(1, 1024 * MiB).default(20 * MiB),
  OUTBOX_MAX_ATTEMPTS: integer(1, 100).default(8),
  OUTBOX_LEASE_MS: integer(1000, 3_600_000).default(30_000),
  OUTBOX_CONCURRENCY: integer(1, 256).default(16),
  OUTBOX_POLL_INTERVAL_MS: integer(10, 60_000).default(200),
  PARLEY_ROLE: oneOf(['all', 'web', 'worker'] as const).default('all'),
  /** PARLEY_ROLE=all: `on` runs the worker's part (dispatcher, bot, sweeps) on its own thread. */
  PARLEY_DISPATCH_THREAD: oneOf(['on', 'off'] as const).default('off'),
  DEFAULT_TIMEZONE: timezone.default('UTC'),
  SHUTDOWN_TIMEOUT_MS: integer(0, 600_000).default(10_000),
  RATE_LIMIT_PER_SECOND: integer(1, 1_000_000).default(20),
  RATE_LIMIT_BURST: integer(1, 1_000_000).default(100),
  PLATFORM_TIMEOUT_MS: integer(100, 120_000).default(10_000),
  OVERLOAD_MAX_IN_FLIGHT: integer(0, 1_000_000).default(64),
  OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: integer(0, 600_000).default(500),
  /** PARLEY_ROLE=all: with this many requests in flight, new outbox claims wait (0: never). */
  INGEST_PRIORITY_IN_FLIGHT: integer(0, 100_000).default(8),
  /** Days a sent or failed outbox row is kept (0: for ever). */
  OUTBOX_RETENTION_DAYS: integer(0, 3650).default(14),
  /** `true`: outbound webhook URLs may be http:// (a receiver on the same host, tests). */
  OUTBOUND_WEBHOOKS_ALLOW_HTTP: oneOf(['true', 'false'] as const).default('false'),
});

/** Known variables only, trimmed; blank → undefined. */
export function normalise(env: NodeJS.ProcessEnv): Record<ConfigEnvVar, string | undefined> {
  const out = {} as Record<ConfigEnvVar, string | undefined>;
  for (const name of CONFIG_ENV_VARS) {
    const value = env[name]?.trim();
    out[name] = value ? value : undefined;
  }
  return out;
}
