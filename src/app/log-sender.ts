/**
 * A `Sender` that only logs: the destination for `test` and `log` rows, so a fresh install has a
 * working destination before channel senders are configured. Payloads may hold message bodies,
 * so they are logged at debug level only (bodies are redacted at info, see GUIDE.md).
 */
import type { OutboxRow, SendResult, Sender } from '../ports/outbox.js';

export const LOG_SENDER_DESTINATIONS = ['test', 'log'] as const;

export interface LogSenderLogger {
  info(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export function createLogSender(logger: LogSenderLogger): Sender {
  return {
    async send(row: OutboxRow): Promise<SendResult> {
      const meta = {
        outboxId: row.id,
        tenantId: row.tenantId,
        ticketId: row.ticketId,
        destination: row.destination,
        orderingKey: row.orderingKey,
      };
      logger.info(meta, 'outbox: delivered to the log');
      logger.debug({ ...meta, payload: row.payload }, 'outbox: log delivery payload');
      return { ok: true, externalId: `log-${row.id}` };
    },
  };
}

/** `{ test: sender, log: sender }`, to spread into a dispatcher's sender map. */
export function logSenders(logger: LogSenderLogger): Record<string, Sender> {
  const sender = createLogSender(logger);
  return Object.fromEntries(LOG_SENDER_DESTINATIONS.map((d) => [d, sender]));
}
