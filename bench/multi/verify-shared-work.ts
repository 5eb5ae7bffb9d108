/**
 * The checks the multi-process bench adds to the crash bench's (`crash/verify.ts`), for work that
 * several processes could each pick up:
 *  - inbound order: per conversation, customer messages processed in the order they were sent;
 *  - outbox: every row delivered (none failed, none left pending);
 *  - Slack: one card per ticket, no thread or channel post twice (same channel, thread, text);
 *  - escalations: each rung once (ticket, target, rung);
 *  - the daily report: one per tenant and day, its notices delivered once on Telegram and Slack;
 *  - scheduled tickets: each opened once, as exactly one ticket.
 */
import type pg from 'pg';
import type { FakeSlack } from '../../test/fakes/slack-api.js';
import type { Delivery } from '../crash/platforms.js';
import type { SentMessage } from '../crash/traffic.js';

export interface SharedWorkVerdict {
  inbound_reordered: number;
  outbox_not_delivered: Record<string, number>;
  slack: { cards: number; tickets: number; card_posts: number; duplicate_posts: number };
  escalations: { rungs: number; rungs_duplicated: number };
  daily_report: {
    reports: number;
    telegram_deliveries: number;
    slack_posts: number;
    ran_once: boolean;
  };
  scheduled: { scheduled: number; opened: number; tickets: number; ran_once: boolean };
  examples: string[];
}

const REPORT_PREFIX = 'Daily queue report';

export async function verifySharedWork(
  db: pg.Pool | pg.Client,
  input: {
    messages: SentMessage[];
    deliveries: Delivery[];
    slack: FakeSlack;
    agentChatId: string;
    managerSlackChannel: string;
    scheduledMarkers: string[];
    /** Rows created after it (escalations keep firing) may still be on their way. */
    cutoff: Date;
  },
): Promise<SharedWorkVerdict> {
  const examples: string[] = [];
  const note = (s: string) => examples.length < 20 && examples.push(s);

  // Inbound order per conversation: k (the sender's sequence) against processing time.
  const { rows: processed } = await db.query<{ channel: string; external_id: string; at: string }>(
    `SELECT channel, external_id, (extract(epoch FROM created_at) * 1000)::float8 AS at
     FROM messages WHERE author_type = 'customer' AND external_id IS NOT NULL`,
  );
  const processedAt = new Map(
    processed.map((r) => [`${r.channel}:${r.external_id}`, Number(r.at)]),
  );
  let inboundReordered = 0;
  const lastAt = new Map<string, { k: number; at: number }>();
  for (const m of [...input.messages].sort((a, b) => a.customer - b.customer || a.k - b.k)) {
    const at = processedAt.get(`${m.channel}:${m.externalId}`);
    if (at === undefined) continue;
    const previous = lastAt.get(m.chatId);
    if (previous && at < previous.at) {
      inboundReordered += 1;
      note(`customer ${m.customer}: message ${m.k} processed before message ${previous.k}`);
    }
    lastAt.set(m.chatId, { k: m.k, at });
  }

  const { rows: notDelivered } = await db.query<{ destination: string; n: number }>(
    `SELECT destination, count(*)::int AS n FROM outbox
     WHERE status = 'failed' OR (status IN ('pending', 'sending') AND created_at <= $1)
     GROUP BY 1 ORDER BY 1`,
    [input.cutoff],
  );

  // Slack: cards and posts.
  const { rows: cardRows } = await db.query<{ cards: number; tickets: number }>(
    `SELECT (SELECT count(*)::int FROM slack_cards) AS cards,
            (SELECT count(*)::int FROM tickets) AS tickets`,
  );
  const posted = input.slack.posted();
  const cardKeys = new Set<string>();
  const seen = new Map<string, number>();
  for (const m of posted) {
    if (
      !m.thread_ts &&
      !m.text.startsWith(REPORT_PREFIX) &&
      m.channel !== input.managerSlackChannel
    )
      cardKeys.add(`${m.channel}:${m.ts}`);
    const key = `${m.channel}\u0000${m.thread_ts ?? ''}\u0000${m.text}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  let duplicatePosts = 0;
  for (const [key, n] of seen) {
    if (n < 2) continue;
    duplicatePosts += n - 1;
    note(`Slack post ${n}× in ${key.split('\u0000').slice(0, 2).join(' thread ')}`);
  }

  const { rows: rungRows } = await db.query<{ rungs: number; distinct_rungs: number }>(
    `SELECT count(*)::int AS rungs,
            count(DISTINCT (ticket_id, target, rung))::int AS distinct_rungs
     FROM sla_escalations WHERE fired_at IS NOT NULL`,
  );
  const rungs = rungRows[0]!;

  const { rows: reportRows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM daily_reports`,
  );
  const reportTelegram = input.deliveries.filter(
    (d) =>
      d.platform === 'telegram' && d.chat === input.agentChatId && d.text.startsWith(REPORT_PREFIX),
  ).length;
  const reportSlack = posted.filter(
    (m) => m.channel === input.managerSlackChannel && m.text.startsWith(REPORT_PREFIX),
  ).length;
  const reports = reportRows[0]!.n;

  const { rows: scheduledRows } = await db.query<{ status: string; ticket_id: string | null }>(
    `SELECT status, ticket_id FROM scheduled_tickets`,
  );
  let scheduledTickets = 0;
  for (const marker of input.scheduledMarkers) {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM tickets WHERE subject LIKE '%' || $1 || '%'`,
      [marker],
    );
    if (rows[0]!.n !== 1) note(`scheduled ticket ${marker} opened ${rows[0]!.n} times`);
    scheduledTickets += rows[0]!.n;
  }
  const opened = scheduledRows.filter((r) => r.status === 'opened' && r.ticket_id).length;

  return {
    inbound_reordered: inboundReordered,
    outbox_not_delivered: Object.fromEntries(notDelivered.map((r) => [r.destination, r.n])),
    slack: {
      cards: cardRows[0]!.cards,
      tickets: cardRows[0]!.tickets,
      card_posts: cardKeys.size,
      duplicate_posts: duplicatePosts,
    },
    escalations: { rungs: rungs.rungs, rungs_duplicated: rungs.rungs - rungs.distinct_rungs },
    daily_report: {
      reports,
      telegram_deliveries: reportTelegram,
      slack_posts: reportSlack,
      ran_once: reports === 1 && reportTelegram === 1 && reportSlack === 1,
    },
    scheduled: {
      scheduled: input.scheduledMarkers.length,
      opened,
      tickets: scheduledTickets,
      ran_once:
        opened === input.scheduledMarkers.length &&
        scheduledTickets === input.scheduledMarkers.length,
    },
    examples,
  };
}
