/**
 * The ingest bench's load generator, a child process of its own (forked with IPC) so its work
 * does not run on Parley's event loop. It answers commands from `ingest-bench.ts`:
 *  - `ceiling`: raw PostgreSQL transactions (lookup + two inserts) on N dedicated connections;
 *  - `ingest`: a closed loop of webhook POSTs at a fixed concurrency over keep-alive sockets;
 *  - `paced`: an open loop at a fixed rate, latency from each request's scheduled send time;
 *  - `redeliver`: posts earlier messages again, as Telegram and Meta do when unsure.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import {
  type Message,
  createMessageSource,
  dedupeKey,
  webhookRequest,
  type WebhookRequest,
} from './payloads.js';
import type {
  CeilingCommand,
  CeilingResult,
  HttpPhaseResult,
  IngestCommand,
  LoadReply,
  LoadRequest,
  LoadResult,
  PacedCommand,
  RedeliverCommand,
} from './protocol.js';
import { Samples, round } from './stats.js';

const REQUEST_TIMEOUT_MS = 10_000;

/** Every message sent so far, by dedupe key (for redelivery). */
const sentByKey = new Map<string, Message>();
let lastSeq = 0;
/** Ceiling transactions so far (their external ids must stay unique across calls). */
let ceilingSeq = 0;

// ---------------------------------------------------------------------------------------------
// HTTP

interface Answer {
  /** 0 when there was no answer (connection error, timeout). */
  status: number;
  error?: string;
}

function post(agent: http.Agent, base: URL, req: WebhookRequest): Promise<Answer> {
  return new Promise((resolve) => {
    const r = http.request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method: 'POST',
        path: req.path,
        headers: { ...req.headers, 'content-length': String(req.body.length) },
        timeout: REQUEST_TIMEOUT_MS,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
        res.on('error', (err) => resolve({ status: 0, error: err.message }));
      },
    );
    r.on('timeout', () => r.destroy(new Error('timeout')));
    r.on('error', (err) => resolve({ status: 0, error: err.message }));
    r.end(req.body);
  });
}

/** Counts and keys of one HTTP phase. */
function httpTally(kind: HttpPhaseResult['kind'], returnKeys: boolean) {
  const latency = new Samples();
  const errors: Record<string, number> = {};
  const byChannel: HttpPhaseResult['byChannel'] = {
    telegram: { sent: 0, accepted: 0 },
    whatsapp: { sent: 0, accepted: 0 },
  };
  const acceptedKeys: string[] = [];
  const rejectedKeys: string[] = [];
  let sent = 0;
  let accepted = 0;
  let firstError: string | undefined;
  return {
    latency,
    record(m: Message, answer: Answer, latencyMs: number): void {
      const key = dedupeKey(m);
      sentByKey.set(key, m);
      sent += 1;
      byChannel[m.channel]!.sent += 1;
      if (answer.status >= 200 && answer.status < 300) {
        accepted += 1;
        byChannel[m.channel]!.accepted += 1;
        latency.push(latencyMs);
        if (returnKeys) acceptedKeys.push(key);
      } else {
        const label = answer.status === 0 ? 'error' : String(answer.status);
        errors[label] = (errors[label] ?? 0) + 1;
        firstError ??= answer.error ?? `HTTP ${answer.status}`;
        if (returnKeys) rejectedKeys.push(key);
      }
    },
    result(seconds: number, extra: Partial<HttpPhaseResult> = {}): HttpPhaseResult {
      const errorCount = Object.values(errors).reduce((a, b) => a + b, 0);
      return {
        kind,
        sent,
        accepted,
        errors,
        errorCount,
        seconds: round(seconds, 3),
        rps: round(accepted / seconds, 1),
        latencyMs: latency.summary(),
        byChannel,
        ...(returnKeys ? { acceptedKeys, rejectedKeys } : {}),
        ...(firstError ? { firstError } : {}),
        ...extra,
      };
    },
  };
}

async function ingest(cmd: IngestCommand): Promise<HttpPhaseResult> {
  const base = new URL(cmd.baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: cmd.concurrency });
  const source = createMessageSource({
    whatsappShare: cmd.whatsappShare,
    chats: cmd.chats,
    startSeq: lastSeq,
  });
  const tally = httpTally('ingest', cmd.returnKeys);
  const started = performance.now();
  const deadline = started + cmd.seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const m = source.next();
      const req = webhookRequest(m, cmd.secrets);
      const t0 = performance.now();
      const answer = await post(agent, base, req);
      tally.record(m, answer, performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: cmd.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  lastSeq = source.lastSeq;
  agent.destroy();
  return tally.result(seconds);
}

async function paced(cmd: PacedCommand): Promise<HttpPhaseResult> {
  const base = new URL(cmd.baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: cmd.maxSockets });
  const source = createMessageSource({
    whatsappShare: cmd.whatsappShare,
    chats: cmd.chats,
    startSeq: lastSeq,
  });
  const tally = httpTally('paced', true);
  const lag = new Samples();
  const total = Math.round(cmd.rate * cmd.seconds);
  const interval = 1000 / cmd.rate;
  const inFlight: Promise<void>[] = [];
  const t0 = performance.now() + 20;
  let i = 0;
  const launch = (scheduled: number, now: number) => {
    lag.push(now - scheduled);
    const m = source.next();
    const req = webhookRequest(m, cmd.secrets);
    inFlight.push(
      post(agent, base, req).then((answer) => {
        tally.record(m, answer, performance.now() - scheduled);
      }),
    );
  };
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (i < total && t0 + i * interval <= now) {
        launch(t0 + i * interval, now);
        i += 1;
      }
      if (i >= total) return resolve();
      setTimeout(tick, Math.max(0, t0 + i * interval - performance.now()));
    };
    setTimeout(tick, Math.max(0, t0 - performance.now()));
  });
  await Promise.all(inFlight);
  const seconds = (performance.now() - t0) / 1000;
  lastSeq = source.lastSeq;
  agent.destroy();
  // Paced throughput is the schedule's: report accepted over the schedule's length.
  const result = tally.result(seconds, { sendLagMs: lag.summary() });
  return { ...result, rps: round(result.accepted / cmd.seconds, 1) };
}

async function redeliver(cmd: RedeliverCommand): Promise<HttpPhaseResult> {
  const base = new URL(cmd.baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: cmd.concurrency });
  const tally = httpTally('redeliver', true);
  const queue = cmd.keys.map((key) => {
    const m = sentByKey.get(key);
    if (!m) throw new Error(`redeliver: never sent ${key}`);
    return m;
  });
  const started = performance.now();
  const worker = async () => {
    for (let m = queue.shift(); m; m = queue.shift()) {
      const t0 = performance.now();
      const answer = await post(agent, base, webhookRequest(m, cmd.secrets));
      tally.record(m, answer, performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: cmd.concurrency }, worker));
  agent.destroy();
  return tally.result((performance.now() - started) / 1000);
}

// ---------------------------------------------------------------------------------------------
// Raw PostgreSQL

async function ceiling(cmd: CeilingCommand): Promise<CeilingResult> {
  const clients = await Promise.all(
    Array.from({ length: cmd.concurrency }, async () => {
      const client = new pg.Client({
        connectionString: cmd.databaseUrl,
        application_name: 'ingest-bench-ceiling',
      });
      client.on('error', () => undefined);
      await client.connect();
      return client;
    }),
  );
  const tenant = (await clients[0]!.query<{ id: string }>('SELECT id FROM tenants LIMIT 1')).rows[0]
    ?.id;
  if (!tenant) throw new Error('ceiling: no tenant row');
  const messagesTable = cmd.foreignKeys ? 'bench_messages_fk' : 'bench_messages';
  const queueTable = cmd.foreignKeys ? 'bench_queue_fk' : 'bench_queue';
  const latency = new Samples();
  let transactions = 0;
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const deadline = started + cmd.seconds * 1000;
  const worker = async (client: pg.Client, w: number) => {
    while (performance.now() < deadline) {
      ceilingSeq += 1;
      const n = ceilingSeq;
      const chat = (n * 7919) % cmd.identities;
      const externalId = `ceiling-${process.pid}-${w}-${n}`;
      const text = `Hi, my order has not arrived yet (#${n})`;
      const t0 = performance.now();
      try {
        await client.query('BEGIN');
        const found = await client.query<{ customer_id: string; conversation_id: string }>(
          'SELECT customer_id, conversation_id FROM bench_identities WHERE channel = $1 AND external_id = $2',
          ['telegram', String(chat)],
        );
        const ident = found.rows[0];
        if (!ident) throw new Error(`identity ${chat} missing`);
        await client.query(
          `INSERT INTO ${messagesTable} (tenant_id, conversation_id, author_type, author_id, body, channel, external_id)
           VALUES ($1::uuid, $2::uuid, 'customer', $3::text, $4::text, 'telegram', $5::text)`,
          [tenant, ident.conversation_id, ident.customer_id, text, externalId],
        );
        const payload = {
          event: {
            channel: 'telegram',
            kind: 'text',
            externalId,
            chatId: String(chat),
            from: {
              id: String(chat),
              name: `Cust${chat}`,
              languageCode: 'en',
              username: `cust_${chat}`,
            },
            sentAt: new Date().toISOString(),
            text,
          },
        };
        await client.query(
          `INSERT INTO ${queueTable} (tenant_id, destination, ordering_key, dedupe_key, payload, max_attempts)
           VALUES ($1::uuid, 'inbound:telegram', $2::text, $3::text, $4::jsonb, 12)
           ON CONFLICT (tenant_id, dedupe_key) DO NOTHING`,
          [tenant, `chat:telegram:${chat}`, `in:telegram:${externalId}`, JSON.stringify(payload)],
        );
        await client.query('COMMIT');
        transactions += 1;
        latency.push(performance.now() - t0);
      } catch (err) {
        errors += 1;
        firstError ??= err instanceof Error ? err.message : String(err);
        await client.query('ROLLBACK').catch(() => undefined);
      }
    }
  };
  await Promise.all(clients.map(worker));
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  return {
    kind: 'ceiling',
    transactions,
    errors,
    seconds: round(seconds, 3),
    tps: round(transactions / seconds, 1),
    latencyMs: latency.summary(),
    ...(firstError ? { firstError } : {}),
  };
}

// ---------------------------------------------------------------------------------------------

async function run(request: LoadRequest): Promise<LoadResult> {
  const cmd = request.command;
  switch (cmd.kind) {
    case 'ceiling':
      return ceiling(cmd);
    case 'ingest':
      return ingest(cmd);
    case 'paced':
      return paced(cmd);
    case 'redeliver':
      return redeliver(cmd);
  }
}

if (!process.send) {
  console.error('bench/ingest/load.ts runs as a forked child of bench/ingest-bench.ts');
  process.exit(2);
}
process.on('message', (request: LoadRequest) => {
  run(request).then(
    (result) => process.send!({ id: request.id, ok: true, result } satisfies LoadReply),
    (err: unknown) =>
      process.send!({
        id: request.id,
        ok: false,
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      } satisfies LoadReply),
  );
});
process.on('disconnect', () => process.exit(0));
