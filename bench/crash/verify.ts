/**
 * After the run: what the database holds against what the load generator was told (2xx) and what
 * the fake platforms received.
 *
 * Inbound: every acknowledged webhook must have its `inbound:*` outbox row (dedupe key
 * `in:<channel>:<id>`: `lost` otherwise) and, once drained, its customer message
 * (`unprocessed` otherwise); no message id may be recorded twice.
 *
 * Outbound to customers: a row marked sent stores the platform's message id on its message
 * (`external_id`), and the fakes know which of their deliveries got which id, so each sent row has
 * an anchor delivery (`phantom` when none: marked sent, never delivered). A delivery no row
 * claims is a copy of the row whose anchor is the next delivery with the same text in that chat:
 * a copy from before a kill whose anchor came after it is `resent_after_kill` (the process died
 * between the platform's answer and markSent: Telegram and WhatsApp sends have no idempotency
 * key, so delivery is at-least-once), any other copy is `duplicated`. A delivery that is neither an
 * anchor, a copy, nor a leading piece of a split row is `unexplained`. `reordered` counts
 * deliveries of a chat whose row id is lower than one already delivered to that chat.
 *
 * Staff pings on Telegram (SLA escalations) carry no stored message id: each sent
 * `staff:telegram` row must arrive (its text opens the delivered text) in its chat; extra copies
 * are duplicated pings, split like the customers' by whether a kill came between them.
 */
import type pg from 'pg';
import type { Delivery } from './platforms.js';
import type { AgentReply, SentMessage, UrgentTicket } from './traffic.js';

export interface Verdict {
  inbound: {
    created: number;
    acked: number;
    not_acked: number;
    lost: number;
    unprocessed: number;
    recorded_twice: number;
    lost_examples: string[];
  };
  outbound: {
    rows_sent: number;
    rows_pending: number;
    rows_failed: number;
    deliveries: number;
    phantom: number;
    duplicated: number;
    resent_after_kill: number;
    unexplained: number;
    reordered: number;
    examples: string[];
  };
  replies: {
    attempted: number;
    acked: number;
    lost_replies: number;
    delivered_twice: number;
    lost_examples: string[];
  };
  escalations: {
    urgent_tickets_acked: number;
    rungs_fired: number;
    by_rung: Record<string, number>;
    ping_rows_sent: number;
    pings_delivered: number;
    pings_missing: number;
    pings_duplicated: number;
    pings_resent_after_kill: number;
    exercised: boolean;
  };
  outbox_by_status: Record<string, Record<string, number>>;
}

interface CustomerRow {
  id: number;
  destination: string;
  status: string;
  chat: string;
  text: string;
  external_id: string | null;
}

const digits = (s: string) => s.replace(/\D/g, '');
const chatKey = (platform: string, chat: string) =>
  `${platform}:${platform === 'whatsapp' ? digits(chat) : chat}`;

export async function verify(
  db: pg.Client | pg.Pool,
  input: {
    deliveries: Delivery[];
    messages: SentMessage[];
    replies: AgentReply[];
    urgent: UrgentTicket[];
    agentChatId: string;
  },
): Promise<Verdict> {
  const examples: string[] = [];
  const note = (s: string) => examples.length < 20 && examples.push(s);

  // ---- inbound
  const inboundRows = await db.query<{ dedupe_key: string }>(
    `SELECT dedupe_key FROM outbox WHERE destination LIKE 'inbound:%'`,
  );
  const recorded = new Set(inboundRows.rows.map((r) => r.dedupe_key));
  const customerMessages = await db.query<{ channel: string; external_id: string; n: number }>(
    `SELECT channel, external_id, count(*)::int AS n FROM messages
     WHERE author_type = 'customer' AND external_id IS NOT NULL GROUP BY 1, 2`,
  );
  const inDb = new Map(customerMessages.rows.map((r) => [`${r.channel}:${r.external_id}`, r.n]));
  const acked = input.messages.filter((m) => m.acked);
  const lostMessages = acked.filter((m) => !recorded.has(`in:${m.channel}:${m.externalId}`));
  const unprocessed = acked.filter(
    (m) =>
      recorded.has(`in:${m.channel}:${m.externalId}`) && !inDb.has(`${m.channel}:${m.externalId}`),
  );

  // ---- outbound to customers
  const rows = (
    await db.query<CustomerRow>(
      `SELECT o.id::bigint AS id, o.destination, o.status,
              o.payload->'outbound'->>'chatId' AS chat,
              coalesce(o.payload->'outbound'->>'text',
                       o.payload->'outbound'->'list'->>'buttonText', '') AS text,
              m.external_id
       FROM outbox o LEFT JOIN messages m ON m.id = o.message_id
       WHERE o.destination LIKE 'customer:%' ORDER BY o.id`,
    )
  ).rows.map((r) => ({ ...r, id: Number(r.id) }));
  const byExternalId = new Map<string, CustomerRow>();
  for (const r of rows)
    if (r.status === 'sent' && r.external_id) byExternalId.set(r.external_id, r);
  const rowsByChat = new Map<string, CustomerRow[]>();
  for (const r of rows) {
    const key = chatKey(r.destination.slice('customer:'.length), r.chat);
    rowsByChat.set(key, [...(rowsByChat.get(key) ?? []), r]);
  }
  const customerChats = new Set(rowsByChat.keys());
  const deliveriesByChat = new Map<string, Delivery[]>();
  for (const d of input.deliveries) {
    const key = chatKey(d.platform, d.chat);
    deliveriesByChat.set(key, [...(deliveriesByChat.get(key) ?? []), d]);
  }

  let phantom = 0;
  let duplicated = 0;
  let resentAfterKill = 0;
  let unexplained = 0;
  let reordered = 0;
  let customerDeliveries = 0;
  const anchored = new Set<string>();
  for (const r of rows) {
    if (r.status !== 'sent') continue;
    if (!r.external_id) {
      // Sent rows of our channels always get the platform's id; none means none came back.
      phantom += 1;
      note(`row ${r.id} (${r.destination} ${r.chat}) sent without a platform id`);
      continue;
    }
    const found = input.deliveries.some(
      (d) =>
        d.externalId === r.external_id &&
        chatKey(d.platform, d.chat) === chatKey(r.destination.slice(9), r.chat),
    );
    if (!found) {
      phantom += 1;
      note(`row ${r.id} marked sent as ${r.external_id} but never delivered`);
    } else anchored.add(r.external_id);
  }
  for (const [key, list] of deliveriesByChat) {
    if (!customerChats.has(key)) continue;
    const chatRows = rowsByChat.get(key) ?? [];
    customerDeliveries += list.length;
    const rowOf = (d: Delivery): CustomerRow | undefined => {
      const r = byExternalId.get(d.externalId);
      return r && chatKey(r.destination.slice(9), r.chat) === key ? r : undefined;
    };
    let maxId = 0;
    for (const d of list) {
      let row = rowOf(d);
      if (!row) {
        // A copy: the row whose anchor is the next delivery of the same text in this chat.
        const anchor = list.find((a) => a.index > d.index && a.text === d.text && rowOf(a));
        if (anchor) {
          row = rowOf(anchor)!;
          if (d.epoch < anchor.epoch) resentAfterKill += 1;
          else {
            duplicated += 1;
            note(`row ${row.id} delivered twice to ${key} without a kill between: "${d.text}"`);
          }
        } else if (chatRows.some((r) => r.text.includes(d.text) && d.text.length > 0)) {
          continue; // a leading piece of a row sent in several parts
        } else {
          unexplained += 1;
          note(`delivery ${d.externalId} to ${key} matches no row: "${d.text.slice(0, 60)}"`);
          continue;
        }
      }
      if (row.id < maxId) {
        reordered += 1;
        note(`row ${row.id} delivered to ${key} after row ${maxId}`);
      }
      maxId = Math.max(maxId, row.id);
    }
  }

  // ---- agent replies
  const ackedReplies = input.replies.filter((r) => r.acked);
  const lostReplies: string[] = [];
  let repliesTwice = 0;
  for (const r of ackedReplies) {
    const copies = input.deliveries.filter((d) => d.text.includes(`reference ${r.marker}.`));
    if (copies.length === 0) lostReplies.push(`${r.marker} (${r.ticket})`);
    if (copies.length > 1) repliesTwice += 1;
  }

  // ---- escalations
  const rungs = await db.query<{ rung: number; n: number }>(
    `SELECT rung, count(*)::int AS n FROM sla_escalations WHERE fired_at IS NOT NULL GROUP BY rung`,
  );
  const byRung = Object.fromEntries(rungs.rows.map((r) => [String(r.rung), r.n]));
  const staffRows = await db.query<{
    id: string;
    status: string;
    payload: { audience: { kind: string; agentId?: string }; text: string };
  }>(`SELECT id, status, payload FROM outbox WHERE destination = 'staff:telegram' ORDER BY id`);
  const agents = await db.query<{ id: string; telegram_user_id: string | null }>(
    `SELECT id, telegram_user_id FROM agents`,
  );
  const telegramOf = new Map(agents.rows.map((a) => [a.id, a.telegram_user_id]));
  let pingRows = 0;
  let pingsDelivered = 0;
  let pingsMissing = 0;
  let pingsDuplicated = 0;
  let pingsResent = 0;
  for (const row of staffRows.rows) {
    if (row.status !== 'sent') continue;
    const audience = row.payload.audience;
    const chat =
      audience.kind === 'manager_channel'
        ? input.agentChatId
        : audience.kind === 'agent'
          ? telegramOf.get(audience.agentId ?? '')
          : null;
    if (!chat) continue; // not reachable on Telegram: the sender skips it
    pingRows += 1;
    const copies = input.deliveries.filter(
      (d) => d.platform === 'telegram' && d.chat === chat && d.text.startsWith(row.payload.text),
    );
    if (copies.length === 0) {
      pingsMissing += 1;
      note(`staff row ${row.id} sent but never delivered to ${chat}`);
      continue;
    }
    pingsDelivered += 1;
    for (let i = 1; i < copies.length; i++) {
      if (copies[i]!.epoch > copies[i - 1]!.epoch) pingsResent += 1;
      else {
        pingsDuplicated += 1;
        note(`staff row ${row.id} delivered twice to ${chat} without a kill between`);
      }
    }
  }

  const statuses = await db.query<{ destination: string; status: string; n: number }>(
    `SELECT destination, status, count(*)::int AS n FROM outbox GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  const outboxByStatus: Record<string, Record<string, number>> = {};
  for (const s of statuses.rows) (outboxByStatus[s.destination] ??= {})[s.status] = s.n;

  const rungsFired = rungs.rows.reduce((n, r) => n + r.n, 0);
  return {
    inbound: {
      created: input.messages.length,
      acked: acked.length,
      not_acked: input.messages.length - acked.length,
      lost: lostMessages.length,
      unprocessed: unprocessed.length,
      recorded_twice: customerMessages.rows.filter((r) => r.n > 1).length,
      lost_examples: [...lostMessages, ...unprocessed]
        .slice(0, 10)
        .map((m) => `${m.channel} ${m.externalId} "${m.text}"`),
    },
    outbound: {
      rows_sent: rows.filter((r) => r.status === 'sent').length,
      rows_pending: rows.filter((r) => r.status === 'pending' || r.status === 'sending').length,
      rows_failed: rows.filter((r) => r.status === 'failed').length,
      deliveries: customerDeliveries,
      phantom,
      duplicated,
      resent_after_kill: resentAfterKill,
      unexplained,
      reordered,
      examples,
    },
    replies: {
      attempted: input.replies.length,
      acked: ackedReplies.length,
      lost_replies: lostReplies.length,
      delivered_twice: repliesTwice,
      lost_examples: lostReplies.slice(0, 10),
    },
    escalations: {
      urgent_tickets_acked: input.urgent.filter((u) => u.acked).length,
      rungs_fired: rungsFired,
      by_rung: byRung,
      ping_rows_sent: pingRows,
      pings_delivered: pingsDelivered,
      pings_missing: pingsMissing,
      pings_duplicated: pingsDuplicated,
      pings_resent_after_kill: pingsResent,
      exercised: pingsDelivered > 0,
    },
    outbox_by_status: outboxByStatus,
  };
}
