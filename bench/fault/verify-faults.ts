/**
 * The fault bench's own checks, next to the crash bench's (lost, duplicated, reordered):
 *  - `early_retries`: after a 429 with a retry-after for a chat, a request for that chat that
 *    arrived before the retry-after had passed;
 *  - requests per outbox row: every send request the fakes saw (faulted ones included) against the
 *    customer rows with that chat and text: more than `maxAttempts` per row is a spin;
 *  - failures surfaced: every `failed` customer row has its message marked failed with the reason,
 *    and when it belongs to a ticket, the ticket's `last_delivery_error`, a `delivery_failed` audit
 *    event and, when Slack is wired, the notice to the ticket's Slack thread (its outbox row;
 *    none when it is not: notices are written only for wired platforms);
 *  - request rate towards a platform while it was fully down.
 */
import type pg from 'pg';
import type { FakeTelegramRequest } from '../../test/fakes/telegram-api.js';
import type { RecordedGraphRequest } from '../../test/fakes/graph-api.js';

export interface SendRequest {
  platform: 'telegram' | 'whatsapp';
  chat: string;
  text: string;
  at: number;
  fault?: string;
  retryAfterSeconds?: number;
}

export interface FaultVerdict {
  early_retries: number;
  early_retry_examples: string[];
  send_requests: number;
  faulted_requests: number;
  max_requests_per_row: number;
  rows_over_attempt_budget: number;
  failed_rows: number;
  failed_surfaced: number;
  failed_with_ticket: number;
  failed_unsurfaced_examples: string[];
  failure_reasons: Record<string, number>;
  /**
   * Extra copies of a row that had an ambiguous failure (timeout, dropped connection): the
   * platform may have taken the message while Parley never heard back, and Telegram and WhatsApp
   * sends have no idempotency key (at-least-once). Other extra copies are `duplicated_unexplained`.
   */
  resent_after_timeout: number;
  duplicated_unexplained: number;
}

const TELEGRAM_SEND = /^send(Message|Photo|Document|Voice|Video|Audio|Sticker)$/;
const digits = (s: string) => s.replace(/\D/g, '');
/** Errors after which the platform may have taken the message: a timeout or a cut connection. */
const AMBIGUOUS = /timed? ?out|timeout|aborted|network|socket|ECONNRESET|other side closed/i;

/** Customer-bound send requests of both fakes, in arrival order. */
export function sendRequests(
  telegram: FakeTelegramRequest[],
  graph: RecordedGraphRequest[],
): SendRequest[] {
  const out: SendRequest[] = [];
  for (const r of telegram) {
    if (!TELEGRAM_SEND.test(r.method)) continue;
    out.push({
      platform: 'telegram',
      chat: String(r.body.chat_id),
      text: String(r.body.text ?? r.body.caption ?? ''),
      at: r.at,
      ...(r.fault ? { fault: r.fault } : {}),
      ...(r.retryAfterSeconds !== undefined ? { retryAfterSeconds: r.retryAfterSeconds } : {}),
    });
  }
  for (const r of graph) {
    if (r.route !== 'messages') continue;
    const json = (r.json ?? {}) as {
      to?: string;
      text?: { body?: string };
      interactive?: { body?: { text?: string } };
    };
    out.push({
      platform: 'whatsapp',
      chat: digits(String(json.to ?? '')),
      text: json.text?.body ?? json.interactive?.body?.text ?? '',
      at: r.at,
      ...(r.fault ? { fault: r.fault } : {}),
      ...(r.retryAfterSeconds !== undefined ? { retryAfterSeconds: r.retryAfterSeconds } : {}),
    });
  }
  return out.sort((a, b) => a.at - b.at);
}

/** Requests to a platform that arrived in [from, to) (ms since the epoch). */
export function requestsBetween(
  requests: SendRequest[],
  platform: SendRequest['platform'],
  from: number,
  to: number,
): number {
  return requests.filter((r) => r.platform === platform && r.at >= from && r.at < to).length;
}

export async function verifyFaults(
  db: pg.Client | pg.Pool,
  input: {
    requests: SendRequest[];
    maxAttempts: number;
    /** Slack is wired in the Parley under test (from its configuration). */
    slackWired: boolean;
  },
): Promise<FaultVerdict> {
  const examples: string[] = [];
  const chatOf = (r: { platform: string; chat: string }) => `${r.platform}:${r.chat}`;

  // ---- retry-after honoured per chat
  let early = 0;
  const byChat = new Map<string, SendRequest[]>();
  for (const r of input.requests) byChat.set(chatOf(r), [...(byChat.get(chatOf(r)) ?? []), r]);
  for (const [chat, list] of byChat) {
    list.forEach((r, i) => {
      if (r.retryAfterSeconds === undefined) return;
      const next = list[i + 1];
      // 2 ms: the fake stamps arrival after reading the body, Parley its own clock after the answer.
      if (next && next.at < r.at + r.retryAfterSeconds * 1000 - 2) {
        early += 1;
        if (examples.length < 10)
          examples.push(
            `${chat}: retry ${next.at - r.at} ms after a 429 asking for ${r.retryAfterSeconds} s`,
          );
      }
    });
  }

  // ---- requests per row (no spinning)
  const rows = await db.query<{ destination: string; chat: string; text: string }>(
    `SELECT destination, payload->'outbound'->>'chatId' AS chat,
            coalesce(payload->'outbound'->>'text', payload->'outbound'->'list'->>'buttonText', '') AS text
     FROM outbox WHERE destination LIKE 'customer:%'`,
  );
  const rowsPerText = new Map<string, number>();
  for (const r of rows.rows) {
    const platform = r.destination.slice('customer:'.length);
    const chat = platform === 'whatsapp' ? digits(r.chat) : r.chat;
    const key = `${platform}:${chat}\u0000${r.text}`;
    rowsPerText.set(key, (rowsPerText.get(key) ?? 0) + 1);
  }
  const requestsPerText = new Map<string, number>();
  for (const r of input.requests) {
    const key = `${chatOf(r)}\u0000${r.text}`;
    requestsPerText.set(key, (requestsPerText.get(key) ?? 0) + 1);
  }
  let maxPerRow = 0;
  let overBudget = 0;
  for (const [key, n] of requestsPerText) {
    const rowCount = rowsPerText.get(key);
    if (!rowCount) continue; // a split piece of a longer text, or not a customer row
    maxPerRow = Math.max(maxPerRow, n / rowCount);
    if (n > rowCount * input.maxAttempts) overBudget += 1;
  }

  // ---- copies: deliveries of a chat and text beyond the rows with that chat and text
  const sentRows = await db.query<{
    destination: string;
    chat: string;
    text: string;
    attempts: number;
    last_error: string | null;
  }>(
    `SELECT destination, payload->'outbound'->>'chatId' AS chat, attempts, last_error,
            coalesce(payload->'outbound'->>'text', payload->'outbound'->'list'->>'buttonText', '') AS text
     FROM outbox WHERE destination LIKE 'customer:%' AND status = 'sent'`,
  );
  const sentPerText = new Map<string, { rows: number; ambiguous: boolean }>();
  for (const r of sentRows.rows) {
    const platform = r.destination.slice('customer:'.length);
    const key = `${platform}:${platform === 'whatsapp' ? digits(r.chat) : r.chat}\u0000${r.text}`;
    const entry = sentPerText.get(key) ?? { rows: 0, ambiguous: false };
    entry.rows += 1;
    entry.ambiguous ||= r.attempts > 1 && AMBIGUOUS.test(r.last_error ?? '');
    sentPerText.set(key, entry);
  }
  const deliveredPerText = new Map<string, number>();
  for (const r of input.requests) {
    if (r.fault) continue;
    const key = `${chatOf(r)}\u0000${r.text}`;
    deliveredPerText.set(key, (deliveredPerText.get(key) ?? 0) + 1);
  }
  let resentAfterTimeout = 0;
  let duplicatedUnexplained = 0;
  for (const [key, n] of deliveredPerText) {
    const entry = sentPerText.get(key);
    if (!entry || n <= entry.rows) continue;
    if (entry.ambiguous) resentAfterTimeout += n - entry.rows;
    else duplicatedUnexplained += n - entry.rows;
  }

  // ---- failures surfaced on the message, the ticket and its Slack thread
  const failed = await db.query<{
    id: string;
    last_error: string | null;
    ticket_id: string | null;
    message_status: string | null;
    message_error: string | null;
    ticket_error: string | null;
    audit: number;
    notice: number;
  }>(
    `SELECT o.id, o.last_error, o.ticket_id, m.delivery_status AS message_status,
            m.delivery_error AS message_error, t.last_delivery_error AS ticket_error,
            (SELECT count(*)::int FROM audit_events a
              WHERE a.ticket_id = o.ticket_id AND a.action = 'delivery_failed') AS audit,
            (SELECT count(*)::int FROM outbox n
              WHERE n.dedupe_key = 'staff:slack:delivery-failed:' || o.id) AS notice
     FROM outbox o
     LEFT JOIN messages m ON m.id = o.message_id
     LEFT JOIN tickets t ON t.id = o.ticket_id
     WHERE o.destination LIKE 'customer:%' AND o.status = 'failed' ORDER BY o.id`,
  );
  let surfaced = 0;
  let withTicket = 0;
  const unsurfaced: string[] = [];
  const reasons: Record<string, number> = {};
  for (const f of failed.rows) {
    const reason = (f.last_error ?? '').replace(/\d+/g, 'N').slice(0, 90);
    reasons[reason] = (reasons[reason] ?? 0) + 1;
    const onMessage = f.message_status === 'failed' && !!f.message_error;
    const noticed = input.slackWired ? f.notice > 0 : f.notice === 0;
    const onTicket = f.ticket_id === null || (!!f.ticket_error && f.audit > 0 && noticed);
    if (f.ticket_id) withTicket += 1;
    if (onMessage && onTicket) surfaced += 1;
    else if (unsurfaced.length < 10)
      unsurfaced.push(
        `row ${f.id}: message=${f.message_status} ticket_error=${!!f.ticket_error} audit=${f.audit} notice=${f.notice}`,
      );
  }

  return {
    early_retries: early,
    early_retry_examples: examples,
    send_requests: input.requests.length,
    faulted_requests: input.requests.filter((r) => r.fault).length,
    max_requests_per_row: Math.round(maxPerRow * 100) / 100,
    rows_over_attempt_budget: overBudget,
    failed_rows: failed.rows.length,
    failed_surfaced: surfaced,
    failed_with_ticket: withTicket,
    failed_unsurfaced_examples: unsurfaced,
    failure_reasons: reasons,
    resent_after_timeout: resentAfterTimeout,
    duplicated_unexplained: duplicatedUnexplained,
  };
}
