/**
 * Cross-process wake-ups for the outbox (PostgreSQL LISTEN/NOTIFY). A process that records work
 * but does not run it (`PARLEY_ROLE=web`) notifies `parley_outbox` after its commits; processes
 * that dispatch listen and wake their dispatcher at once instead of at their next poll.
 *
 * Best effort by design: the rows are already committed, so a lost notification (a dropped
 * listener connection, a notify that failed) costs one poll interval, never a row.
 *
 * The same LISTEN connection carries two more signals between web and worker processes:
 * "webhooks are waiting" (workers hold new claims) and "a web chat reply was sent" (web
 * processes wake that session's long polls).
 */
import pg from 'pg';

export const OUTBOX_CHANNEL = 'parley_outbox';
/**
 * "Webhooks are waiting": a web process past INGEST_PRIORITY_IN_FLIGHT says so (at most every
 * `everyMs`) and worker processes hold new claims a moment, as a PARLEY_ROLE=all process does for
 * itself: the platforms redeliver what is not acknowledged fast, the queued work is durable.
 */
export const INGEST_BUSY_CHANNEL = 'parley_ingest_busy';

interface SignalLogger {
  warn(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
}

/**
 * A `notify()` to call after each commit that wrote outbox rows. Calls while one NOTIFY is in
 * flight fold into one more after it, so a burst of writes costs two statements, not one each.
 */
export function createOutboxNotifier(
  pool: Pick<pg.Pool, 'query'>,
  logger: SignalLogger,
): () => void {
  let inFlight = false;
  let again = false;
  const send = (): void => {
    inFlight = true;
    pool
      .query(`SELECT pg_notify('${OUTBOX_CHANNEL}', '')`)
      .catch((err: unknown) => logger.warn({ err }, 'outbox: NOTIFY failed (dispatchers poll)'))
      .finally(() => {
        inFlight = false;
        if (again) {
          again = false;
          send();
        }
      });
  };
  return () => {
    if (inFlight) again = true;
    else send();
  };
}

/**
 * A web chat reply was sent (payload: its session): web processes wake their long polls of that
 * session, which wait in memory (adapters/webchat/notifier.ts) in the process that took them.
 */
export const WEBCHAT_REPLY_CHANNEL = 'parley_webchat_reply';

/** One NOTIFY per reply a worker sends to the web chat. Best effort: a poll ends at its timeout anyway. */
export function publishWebchatReply(
  pool: Pick<pg.Pool, 'query'>,
  logger: SignalLogger,
): (session: string) => void {
  return (session) => {
    pool
      .query('SELECT pg_notify($1, $2)', [WEBCHAT_REPLY_CHANNEL, session])
      .catch((err: unknown) => logger.warn({ err }, 'webchat: reply NOTIFY failed'));
  };
}

export interface IngestBusyAnnouncer {
  stop(): void;
}

/**
 * Every `everyMs`, while `inFlight()` is at least `threshold`, one NOTIFY on
 * INGEST_BUSY_CHANNEL (none while the previous one is still in flight). Best effort.
 */
export function announceIngestBusy(
  pool: Pick<pg.Pool, 'query'>,
  logger: SignalLogger,
  opts: { inFlight: () => number; threshold: number; everyMs?: number },
): IngestBusyAnnouncer {
  let sending = false;
  const timer = setInterval(() => {
    if (sending || opts.inFlight() < opts.threshold) return;
    sending = true;
    pool
      .query(`SELECT pg_notify('${INGEST_BUSY_CHANNEL}', '')`)
      .catch((err: unknown) => logger.warn({ err }, 'ingest: busy NOTIFY failed'))
      .finally(() => {
        sending = false;
      });
  }, opts.everyMs ?? 100);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** What a process hears; only the channels with a handler are listened to. */
export interface SignalHandlers {
  /** OUTBOX_CHANNEL: work was recorded. Also called once connected (rows written meanwhile). */
  onOutbox?: () => void;
  /** INGEST_BUSY_CHANNEL: called per "webhooks are waiting" of a web process. */
  onIngestBusy?: () => void;
  /** WEBCHAT_REPLY_CHANNEL: called with the session of each reply. */
  onWebchatReply?: (session: string) => void;
}

export interface SignalListener {
  stop(): Promise<void>;
}

/**
 * LISTENs on its own connection (not the pool's: a pooled client would be handed to queries) and
 * calls the handler of each notification's channel; reconnects after `retryMs` when the
 * connection drops.
 */
export async function listenForSignals(
  url: string,
  handlers: SignalHandlers,
  logger: SignalLogger,
  retryMs = 1000,
): Promise<SignalListener> {
  const channels = [
    ...(handlers.onOutbox ? [OUTBOX_CHANNEL] : []),
    ...(handlers.onIngestBusy ? [INGEST_BUSY_CHANNEL] : []),
    ...(handlers.onWebchatReply ? [WEBCHAT_REPLY_CHANNEL] : []),
  ];
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const scheduleReconnect = (): void => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch((err: unknown) => {
        logger.warn({ err }, 'signals: LISTEN reconnect failed');
        scheduleReconnect();
      });
    }, retryMs);
    retry.unref();
  };

  async function connect(): Promise<void> {
    const c = new pg.Client({ connectionString: url, application_name: 'parley-listen' });
    c.on('notification', (n) => {
      if (n.channel === OUTBOX_CHANNEL) handlers.onOutbox?.();
      else if (n.channel === INGEST_BUSY_CHANNEL) handlers.onIngestBusy?.();
      else if (n.channel === WEBCHAT_REPLY_CHANNEL && n.payload)
        handlers.onWebchatReply?.(n.payload);
    });
    c.on('error', (err) => {
      logger.warn({ err }, 'signals: LISTEN connection failed; reconnecting');
      if (client === c) client = null;
      c.end().catch(() => undefined);
      scheduleReconnect();
    });
    c.on('end', () => {
      if (client !== c) return; // stopped, or already handled by 'error'
      client = null;
      scheduleReconnect();
    });
    await c.connect();
    for (const channel of channels) await c.query(`LISTEN ${channel}`);
    if (stopped) {
      await c.end();
      return;
    }
    client = c;
    // Rows written while no one listened: look now.
    handlers.onOutbox?.();
  }

  await connect();
  return {
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}
