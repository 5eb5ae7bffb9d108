/**
 * Cross-process wake-ups for the outbox (PostgreSQL LISTEN/NOTIFY). A process that records work
 * but does not run it (`PARLEY_ROLE=web`) notifies `parley_outbox` after its commits; processes
 * that dispatch listen and wake their dispatcher at once instead of at their next poll.
 *
 * Best effort by design: the rows are already committed, so a lost notification (a dropped
 * listener connection, a notify that failed) costs one poll interval, never a row.
 */
import pg from 'pg';

export const OUTBOX_CHANNEL = 'parley_outbox';

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

export interface OutboxListener {
  stop(): Promise<void>;
}

/**
 * LISTENs on its own connection (not the pool's: a pooled client would be handed to queries) and
 * calls `onSignal` per notification; reconnects after `retryMs` when the connection drops.
 */
export async function listenForOutbox(
  url: string,
  onSignal: () => void,
  logger: SignalLogger,
  retryMs = 1000,
): Promise<OutboxListener> {
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const scheduleReconnect = (): void => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch((err: unknown) => {
        logger.warn({ err }, 'outbox: LISTEN reconnect failed');
        scheduleReconnect();
      });
    }, retryMs);
    retry.unref();
  };

  async function connect(): Promise<void> {
    const c = new pg.Client({ connectionString: url, application_name: 'parley-listen' });
    c.on('notification', (n) => {
      if (n.channel === OUTBOX_CHANNEL) onSignal();
    });
    c.on('error', (err) => {
      logger.warn({ err }, 'outbox: LISTEN connection failed; reconnecting');
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
    await c.query(`LISTEN ${OUTBOX_CHANNEL}`);
    if (stopped) {
      await c.end();
      return;
    }
    client = c;
    // Rows written while no one listened: look now.
    onSignal();
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
