/**
 * The crash bench's load: customers' webhooks at a steady rate, agents' replies through the REST
 * API, and now and then an urgent ticket (whose tight SLA makes escalations fire during the run).
 *
 * Webhooks behave like the platforms: each customer's messages go one at a time, in order, and a
 * message is retried (backoff up to 2 s) until it gets a 2xx — so while Parley is down a
 * customer's messages queue up. A message counts as acknowledged once a 2xx came back.
 * Agent replies and urgent tickets are not retried: each attempt has its own marker, and only the
 * ones answered 2xx are checked.
 *
 * With several Parley URLs the generator is also the load balancer: every request (each attempt
 * of a webhook too) goes to the next URL in turn.
 */
import {
  customerMessage,
  type CustomerMessage,
  type CustomerScript,
  type Secrets,
  webhookFor,
} from './payloads.js';

export interface SentMessage extends CustomerMessage {
  acked: boolean;
  attempts: number;
  /** When the first attempt went out (ms since the epoch). */
  firstSentAt: number | null;
  /** When the acknowledged attempt went out, and when its 2xx came back. */
  sentAt: number | null;
  ackedAt: number | null;
}

export interface AgentReply {
  marker: string;
  ticket: string;
  channel: string;
  acked: boolean;
  /** The message id from the 201, when acknowledged. */
  messageId: string | null;
}

export interface UrgentTicket {
  key: string;
  acked: boolean;
  number: string | null;
}

export interface TrafficOptions {
  /** Parley's base URL; several: round-robin over them, request by request. */
  url: string | readonly string[];
  adminKey: string;
  secrets: Secrets;
  customers: number;
  /** Customer messages per second, over all customers. */
  rate: number;
  /** An agent reply every this many ms (0: none). */
  replyEveryMs: number;
  /** An urgent API ticket every this many ms (0: none). */
  urgentEveryMs: number;
  random: () => number;
  /** What the customers write (default: the crash bench's script). */
  script?: CustomerScript;
  /** Every webhook answer (or `network` failure) with its latency, e.g. for percentiles. */
  onWebhookAnswer?: (status: number | 'network', ms: number) => void;
}

export interface Traffic {
  /** Stops creating new messages, replies and tickets. */
  stopGenerating(): void;
  /** Waits until every created message was acknowledged, or the time is up. */
  settle(timeoutMs: number): Promise<boolean>;
  /** Gives up on unacknowledged messages (they stay unacknowledged). */
  abort(): void;
  messages: SentMessage[];
  replies: AgentReply[];
  urgent: UrgentTicket[];
  /** Answers other than 2xx (or `network`) per kind of request, for the report. */
  errors: Record<string, Record<string, number>>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function startTraffic(opts: TrafficOptions): Traffic {
  const messages: SentMessage[] = [];
  const replies: AgentReply[] = [];
  const urgent: UrgentTicket[] = [];
  const queues = Array.from({ length: opts.customers }, () => [] as SentMessage[]);
  const busy = new Array<boolean>(opts.customers).fill(false);
  const nextK = new Array<number>(opts.customers).fill(1);
  let generating = true;
  let aborted = false;
  const timers: NodeJS.Timeout[] = [];
  const auth = { authorization: `Bearer ${opts.adminKey}` };
  const urls = typeof opts.url === 'string' ? [opts.url] : [...opts.url];
  let turn = 0;
  const nextUrl = () => urls[turn++ % urls.length]!;
  const errors: Record<string, Record<string, number>> = {};
  const count = (kind: string, what: string | number) => {
    const bucket = (errors[kind] ??= {});
    bucket[String(what)] = (bucket[String(what)] ?? 0) + 1;
  };

  async function deliver(m: SentMessage): Promise<void> {
    const request = webhookFor(m, opts.secrets);
    for (let attempt = 0; !aborted; attempt++) {
      m.attempts += 1;
      const startedAt = Date.now();
      m.firstSentAt ??= startedAt;
      const sentAt = performance.now();
      try {
        const res = await fetch(`${nextUrl()}${request.path}`, {
          method: 'POST',
          headers: request.headers,
          body: request.body,
          signal: AbortSignal.timeout(5_000),
        });
        await res.arrayBuffer();
        opts.onWebhookAnswer?.(res.status, performance.now() - sentAt);
        if (res.status >= 200 && res.status < 300) {
          m.acked = true;
          m.sentAt = startedAt;
          m.ackedAt = Date.now();
          return;
        }
        count('webhook', res.status);
      } catch {
        // down, or the connection was cut: retried like the platform would
        opts.onWebhookAnswer?.('network', performance.now() - sentAt);
        count('webhook', 'network');
      }
      await sleep(Math.min(2_000, 100 * 2 ** Math.min(attempt, 5)));
    }
  }

  async function drainQueue(customer: number): Promise<void> {
    if (busy[customer]) return;
    busy[customer] = true;
    try {
      const queue = queues[customer]!;
      while (queue.length > 0 && !aborted) {
        await deliver(queue[0]!);
        queue.shift();
      }
    } finally {
      busy[customer] = false;
    }
  }

  let tick = 0;
  const intervalMs = 1000 / opts.rate;
  const started = Date.now();
  const generate = () => {
    if (!generating) return;
    // Catch up on ticks a busy event loop delayed, so the rate holds on average.
    const due = Math.floor((Date.now() - started) / intervalMs);
    while (tick < due) {
      tick += 1;
      const customer = (tick * 7919) % opts.customers;
      const m: SentMessage = {
        ...customerMessage(customer, nextK[customer]!++, opts.script),
        acked: false,
        attempts: 0,
        firstSentAt: null,
        sentAt: null,
        ackedAt: null,
      };
      messages.push(m);
      queues[customer]!.push(m);
      void drainQueue(customer);
    }
  };
  timers.push(setInterval(generate, Math.max(5, Math.floor(intervalMs / 2))));

  let replyCount = 0;
  async function agentReply(): Promise<void> {
    let tickets: Array<{ number: string; channel: string }>;
    try {
      const res = await fetch(`${nextUrl()}/api/v1/tickets?limit=100`, {
        headers: auth,
        signal: AbortSignal.timeout(5_000),
      });
      if (res.status !== 200) {
        count('list_tickets', res.status);
        return void (await res.arrayBuffer());
      }
      tickets = ((await res.json()) as { data: Array<{ number: string; channel: string }> }).data;
    } catch {
      count('list_tickets', 'network');
      return;
    }
    const candidates = tickets.filter((t) => t.channel === 'telegram' || t.channel === 'whatsapp');
    if (candidates.length === 0) return void count('list_tickets', 'no_chat_ticket_yet');
    const ticket = candidates[Math.floor(opts.random() * candidates.length)]!;
    replyCount += 1;
    const marker = `AR-${replyCount}`;
    const reply: AgentReply = {
      marker,
      ticket: ticket.number,
      channel: ticket.channel,
      acked: false,
      messageId: null,
    };
    replies.push(reply);
    try {
      const res = await fetch(`${nextUrl()}/api/v1/tickets/${ticket.number}/messages`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ body: `We are on it, reference ${marker}.` }),
        signal: AbortSignal.timeout(5_000),
      });
      if (res.status >= 200 && res.status < 300) {
        reply.messageId = ((await res.json()) as { id: string }).id;
        reply.acked = true;
      } else {
        count('reply', res.status);
        await res.arrayBuffer();
      }
    } catch {
      count('reply', 'network'); // not acknowledged
    }
  }
  if (opts.replyEveryMs > 0) {
    timers.push(setInterval(() => generating && void agentReply(), opts.replyEveryMs));
  }

  async function urgentTicket(): Promise<void> {
    const key = `crash-urgent-${urgent.length + 1}`;
    const record: UrgentTicket = { key, acked: false, number: null };
    urgent.push(record);
    try {
      const res = await fetch(`${nextUrl()}/api/v1/tickets`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({
          customer: { name: `Store ${urgent.length}`, email: `${key}@stores.example` },
          subject: `Till down in store (${key})`,
          category: 'technical',
          priority: 'urgent',
        }),
        signal: AbortSignal.timeout(5_000),
      });
      if (res.status >= 200 && res.status < 300) {
        record.number = ((await res.json()) as { number: string }).number;
        record.acked = true;
      } else {
        count('urgent_ticket', res.status);
        await res.arrayBuffer();
      }
    } catch {
      count('urgent_ticket', 'network'); // not acknowledged
    }
  }
  if (opts.urgentEveryMs > 0) {
    void urgentTicket();
    timers.push(setInterval(() => generating && void urgentTicket(), opts.urgentEveryMs));
  }

  return {
    messages,
    replies,
    urgent,
    errors,
    stopGenerating() {
      generating = false;
      for (const t of timers) clearInterval(t);
    },
    async settle(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline && !aborted) {
        if (messages.every((m) => m.acked)) return true;
        await sleep(100);
      }
      return messages.every((m) => m.acked);
    },
    abort() {
      aborted = true;
    },
  };
}
