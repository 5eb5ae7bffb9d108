/**
 * Waiting for Parley to finish what a load left behind: nothing created before a cutoff still
 * waiting in the outbox (later work — an escalation rung climbing — may go on). Twice by default:
 * rows made while the first round drained (the bot's answers to a backlog, a reply processed
 * after the load stopped) were created after its cutoff.
 */
import { setTimeout as wait } from 'node:timers/promises';
import type pg from 'pg';

export interface DrainOptions {
  /** The whole wait, all rounds together, from `startedAt`. */
  timeoutMs: number;
  startedAt?: number;
  /** Rounds, each with its cutoff at the moment it starts (default 2). */
  rounds?: number;
  /** What else must be done by the cutoff (e.g. scheduled tickets due): a count, 0 when done. */
  also?: (cutoff: Date) => Promise<number>;
  signal?: AbortSignal;
}

export async function drainOutbox(
  pool: Pick<pg.Pool, 'query'>,
  opts: DrainOptions,
): Promise<boolean> {
  const startedAt = opts.startedAt ?? Date.now();
  const rounds = opts.rounds ?? 2;
  for (let round = 0; round < rounds; round++) {
    const cutoff = new Date();
    let drained = false;
    while (Date.now() - startedAt < opts.timeoutMs) {
      opts.signal?.throwIfAborted();
      const { rows } = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM outbox
          WHERE status IN ('pending', 'sending') AND created_at <= $1`,
        [cutoff],
      );
      if (rows[0]!.n + ((await opts.also?.(cutoff)) ?? 0) === 0) {
        drained = true;
        break;
      }
      await wait(250);
    }
    if (!drained) return false;
  }
  return true;
}
