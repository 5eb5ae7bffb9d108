/**
 * The environment, validated once at start-up into a typed `Config`.
 *
 * Variable names are part of the public contract (../shared/CONTRACT.md, "Running"). Empty or
 * blank values count as unset, so `VAR=` in a compose file or `.env` means "use the default".
 * Values are trimmed (a secret pasted with a trailing newline still works).
 */
import path from 'node:path';
import { z } from 'zod';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type TelegramMode = 'webhook' | 'polling';
export type WhatsAppMode = 'cloud' | 'web';

export interface Config {
  port: number;
  host: string;
  /** External PostgreSQL; when unset, an embedded PostgreSQL keeps its data under `dataDir`. */
  databaseUrl: string | undefined;
  /** Absolute path. */
  dataDir: string;
  logLevel: LogLevel;
  /** External base URL without a trailing slash, used to register webhooks. */
  publicUrl: string | undefined;
  adminApiKey: string | undefined;
  platformApiKey: string | undefined;
  nodeEnv: string;
  /** IANA time zone name, validated by Intl; its case is normalised (`utc` → `UTC`). */
  defaultTimezone: string;
  shutdownTimeoutMs: number;
  attachments: { maxBytes: number };
  outbox: { maxAttempts: number };
  rateLimit: { perSecond: number; burst: number };
  telegram: {
    botToken: string | undefined;
    webhookSecret: string | undefined;
    /** No trailing slash (grammY's `apiRoot` needs it that way). */
    apiRoot: string;
    mode: TelegramMode;
    /** A numeric chat id (`-100…` for groups) or an `@username`. */
    agentChatId: string | undefined;
  };
  slack: {
    botToken: string | undefined;
    signingSecret: string | undefined;
    /** Always ends with `/` (bolt's `slackApiUrl` expects `…/api/`). */
    apiUrl: string;
    triageChannel: string | undefined;
    managerChannel: string | undefined;
    /** Socket Mode app-level token (`xapp-…`); when set, events arrive over a socket. */
    appToken: string | undefined;
  };
  whatsapp: {
    mode: WhatsAppMode;
    token: string | undefined;
    phoneNumberId: string | undefined;
    appSecret: string | undefined;
    verifyToken: string | undefined;
    /** No trailing slash. */
    graphUrl: string;
    /**
     * An approved message template for agent replies outside the 24-hour window; its body takes
     * one parameter, the ticket number (e.g. "There is a new reply on your request {{1}}").
     */
    template: { name: string; language: string } | undefined;
    /** Where the WhatsApp Web session lives (`web` mode): `<dataDir>/whatsapp-web`. */
    webSessionDir: string;
  };
}

/** Every environment variable `loadConfig` reads. */
export const CONFIG_ENV_VARS = [
  'PORT',
  'HOST',
  'DATABASE_URL',
  'DATA_DIR',
  'LOG_LEVEL',
  'PUBLIC_URL',
  'ADMIN_API_KEY',
  'PLATFORM_API_KEY',
  'NODE_ENV',
  'TELEGRAM_BOT_TOKEN',
  'TELEGRAM_WEBHOOK_SECRET',
  'TELEGRAM_API_ROOT',
  'TELEGRAM_MODE',
  'TELEGRAM_AGENT_CHAT_ID',
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_API_URL',
  'SLACK_TRIAGE_CHANNEL',
  'SLACK_MANAGER_CHANNEL',
  'SLACK_APP_TOKEN',
  'WHATSAPP_MODE',
  'WHATSAPP_TOKEN',
  'WHATSAPP_PHONE_NUMBER_ID',
  'WHATSAPP_APP_SECRET',
  'WHATSAPP_VERIFY_TOKEN',
  'WHATSAPP_GRAPH_URL',
  'WHATSAPP_TEMPLATE_NAME',
  'WHATSAPP_TEMPLATE_LANGUAGE',
  'ATTACHMENT_MAX_BYTES',
  'OUTBOX_MAX_ATTEMPTS',
  'DEFAULT_TIMEZONE',
  'SHUTDOWN_TIMEOUT_MS',
  'RATE_LIMIT_PER_SECOND',
  'RATE_LIMIT_BURST',
] as const;
export type ConfigEnvVar = (typeof CONFIG_ENV_VARS)[number];

/** Variables whose values never appear in logs or error messages. */
export const SECRET_ENV_VARS: readonly ConfigEnvVar[] = [
  'DATABASE_URL',
  'ADMIN_API_KEY',
  'PLATFORM_API_KEY',
  'TELEGRAM_BOT_TOKEN',
  'TELEGRAM_WEBHOOK_SECRET',
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'WHATSAPP_TOKEN',
  'WHATSAPP_APP_SECRET',
  'WHATSAPP_VERIFY_TOKEN',
];

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

// ---------------------------------------------------------------------------------------------
// Field schemas. Each receives a trimmed, non-empty string (or undefined when unset).

const MiB = 1024 * 1024;

const quote = (raw: string): string =>
  JSON.stringify(raw.length > 80 ? `${raw.slice(0, 77)}…` : raw);

function integer(min: number, max: number) {
  return z.string().transform((raw, ctx) => {
    const n = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(n)) {
      ctx.addIssue({ code: 'custom', message: `must be a whole number, got ${quote(raw)}` });
      return z.NEVER;
    }
    if (n < min || n > max) {
      ctx.addIssue({
        code: 'custom',
        message: `must be between ${min} and ${max}, got ${n}`,
      });
      return z.NEVER;
    }
    return n;
  });
}

function oneOf<const T extends readonly string[]>(values: T) {
  return z.string().transform((raw, ctx) => {
    const v = raw.toLowerCase();
    if (!(values as readonly string[]).includes(v)) {
      ctx.addIssue({
        code: 'custom',
        message: `must be one of ${values.join(', ')}, got ${quote(raw)}`,
      });
      return z.NEVER;
    }
    return v as T[number];
  });
}

/**
 * An absolute http(s) URL. The text is kept as written (URL#href would add a slash to a bare
 * origin), minus trailing slashes; `trailingSlash` adds exactly one back.
 */
function httpUrl(opts: { trailingSlash: boolean; secret?: boolean }) {
  return z.string().transform((raw, ctx) => {
    const shown = opts.secret ? '' : `, got ${quote(raw)}`;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      ctx.addIssue({ code: 'custom', message: `must be an absolute URL${shown}` });
      return z.NEVER;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: `must be an http:// or https:// URL${shown}` });
      return z.NEVER;
    }
    if (url.search || url.hash) {
      ctx.addIssue({ code: 'custom', message: `must not have a query or fragment${shown}` });
      return z.NEVER;
    }
    const bare = raw.replace(/\/+$/, '');
    return opts.trailingSlash ? `${bare}/` : bare;
  });
}

const postgresUrl = z.string().transform((raw, ctx) => {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')) {
    // No value in the message: it may hold a password.
    ctx.addIssue({
      code: 'custom',
      message: 'must be a postgres:// or postgresql:// connection URL',
    });
    return z.NEVER;
  }
  return raw;
});

/** A secret with a minimum length; its value never appears in the message. */
const secret = (minLength: number) =>
  z.string().refine((v) => v.length >= minLength, {
    message: `must be at least ${minLength} characters long when set`,
  });

/** A token that ends up in a URL path (e.g. Telegram's `/bot<token>/`). */
const pathSafeToken = z.string().refine((v) => /^[^\s/?#%]+$/.test(v), {
  message: 'must not contain spaces, "/", "?", "#" or "%"',
});

const telegramWebhookSecret = z.string().refine((v) => /^[A-Za-z0-9_-]{1,256}$/.test(v), {
  message: 'must be 1-256 characters of A-Z, a-z, 0-9, "_" and "-" (a Telegram rule)',
});

const telegramChatId = z.string().refine((v) => /^-?\d+$/.test(v) || /^@\w{4,}$/.test(v), {
  message: 'must be a numeric chat id (e.g. -1001234567890) or an @username',
});

const timezone = z.string().transform((raw, ctx) => {
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: raw }).resolvedOptions().timeZone;
    // Fix the case ('utc' → 'UTC') but keep the operator's name: ICU maps some current names
    // to older aliases (Asia/Kolkata → Asia/Calcutta).
    return resolved.toLowerCase() === raw.toLowerCase() ? resolved : raw;
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: `must be an IANA time zone such as UTC or Europe/Berlin, got ${quote(raw)}`,
    });
    return z.NEVER;
  }
});

const envSchema = z.object({
  PORT: integer(0, 65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: postgresUrl.optional(),
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
  DEFAULT_TIMEZONE: timezone.default('UTC'),
  SHUTDOWN_TIMEOUT_MS: integer(0, 600_000).default(10_000),
  RATE_LIMIT_PER_SECOND: integer(1, 1_000_000).default(20),
  RATE_LIMIT_BURST: integer(1, 1_000_000).default(100),
});

/** Known variables only, trimmed; blank → undefined. */
function normalise(env: NodeJS.ProcessEnv): Record<ConfigEnvVar, string | undefined> {
  const out = {} as Record<ConfigEnvVar, string | undefined>;
  for (const name of CONFIG_ENV_VARS) {
    const value = env[name]?.trim();
    out[name] = value ? value : undefined;
  }
  return out;
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
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir,
    logLevel: e.LOG_LEVEL,
    publicUrl: e.PUBLIC_URL,
    adminApiKey: e.ADMIN_API_KEY,
    platformApiKey: e.PLATFORM_API_KEY,
    nodeEnv: e.NODE_ENV,
    defaultTimezone: e.DEFAULT_TIMEZONE,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    attachments: { maxBytes: e.ATTACHMENT_MAX_BYTES },
    outbox: { maxAttempts: e.OUTBOX_MAX_ATTEMPTS },
    rateLimit: { perSecond: e.RATE_LIMIT_PER_SECOND, burst: e.RATE_LIMIT_BURST },
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

// ---------------------------------------------------------------------------------------------
// Channel status: what the configuration allows, in words an operator understands.

export type ChannelName = 'telegram' | 'slack' | 'whatsapp' | 'webchat';

export interface ChannelStatus {
  name: ChannelName;
  enabled: boolean;
  /** Starts with "on" or "off", then why. */
  reason: string;
}

/** Joins variable names: "A", "A and B", "A, B and C". */
function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function missing(entries: ReadonlyArray<[string, string | undefined]>): string[] {
  return entries.filter(([, value]) => value === undefined).map(([name]) => name);
}

const notSet = (names: readonly string[]): string =>
  `${listNames(names)} ${names.length === 1 ? 'is' : 'are'} not set`;

function telegramStatus(config: Config): ChannelStatus {
  const t = config.telegram;
  const off = (why: string): ChannelStatus => ({
    name: 'telegram',
    enabled: false,
    reason: `off: ${why}`,
  });
  if (!t.botToken) return off('TELEGRAM_BOT_TOKEN is not set');
  const notes: string[] = [];
  let reason: string;
  if (t.mode === 'webhook') {
    if (!t.webhookSecret) return off('webhook mode needs TELEGRAM_WEBHOOK_SECRET');
    reason = 'on (webhook at /webhooks/telegram)';
    if (!config.publicUrl) {
      notes.push('PUBLIC_URL is not set, so the webhook is not registered with Telegram');
    }
  } else {
    reason = 'on (polling)';
  }
  if (!t.agentChatId) notes.push("no agents' group (TELEGRAM_AGENT_CHAT_ID is not set)");
  return { name: 'telegram', enabled: true, reason: [reason, ...notes].join('; ') };
}

function slackStatus(config: Config): ChannelStatus {
  const s = config.slack;
  const off = (why: string): ChannelStatus => ({
    name: 'slack',
    enabled: false,
    reason: `off: ${why}`,
  });
  if (!s.botToken) return off('SLACK_BOT_TOKEN is not set');
  let reason: string;
  if (s.appToken) {
    reason = 'on (Socket Mode)';
  } else {
    if (!s.signingSecret) {
      return off('SLACK_SIGNING_SECRET is not set (needed to verify /slack/events)');
    }
    reason = 'on (events at /slack/events)';
  }
  const notes: string[] = [];
  if (!s.triageChannel) {
    notes.push('SLACK_TRIAGE_CHANNEL is not set, so new tickets are not posted to Slack');
  }
  if (!s.managerChannel) notes.push('no escalation channel (SLACK_MANAGER_CHANNEL is not set)');
  return { name: 'slack', enabled: true, reason: [reason, ...notes].join('; ') };
}

function whatsappStatus(config: Config): ChannelStatus {
  const w = config.whatsapp;
  if (w.mode === 'web') {
    return {
      name: 'whatsapp',
      enabled: true,
      reason: `on (WhatsApp Web; session under ${w.webSessionDir})`,
    };
  }
  if (!w.token) {
    return { name: 'whatsapp', enabled: false, reason: 'off: WHATSAPP_TOKEN is not set' };
  }
  const absent = missing([
    ['WHATSAPP_PHONE_NUMBER_ID', w.phoneNumberId],
    ['WHATSAPP_APP_SECRET', w.appSecret],
    ['WHATSAPP_VERIFY_TOKEN', w.verifyToken],
  ]);
  if (absent.length > 0) {
    return {
      name: 'whatsapp',
      enabled: false,
      reason: `off: Cloud API mode needs ${listNames(absent)} (${notSet(absent)})`,
    };
  }
  return {
    name: 'whatsapp',
    enabled: true,
    reason: 'on (Cloud API, webhook at /webhooks/whatsapp)',
  };
}

/** Which channels the configuration turns on, and why each is on or off. */
export function channelStatus(config: Config): ChannelStatus[] {
  return [
    telegramStatus(config),
    slackStatus(config),
    whatsappStatus(config),
    { name: 'webchat', enabled: true, reason: 'on at /chat' },
  ];
}

// ---------------------------------------------------------------------------------------------
// Redaction for logs.

const REDACTED = '***';
const hide = (value: string | undefined): string | undefined =>
  value === undefined ? undefined : REDACTED;

/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`; unparsable → `***`. */
function redactDatabaseUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    if (url.password) url.password = REDACTED;
    const password = url.searchParams.get('password');
    if (password !== null) url.searchParams.set('password', REDACTED);
    return url.toString();
  } catch {
    return REDACTED;
  }
}

/** A copy of the config safe to log: every secret is `'***'` (unset ones stay undefined). */
export function redactedConfig(config: Config): Config {
  return {
    ...config,
    databaseUrl: redactDatabaseUrl(config.databaseUrl),
    adminApiKey: hide(config.adminApiKey),
    platformApiKey: hide(config.platformApiKey),
    attachments: { ...config.attachments },
    outbox: { ...config.outbox },
    rateLimit: { ...config.rateLimit },
    telegram: {
      ...config.telegram,
      botToken: hide(config.telegram.botToken),
      webhookSecret: hide(config.telegram.webhookSecret),
    },
    slack: {
      ...config.slack,
      botToken: hide(config.slack.botToken),
      signingSecret: hide(config.slack.signingSecret),
      appToken: hide(config.slack.appToken),
    },
    whatsapp: {
      ...config.whatsapp,
      token: hide(config.whatsapp.token),
      appSecret: hide(config.whatsapp.appSecret),
      verifyToken: hide(config.whatsapp.verifyToken),
    },
  };
}
