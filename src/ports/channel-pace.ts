/**
 * Turns of a platform's per-channel rate limit, shared by every process on one database (Slack
 * allows about one message per second per channel, whichever process posts).
 */

/** The answer to one reservation. */
export type PaceTurn =
  /** Reserved: the turn starts `waitMs` from now (0: at once). */
  | { reserved: true; waitMs: number }
  /** Not reserved: the next free turn is `delayMs` away, more than the caller would wait. */
  | { reserved: false; delayMs: number };

export interface ChannelPaceStore {
  /** Reserves the next turn of `key`, `intervalMs` after the previous one, unless it is further than `maxWaitMs`. */
  reserve(key: string, intervalMs: number, maxWaitMs: number): Promise<PaceTurn>;
}
