/** Reading the environment into a `Config`, or a `ConfigError` naming every bad variable. */
import path from 'node:path';
import type { Config } from './config-types.js';
import { envSchema, normalise } from './env-schema.js';

export interface ConfigIssue {
  variable: string;
  message: string;
}

/** Thrown by `loadConfig`; `message` lists every bad variable, one per line. */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    const lines = issues.map((i) => `  - ${i.variable}: ${i.message}`);
    super(`Invalid configuration (${issues.length} problem(s)):\n${lines.join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/**
 * Reads and validates the environment. Throws `ConfigError` naming every bad variable at once
 * (secret values are never echoed).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(normalise(env));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      variable: String(issue.path[0] ?? '(environment)'),
      message: issue.message,
    }));
    throw new ConfigError(issues);
  }
  const e = parsed.data;
  if (e.PARLEY_ROLE !== 'all' && e.WHATSAPP_MODE === 'web' && env.WHATSAPP_MODE?.trim()) {
    throw new ConfigError([
      {
        variable: 'PARLEY_ROLE',
        message:
          'WHATSAPP_MODE=web holds one phone session that both receives and sends: run it in one process (PARLEY_ROLE=all)',
      },
    ]);
  }
  if (e.PARLEY_DISPATCH_THREAD === 'on' && e.PARLEY_ROLE === 'all' && e.WHATSAPP_MODE === 'web') {
    throw new ConfigError([
      {
        variable: 'PARLEY_DISPATCH_THREAD',
        message:
          'WHATSAPP_MODE=web holds one phone session that both receives and sends: leave PARLEY_DISPATCH_THREAD off',
      },
    ]);
  }
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    preparedStatements: e.DATABASE_PREPARED_STATEMENTS === 'on',
    dataDir,
    logLevel: e.LOG_LEVEL,
    publicUrl: e.PUBLIC_URL,
    adminApiKey: e.ADMIN_API_KEY,
    platformApiKey: e.PLATFORM_API_KEY,
    nodeEnv: e.NODE_ENV,
    defaultTimezone: e.DEFAULT_TIMEZONE,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    attachments: { maxBytes: e.ATTACHMENT_MAX_BYTES },
    role: e.PARLEY_ROLE,
    dispatchThread: e.PARLEY_ROLE === 'all' && e.PARLEY_DISPATCH_THREAD === 'on',
    outbox: {
      maxAttempts: e.OUTBOX_MAX_ATTEMPTS,
      leaseMs: e.OUTBOX_LEASE_MS,
      concurrency: e.OUTBOX_CONCURRENCY,
      retentionDays: e.OUTBOX_RETENTION_DAYS,
      pollIntervalMs: e.OUTBOX_POLL_INTERVAL_MS,
    },
    rateLimit: { perSecond: e.RATE_LIMIT_PER_SECOND, burst: e.RATE_LIMIT_BURST },
    platformTimeoutMs: e.PLATFORM_TIMEOUT_MS,
    outboundWebhooks: { allowHttp: e.OUTBOUND_WEBHOOKS_ALLOW_HTTP === 'true' },
    ingestPriorityInFlight: e.INGEST_PRIORITY_IN_FLIGHT,
    overload: {
      maxInFlight: e.OVERLOAD_MAX_IN_FLIGHT,
      maxEventLoopDelayMs: e.OVERLOAD_MAX_EVENT_LOOP_DELAY_MS,
    },
    telegram: {
      botToken: e.TELEGRAM_BOT_TOKEN,
      webhookSecret: e.TELEGRAM_WEBHOOK_SECRET,
      apiRoot: e.TELEGRAM_API_ROOT,
      mode: e.TELEGRAM_MODE ?? (e.PUBLIC_URL ? 'webhook' : 'polling'),
      agentChatId: e.TELEGRAM_AGENT_CHAT_ID,
    },
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      apiUrl: e.SLACK_API_URL,
      triageChannel: e.SLACK_TRIAGE_CHANNEL,
      managerChannel: e.SLACK_MANAGER_CHANNEL,
      appToken: e.SLACK_APP_TOKEN,
      threadReplies: e.SLACK_THREAD_REPLIES,
    },
    whatsapp: {
      mode: e.WHATSAPP_MODE,
      token: e.WHATSAPP_TOKEN,
      phoneNumberId: e.WHATSAPP_PHONE_NUMBER_ID,
      appSecret: e.WHATSAPP_APP_SECRET,
      verifyToken: e.WHATSAPP_VERIFY_TOKEN,
      graphUrl: e.WHATSAPP_GRAPH_URL,
      template: e.WHATSAPP_TEMPLATE_NAME
        ? { name: e.WHATSAPP_TEMPLATE_NAME, language: e.WHATSAPP_TEMPLATE_LANGUAGE }
        : undefined,
      webSessionDir: path.join(dataDir, 'whatsapp-web'),
    },
  };
}
