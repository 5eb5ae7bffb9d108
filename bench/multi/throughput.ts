/**
 * The multi-process bench's figures for one run, over the measured window (after a warm-up, until
 * the load stops):
 *  - accepted/s: webhooks answered 2xx in the window;
 *  - processed/s: customer messages the inbound pipeline recorded in the window (a message row's
 *    `created_at` is the moment its processing began; the row commits with the bot's replies);
 *  - end to end: from sending the webhook (the attempt that got the 2xx) to the first bot reply to
 *    that message arriving at the fake platform (bot replies share their message's `created_at`
 *    and conversation), for messages sent in the window that the bot answers;
 *  - processing lag: from sending the webhook to the start of its processing, for all of them.
 */
import type pg from 'pg';
import type { Delivery } from '../crash/platforms.js';
import type { SentMessage } from '../crash/traffic.js';
import { round, summarize, type LatencySummary } from '../support/stats.js';

export interface Throughput {
  window_s: number;
  offered_per_s: number;
  accepted_per_s: number;
  processed_per_s: number;
  /** Messages of any kind arriving at the fake Telegram and WhatsApp. */
  deliveries_per_s: number;
  end_to_end_ms: LatencySummary;
  processing_lag_ms: LatencySummary;
  /** Acknowledged but not yet processed when the load stopped. */
  backlog_at_load_end: number;
  /** Answered messages sent in the window whose reply never arrived (should be 0 after the drain). */
  unanswered: number;
}

export async function measureThroughput(
  db: pg.Pool | pg.Client,
  input: {
    messages: SentMessage[];
    deliveries: Delivery[];
    windowStart: number;
    windowEnd: number;
    answers: (m: SentMessage) => boolean;
  },
): Promise<Throughput> {
  const { windowStart, windowEnd } = input;
  const seconds = (windowEnd - windowStart) / 1000;
  const inWindow = (t: number | null) => t !== null && t >= windowStart && t < windowEnd;
  const { rows } = await db.query<{
    channel: string;
    external_id: string;
    processed_at: string;
    replies: string[] | null;
  }>(
    `SELECT c.channel, c.external_id,
            (extract(epoch FROM c.created_at) * 1000)::float8 AS processed_at,
            array_remove(array_agg(b.external_id), NULL) AS replies
     FROM messages c
     LEFT JOIN messages b ON b.conversation_id = c.conversation_id
       AND b.created_at = c.created_at AND b.author_type = 'bot'
     WHERE c.author_type = 'customer' AND c.external_id IS NOT NULL
     GROUP BY 1, 2, 3`,
  );
  const processed = new Map(rows.map((r) => [`${r.channel}:${r.external_id}`, r]));
  const arrival = new Map<string, number>();
  for (const d of input.deliveries) arrival.set(`${d.platform}:${d.externalId}`, d.at);

  const endToEnd: number[] = [];
  const lag: number[] = [];
  let unanswered = 0;
  let backlog = 0;
  for (const m of input.messages) {
    const row = processed.get(`${m.channel}:${m.externalId}`);
    const processedAt = row ? Number(row.processed_at) : null;
    if (m.ackedAt !== null && m.ackedAt < windowEnd && (processedAt ?? Infinity) >= windowEnd)
      backlog += 1;
    if (!inWindow(m.sentAt) || m.sentAt === null) continue;
    if (processedAt !== null) lag.push(Math.max(0, processedAt - m.sentAt));
    if (!input.answers(m)) continue;
    const times = (row?.replies ?? [])
      .map((id) => arrival.get(`${m.channel}:${id}`))
      .filter((t): t is number => t !== undefined);
    if (times.length === 0) unanswered += 1;
    else endToEnd.push(Math.min(...times) - m.sentAt);
  }
  const processedInWindow = rows.filter((r) => inWindow(Number(r.processed_at))).length;
  const repliesInWindow = input.deliveries.filter((d) => inWindow(d.at)).length;
  const perSecond = (n: number) => round(n / seconds, 1);
  return {
    window_s: round(seconds, 1),
    offered_per_s: perSecond(input.messages.filter((m) => inWindow(m.firstSentAt)).length),
    accepted_per_s: perSecond(input.messages.filter((m) => inWindow(m.ackedAt)).length),
    processed_per_s: perSecond(processedInWindow),
    deliveries_per_s: perSecond(repliesInWindow),
    end_to_end_ms: summarize(endToEnd),
    processing_lag_ms: summarize(lag),
    backlog_at_load_end: backlog,
    unanswered,
  };
}
