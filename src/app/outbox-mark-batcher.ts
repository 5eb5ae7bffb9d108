/**
 * Group commit for the dispatcher's "sent" marks: each send's mark resolves only once it is
 * committed (the next row of its ordering key waits for that), but marks that finish while a
 * write is in flight go together in the next one — one statement and one commit for all of them.
 * Under light load a mark is written at once (no timer, no added latency); under load the batch
 * grows with the sends in flight.
 *
 * A batch that fails is retried mark by mark, so one bad mark fails only its own row.
 */
export interface SentMark {
  id: number;
  at: Date;
  externalId: string | null;
}

export interface MarkBatcherOptions {
  /** Writes many marks in one statement. */
  writeMany(marks: readonly SentMark[]): Promise<void>;
  /** Writes one mark (a batch of one, and the retry of a batch that failed). */
  writeOne(mark: SentMark): Promise<void>;
  /** Marks per statement at most (default 100). */
  maxBatch?: number;
}

interface Waiting {
  mark: SentMark;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export function createMarkBatcher(opts: MarkBatcherOptions): (mark: SentMark) => Promise<void> {
  const maxBatch = opts.maxBatch ?? 100;
  const queue: Waiting[] = [];
  let writing = false;

  async function write(batch: Waiting[]): Promise<void> {
    if (batch.length === 1) {
      await opts.writeOne(batch[0]!.mark).then(batch[0]!.resolve, batch[0]!.reject);
      return;
    }
    try {
      await opts.writeMany(batch.map((w) => w.mark));
      for (const w of batch) w.resolve();
    } catch {
      for (const w of batch) await opts.writeOne(w.mark).then(w.resolve, w.reject);
    }
  }

  function pump(): void {
    if (writing || queue.length === 0) return;
    writing = true;
    const batch = queue.splice(0, maxBatch);
    void write(batch).finally(() => {
      writing = false;
      pump();
    });
  }

  return (mark) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ mark, resolve, reject });
      pump();
    });
}
