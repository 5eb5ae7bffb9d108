/**
 * Per-channel turns in `channel_pace`, one statement per reservation. The row lock of the upsert
 * orders concurrent reservations (from any process), and every time is the database's clock, so
 * processes whose clocks disagree still take turns `intervalMs` apart.
 */
import { sql } from 'drizzle-orm';
import type { ChannelPaceStore, PaceTurn } from '../ports/channel-pace.js';
import type { Executor } from './executor.js';

export function createChannelPaceStore(db: Executor): ChannelPaceStore {
  return {
    async reserve(key, intervalMs, maxWaitMs): Promise<PaceTurn> {
      // The outer SELECT reads the table as it was before the upsert: when the upsert's WHERE
      // refuses (the next turn is too far), `delay_ms` says how far it is.
      const result = await db.execute<{ wait_ms: number | null; delay_ms: number | null }>(sql`
        WITH clock AS (
          SELECT clock_timestamp() AS now,
                 make_interval(secs => ${intervalMs}::float8 / 1000) AS step,
                 make_interval(secs => ${maxWaitMs}::float8 / 1000) AS patience
        ),
        turn AS (
          INSERT INTO channel_pace AS p (key, next_at)
          SELECT ${key}, now + step FROM clock
          ON CONFLICT (key) DO UPDATE
            SET next_at = greatest(p.next_at, (SELECT now FROM clock)) + (SELECT step FROM clock)
            WHERE p.next_at <= (SELECT now + patience FROM clock)
          RETURNING next_at
        )
        SELECT
          (SELECT extract(epoch FROM turn.next_at - clock.now) * 1000 - ${intervalMs}::float8
             FROM turn) AS wait_ms,
          (SELECT extract(epoch FROM p.next_at - clock.now) * 1000
             FROM channel_pace p WHERE p.key = ${key}) AS delay_ms
        FROM clock`);
      const row = result.rows[0];
      if (row?.wait_ms !== null && row?.wait_ms !== undefined) {
        return { reserved: true, waitMs: Math.max(0, Number(row.wait_ms)) };
      }
      return { reserved: false, delayMs: Math.max(0, Number(row?.delay_ms ?? 0)) };
    },
  };
}
