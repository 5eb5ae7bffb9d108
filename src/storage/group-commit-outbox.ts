/**
 * Group commit for inbound webhooks: each webhook's `enqueue` resolves only once its row is
 * committed (the 2xx means "recorded"), but rows that arrive while an insert is in flight are
 * written together by the next one, one multi-row INSERT and one commit (fsync) for all of them.
 * Under light load a row goes out at once (no timer, no added latency); under heavy load the
 * batch grows to the concurrency and the commits per second stop being the limit.
 *
 * A batch that fails is retried row by row, so one bad row (say, text PostgreSQL refuses) fails
 * only its own webhook, which the platform retries, instead of every webhook batched with it.
 */
import type { OutboxEnqueue, OutboxWriter } from '../ports/outbox.js';
import type { Executor } from './executor.js';
import { type OutboxWriterOptions, insertOutboxRows } from './outbox-store.js';

export interface GroupCommitOptions extends OutboxWriterOptions {
  /** Rows per INSERT at most (default 500). */
  maxBatch?: number;
  /**
   * Inserts in flight at once (default 1). With one, batches commit in arrival order, so a
   * chat's messages get ids in the order they arrived; the batch grows while it commits.
   */
  maxInFlight?: number;
}

interface Waiting {
  row: OutboxEnqueue;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export function createGroupCommitOutbox(db: Executor, opts: GroupCommitOptions = {}): OutboxWriter {
  const maxBatch = opts.maxBatch ?? 500;
  const maxInFlight = opts.maxInFlight ?? 1;
  const queue: Waiting[] = [];
  let inFlight = 0;

  async function write(batch: Waiting[]): Promise<void> {
    try {
      await insertOutboxRows(
        db,
        batch.map((w) => w.row),
        opts,
      );
      for (const w of batch) w.resolve();
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      for (const w of batch) {
        await insertOutboxRows(db, [w.row], opts).then(w.resolve, w.reject);
      }
    }
  }

  function pump(): void {
    while (inFlight < maxInFlight && queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
      inFlight += 1;
      void write(batch).finally(() => {
        inFlight -= 1;
        pump();
      });
    }
  }

  return {
    enqueue(row) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ row, resolve, reject });
        pump();
      });
    },
  };
}
