/** The typed configuration `loadConfig` produces, and the enumerations it uses. */

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type TelegramMode = 'webhook' | 'polling';
export type WhatsAppMode = 'cloud' | 'web';

export type ParleyRole = 'all' | 'web' | 'worker';

export interface Config {
  port: number;
  host: string;
  /** External PostgreSQL; when unset, an embedded PostgreSQL keeps its data under `dataDir`. */
  databaseUrl: string | undefined;
  /** Prepare statements once per connection (off behind a pooler that cannot keep them). */
  preparedStatements: boolean;
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
  /**
   * What this process runs: `all` (one process does everything), `web` (HTTP: webhooks, API,
   * pages; records work, runs none of it) or `worker` (the outbox dispatcher, which runs the bot,
   * and the scheduled sweeps; its HTTP stays up for health checks and metrics).
   */
  role: ParleyRole;
  /**
   * PARLEY_ROLE=all with PARLEY_DISPATCH_THREAD=on: this process is the web part and a thread of
   * it the worker part (a second event loop), joined by the signals web and worker processes use.
   */
  dispatchThread: boolean;
  outbox: {
    maxAttempts: number;
    leaseMs: number;
    concurrency: number;
    pollIntervalMs: number;
    /** Days finished rows are kept; 0: for ever. */
    retentionDays: number;
  };
  outboundWebhooks: { allowHttp: boolean };
  rateLimit: { perSecond: number; burst: number };
  /** Longest wait for one Telegram, Graph API or Slack call before it counts as failed (retried). */
  platformTimeoutMs: number;
  /**
   * Load shedding: past these limits webhooks and the API answer 503 + `Retry-After` at once,
   * recording nothing (the platforms retry). 0 turns a limit off.
   */
  overload: { maxInFlight: number; maxEventLoopDelayMs: number };
  /** Requests in flight past which the dispatcher of a PARLEY_ROLE=all process waits; 0: off. */
  ingestPriorityInFlight: number;
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
    /**
     * What a plain reply in a ticket's Slack thread is: `internal` (default: a note; customers
     * are answered with `/ticket reply` or the Reply button, so an aside can never leak) or
     * `customer` (sent to the customer; notes start with `note:`).
     */
    threadReplies: 'customer' | 'internal';
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
