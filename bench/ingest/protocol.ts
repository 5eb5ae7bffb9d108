/**
 * Messages between the ingest bench (the Parley process) and its load-generator child, over the
 * IPC channel of `child_process.fork`. Every command gets exactly one reply with the same `id`.
 */

export interface Secrets {
  telegramSecret: string;
  whatsappAppSecret: string;
  whatsappPhoneNumberId: string;
}

/** Raw PostgreSQL: N clients, each a loop of BEGIN; SELECT; INSERT; INSERT; COMMIT. */
export interface CeilingCommand {
  kind: 'ceiling';
  databaseUrl: string;
  concurrency: number;
  seconds: number;
  /** Rows of `bench_identities` to look up (keys 0 … identities-1). */
  identities: number;
  /**
   * Insert into the `_fk` twins of the tables, whose `tenant_id` references `tenants` like
   * Parley's tables do (every insert then key-share-locks the one tenant row).
   */
  foreignKeys: boolean;
}

/** Closed loop: `concurrency` workers, each posting the next webhook when the last one answered. */
export interface IngestCommand {
  kind: 'ingest';
  baseUrl: string;
  concurrency: number;
  seconds: number;
  /** Share of requests that are WhatsApp notifications (the rest are Telegram updates). */
  whatsappShare: number;
  /** Distinct customer chats per channel that messages are spread over. */
  chats: number;
  secrets: Secrets;
  /** Return every dedupe key (2xx and not) so the bench can check them in the outbox. */
  returnKeys: boolean;
}

/** Open loop: one request every 1/rate s at fixed times; latency counted from the scheduled time. */
export interface PacedCommand {
  kind: 'paced';
  baseUrl: string;
  rate: number;
  seconds: number;
  whatsappShare: number;
  chats: number;
  secrets: Secrets;
  /** Sockets the client may open (Telegram opens up to 40 per bot by default). */
  maxSockets: number;
}

/** Posts the given (already accepted or failed) messages again, as a platform retry would. */
export interface RedeliverCommand {
  kind: 'redeliver';
  baseUrl: string;
  keys: string[];
  concurrency: number;
  secrets: Secrets;
}

export type LoadCommand = CeilingCommand | IngestCommand | PacedCommand | RedeliverCommand;

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export interface CeilingResult {
  kind: 'ceiling';
  transactions: number;
  errors: number;
  seconds: number;
  tps: number;
  latencyMs: LatencySummary;
  firstError?: string;
}

export interface HttpPhaseResult {
  kind: 'ingest' | 'paced' | 'redeliver';
  sent: number;
  accepted: number;
  /** Non-2xx answers and transport errors, by status (`error` for no answer). */
  errors: Record<string, number>;
  errorCount: number;
  seconds: number;
  /** Accepted (2xx) per second over the measured window. */
  rps: number;
  /** Webhook-to-2xx of accepted requests (paced: from the scheduled send time). */
  latencyMs: LatencySummary;
  byChannel: Record<string, { sent: number; accepted: number }>;
  /** Paced only: how late the generator itself was in sending, from the schedule. */
  sendLagMs?: LatencySummary;
  acceptedKeys?: string[];
  rejectedKeys?: string[];
  firstError?: string;
}

export type LoadResult = CeilingResult | HttpPhaseResult;

export type LoadRequest = { id: number; command: LoadCommand };
export type LoadReply =
  { id: number; ok: true; result: LoadResult } | { id: number; ok: false; error: string };
