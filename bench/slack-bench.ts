/**
 * Slack benchmark (issue 4): with the fake Slack enforcing 1 message/s per channel (HTTP 429 +
 * Retry-After beyond it) and every Slack event delivered three times (Slack's retries,
 * `x-slack-retry-num` 1 and 2, same event_id):
 *   - 0 HTTP 429s received,
 *   - 0 duplicate posts (and each agent reply reaches the customer once),
 *   - ticket update → card update (chat.update) lag p99 ≤ 2 s while under the limit.
 *
 *   npx tsx bench/slack-bench.ts [--seconds 30] [--channels 6] [--out bench/results/slack-bench.json]
 *
 * Parley runs in-process with the production wiring (startParley, default Slack pace) on a fresh
 * embedded PostgreSQL (or DATABASE_URL, in a new database); Slack and Telegram are local fakes.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { type RunningParley, startParley } from '../src/parley.js';
import { type FakeSlack, startFakeSlack } from '../test/fakes/slack-api.js';
import { type FakeTelegram, startFakeTelegram } from '../test/fakes/telegram-api.js';
import { postSlackEvent, telegramCustomerSays, threadReplyEvent } from './slack/slack-events.js';
import { slackRecorder } from './slack/slack-recorder.js';
import { type BenchDatabase, openBenchDatabase } from './support/bench-database.js';
import { round, summarize } from './support/stats.js';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    channels: { type: 'string', default: '6' },
    'tickets-per-channel': { type: 'string', default: '3' },
    'telegram-customers': { type: 'string', default: '3' },
    'update-interval-ms': { type: 'string', default: '2000' },
    'event-interval-ms': { type: 'string', default: '2000' },
    /** Diagnosis only: Parley's Slack pace in ms (default: Parley's own, 1000). */
    'pace-ms': { type: 'string' },
    out: { type: 'string', default: 'bench/results/slack-bench.json' },
  },
});
const SECONDS = Number(args.seconds);
const CHANNELS = Number(args.channels);
const PER_CHANNEL = Number(args['tickets-per-channel']);
const TG_CUSTOMERS = Number(args['telegram-customers']);
const UPDATE_EVERY = Number(args['update-interval-ms']);
const EVENT_EVERY = Number(args['event-interval-ms']);
const PACE_MS = args['pace-ms'] === undefined ? undefined : Number(args['pace-ms']);
const LAG_P99_TARGET_MS = 2000;

const SLACK_TOKEN = 'xoxb-bench-token';
const SIGNING = 'slack-signing-secret-for-bench';
const TRIAGE = 'C0BENCHTRI';
const AGENT_SLACK_ID = 'U0BENCHAGT';
const TG_TOKEN = '888:BENCH-slack';
const TG_SECRET = 'tg_secret_for_slack_bench';
const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
const CATEGORIES = [
  'order_issue',
  'return_refund',
  'general_inquiry',
  'technical',
  'billing',
  'warranty',
];
const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;

const log = (msg: string) => console.log(`[slack-bench] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

interface Card {
  ticketId: string;
  number: string;
  source: string;
  channel: string;
  ts: string;
}
interface Patch {
  number: string;
  channel: string;
  ts: string;
  startedAt: number;
  returnedAt: number;
  status: number;
}

let benchDb: BenchDatabase | undefined;
let slack: FakeSlack | undefined;
let telegram: FakeTelegram | undefined;
let parley: RunningParley | undefined;
let pool: pg.Pool | undefined;
let failed = false;

try {
  benchDb = await openBenchDatabase(process.env.DATABASE_URL);
  slack = await startFakeSlack({ token: SLACK_TOKEN, rateLimitPerChannelPerSecond: 1 });
  telegram = await startFakeTelegram({ token: TG_TOKEN });
  const recorder = slackRecorder(slack.apiUrl);
  const config = loadConfig({
    DATABASE_URL: benchDb.url,
    DATA_DIR: benchDb.scratchDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    ADMIN_API_KEY: ADMIN_KEY,
    RATE_LIMIT_PER_SECOND: '10000',
    RATE_LIMIT_BURST: '10000',
    SLACK_BOT_TOKEN: SLACK_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING,
    SLACK_API_URL: slack.apiUrl,
    SLACK_TRIAGE_CHANNEL: TRIAGE,
    SLACK_THREAD_REPLIES: 'customer',
    TELEGRAM_BOT_TOKEN: TG_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    TELEGRAM_MODE: 'webhook',
  });
  parley = await startParley(config, {
    logger: pino({ level: 'silent' }),
    // Parley's default Slack pace (1 message/s per channel) unless --pace-ms is given.
    channels: {
      fetch: recorder.fetch,
      ...(PACE_MS !== undefined ? { slackPaceIntervalMs: PACE_MS } : {}),
    },
  });
  const base = `${parley.url}/api/v1`;
  pool = new pg.Pool({ connectionString: benchDb.url, max: 2 });
  const db = pool;

  const api = async (method: string, urlPath: string, body?: unknown) => {
    const res = await fetch(`${base}${urlPath}`, {
      method,
      headers: {
        authorization: `Bearer ${ADMIN_KEY}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as any) : null };
  };
  const must = async (method: string, urlPath: string, body?: unknown) => {
    const res = await api(method, urlPath, body);
    if (res.status >= 300) {
      throw new Error(`${method} ${urlPath} → ${res.status} ${JSON.stringify(res.body)}`);
    }
    return res.body;
  };

  // Setup: an agent with a Slack id, one group (own channel) per category, tickets spread over them.
  await must('POST', '/agents', {
    name: 'Bench Agent',
    role: 'agent',
    slack_user_id: AGENT_SLACK_ID,
  });
  // Telegram customers first, before any routing: their cards go to the triage channel, which
  // carries the agents' thread replies (so no channel gets both loads).
  const tgChats = Array.from({ length: TG_CUSTOMERS }, (_, i) => 300000001 + i);
  for (const chat of tgChats) {
    const status = await telegramCustomerSays(parley.url, TG_SECRET, chat, 'agent');
    if (status !== 200) throw new Error(`telegram webhook answered ${status}`);
  }
  await waitFor(`${TG_CUSTOMERS} Telegram cards`, async () => {
    const { rows } = await db.query<{ n: number }>('select count(*)::int as n from slack_cards');
    return rows[0]!.n >= TG_CUSTOMERS ? true : undefined;
  });
  let ticketCount = TG_CUSTOMERS;
  const channelIds: string[] = [];
  const routing: Record<string, string> = {};
  for (let i = 0; i < CHANNELS; i++) {
    const id = `C0BENCH${String(i + 1).padStart(2, '0')}`;
    channelIds.push(id);
    await must('POST', '/groups', { name: `bench-${i + 1}`, slack_channel_id: id });
    if (i < CATEGORIES.length) routing[CATEGORIES[i]!] = `bench-${i + 1}`;
  }
  await must('PATCH', '/settings', { routing });
  const categories = CATEGORIES.slice(0, Math.min(CHANNELS, CATEGORIES.length));
  for (const [i, category] of categories.entries()) {
    for (let k = 0; k < PER_CHANNEL; k++) {
      await must('POST', '/tickets', {
        customer: { name: `Bench Customer ${i}-${k}`, external_id: `bench-${i}-${k}` },
        subject: `Bench ticket ${i}-${k}`,
        description: 'Opened by the Slack benchmark',
        category,
        priority: 'medium',
      });
      ticketCount++;
    }
  }
  const cardsQuery = async (): Promise<Card[]> =>
    (
      await db.query<Card>(
        `select t.id as "ticketId", t.number, t.channel as source, c.channel, c.ts
           from slack_cards c join tickets t on t.id = c.ticket_id order by t.number`,
      )
    ).rows;
  const cards = await waitFor(
    `${ticketCount} cards`,
    async () => {
      const rows = await cardsQuery();
      return rows.length >= ticketCount ? rows : undefined;
    },
    60_000,
  );
  const apiCards = cards.filter((c) => c.source !== 'telegram');
  const tgCards = cards.filter((c) => c.source === 'telegram');
  if (tgCards.length === 0) throw new Error('no Telegram ticket got a card');
  // Let the setup traffic (card posts, first updates) leave the pacer before measuring.
  await sleep(3000);
  const perChannel = new Map<string, Card[]>();
  for (const c of apiCards) perChannel.set(c.channel, [...(perChannel.get(c.channel) ?? []), c]);
  log(
    `setup: ${cards.length} cards (${tgCards.length} from Telegram) in ${
      new Set(cards.map((c) => c.channel)).size
    } channels; load for ${SECONDS} s`,
  );

  // Load.
  const loadStart = performance.now();
  const loadEnd = loadStart + SECONDS * 1000;
  const patches: Patch[] = [];
  const events: {
    eventId: string;
    text: string;
    statuses: number[];
    ts: string;
    channel: string;
  }[] = [];
  let patchErrors = 0;

  async function updater(list: Card[], offsetMs: number) {
    await sleep(offsetMs);
    let n = 0;
    while (performance.now() < loadEnd) {
      const tickAt = performance.now();
      const card = list[n % list.length]!;
      const priority = PRIORITIES[(n + 2) % PRIORITIES.length]!; // medium → high → urgent → low…
      n++;
      const startedAt = performance.now();
      const res = await api('PATCH', `/tickets/${card.number}`, { priority });
      const returnedAt = performance.now();
      if (res.status !== 200) patchErrors++;
      patches.push({ ...card, startedAt, returnedAt, status: res.status });
      await sleep(Math.max(0, tickAt + UPDATE_EVERY - performance.now()));
    }
  }

  async function eventSender() {
    let k = 0;
    while (performance.now() < loadEnd) {
      const tickAt = performance.now();
      const card = tgCards[k % tgCards.length]!;
      k++;
      const eventId = `Ev0BENCH${String(k).padStart(6, '0')}`;
      const text = `Bench agent reply ${k} on ${card.number}`;
      // The agent's message exists in the fake Slack, so its delivery mark (a reaction) lands.
      const ts = slack!.userPosts(card.channel, { user: AGENT_SLACK_ID, text, thread_ts: card.ts });
      const body = threadReplyEvent({
        channel: card.channel,
        threadTs: card.ts,
        text,
        eventId,
        user: AGENT_SLACK_ID,
        ts,
      });
      const statuses: number[] = [];
      for (let retry = 0; retry < 3; retry++) {
        statuses.push(await postSlackEvent(parley!.url, SIGNING, body, retry));
        if (retry < 2) await sleep(150);
      }
      events.push({ eventId, text, statuses, ts, channel: card.channel });
      await sleep(Math.max(0, tickAt + EVENT_EVERY - performance.now()));
    }
  }

  const channelLists = [...perChannel.values()];
  await Promise.all([
    ...channelLists.map((list, i) => updater(list, (i * UPDATE_EVERY) / channelLists.length)),
    eventSender(),
  ]);
  log(`load done: ${patches.length} updates, ${events.length} events; settling`);

  // Settle: the outbox drains, then any paced call still in flight finishes.
  await waitFor(
    'the outbox to drain',
    async () => {
      const { rows } = await db.query<{ n: number }>(
        "select count(*)::int as n from outbox where status in ('pending','sending')",
      );
      return rows[0]!.n === 0 ? true : undefined;
    },
    60_000,
  );
  await sleep(2000);

  // Lag: each PATCH → the first chat.update of its card that started after the PATCH was sent.
  const updates = recorder.calls.filter((c) => c.method === 'chat.update' && c.status === 200);
  const lags: number[] = [];
  const lagsFromRequest: number[] = [];
  let unmatched = 0;
  for (const p of patches.filter((x) => x.status === 200)) {
    const u = updates.find(
      (c) => c.channel === p.channel && c.ts === p.ts && c.startedAt >= p.startedAt,
    );
    if (!u) {
      unmatched++;
      continue;
    }
    lags.push(Math.max(0, u.endedAt - p.returnedAt));
    lagsFromRequest.push(u.endedAt - p.startedAt);
  }
  const lag = summarize(lags);

  // Duplicates: thread posts with the same (channel, thread_ts, text) beyond the first.
  const seen = new Map<string, number>();
  for (const m of slack.posted()) {
    if (!m.thread_ts) continue;
    const key = `${m.channel}\u0000${m.thread_ts}\u0000${m.text}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  const duplicatePosts = [...seen.values()].reduce((a, n) => a + n - 1, 0);
  const cardKeys = new Set(cards.map((c) => `${c.channel}:${c.ts}`));
  const extraCards = slack.posted().filter((m) => !m.thread_ts).length - cardKeys.size;

  // Agent replies: each distinct event reaches the customer exactly once.
  const sent = telegram.calls('sendMessage').map((r) => String(r.body.text));
  const replyTexts = new Set(events.map((e) => e.text));
  const delivered = sent.filter((t) => replyTexts.has(t));
  const deliveredDistinct = new Set(delivered).size;
  const eventErrors = events.filter((e) => e.statuses.some((s) => s !== 200)).length;

  // Pace: the shortest gap between two rate-limited calls to one channel.
  const byChannel = new Map<string, number[]>();
  for (const c of recorder.calls) {
    if (c.method !== 'chat.postMessage' && c.method !== 'chat.update') continue;
    if (!c.channel) continue;
    byChannel.set(c.channel, [...(byChannel.get(c.channel) ?? []), c.startedAt]);
  }
  let minGap = Number.POSITIVE_INFINITY;
  for (const starts of byChannel.values()) {
    starts.sort((a, b) => a - b);
    for (let i = 1; i < starts.length; i++) minGap = Math.min(minGap, starts[i]! - starts[i - 1]!);
  }
  const perChannelRate = [...byChannel.entries()].map(([channel]) => ({
    channel,
    calls_during_load: recorder.calls.filter(
      (c) =>
        c.channel === channel &&
        (c.method === 'chat.postMessage' || c.method === 'chat.update') &&
        c.startedAt >= loadStart &&
        c.startedAt < loadEnd,
    ).length,
  }));

  const http429 = slack.rateLimitedCount;
  // Each 429: which call, when (relative to the load), and how soon after the channel's previous call.
  const rateLimited = recorder.calls
    .filter((c) => c.status === 429)
    .map((c) => {
      const prev = recorder.calls
        .filter(
          (p) =>
            p !== c &&
            p.channel === c.channel &&
            p.startedAt <= c.startedAt &&
            (p.method === 'chat.postMessage' || p.method === 'chat.update'),
        )
        .at(-1);
      return {
        method: c.method,
        channel: c.channel,
        at_ms_from_load_start: round(c.startedAt - loadStart),
        gap_ms_from_previous_call: prev ? round(c.startedAt - prev.startedAt) : null,
        previous_status: prev?.status ?? null,
      };
    });
  // Delivery marks: each agent reply's Slack message gets one "sent" reaction (outbox_tray).
  const marked = events.filter((e) =>
    slack!.reactionsOn(e.channel, e.ts).includes('outbox_tray'),
  ).length;
  const markCalls = recorder.calls.filter((c) => c.method === 'reactions.add').length;
  const checks = {
    no_429: http429 === 0,
    no_duplicate_posts: duplicatePosts === 0 && extraCards === 0,
    replies_once_each: delivered.length === events.length && deliveredDistinct === events.length,
    events_answered_200: eventErrors === 0,
    updates_ok: patchErrors === 0,
    every_update_reached_card: unmatched === 0,
    lag_p99_within_2s: lag.n > 0 && lag.p99 <= LAG_P99_TARGET_MS,
    replies_marked_sent_once: marked === events.length && markCalls === events.length,
  };
  const pass = Object.values(checks).every(Boolean);
  const result = {
    bench: 'slack-bench',
    at: new Date().toISOString(),
    params: {
      seconds: SECONDS,
      channels: CHANNELS,
      tickets_per_channel: PER_CHANNEL,
      telegram_customers: TG_CUSTOMERS,
      update_interval_ms_per_channel: UPDATE_EVERY,
      event_interval_ms: EVENT_EVERY,
      slack_pace_ms: PACE_MS ?? 'default (1000)',
      fake_slack_limit_per_channel_per_second: 1,
      deliveries_per_event: 3,
      database: benchDb.kind,
    },
    targets: { http_429: 0, duplicate_posts: 0, lag_p99_ms: LAG_P99_TARGET_MS },
    updates: {
      sent: patches.length,
      errors: patchErrors,
      matched: lags.length,
      unmatched,
    },
    lag_ms_from_patch_return: lag,
    lag_ms_from_patch_request: summarize(lagsFromRequest),
    http_429: http429,
    http_429_before_load: rateLimited.filter((c) => c.at_ms_from_load_start < 0).length,
    http_429_during_load: rateLimited.filter((c) => c.at_ms_from_load_start >= 0).length,
    rate_limited_calls: rateLimited,
    duplicate_posts: duplicatePosts,
    extra_cards: extraCards,
    events: {
      distinct: events.length,
      deliveries: events.length * 3,
      non_200_answers: eventErrors,
      replies_delivered: delivered.length,
      replies_delivered_distinct: deliveredDistinct,
      replies_marked_sent: marked,
      reactions_add_calls: markCalls,
    },
    slack_calls: {
      total: recorder.calls.length,
      by_method: Object.fromEntries(
        [...new Set(recorder.calls.map((c) => c.method))].map((m) => [
          m,
          recorder.calls.filter((c) => c.method === m).length,
        ]),
      ),
      min_gap_ms_same_channel: round(minGap),
      per_channel_during_load: perChannelRate,
    },
    checks,
    verdict: pass ? 'PASS' : 'FAIL',
  };
  await mkdir(path.dirname(args.out), { recursive: true });
  await writeFile(args.out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(
    `slack-bench: channels=${CHANNELS}${PACE_MS !== undefined ? ` pace_ms=${PACE_MS}` : ''} updates=${patches.length} lag_p50_ms=${lag.p50} lag_p99_ms=${lag.p99} lag_max_ms=${lag.max} http_429=${http429} (setup=${rateLimited.filter((c) => c.at_ms_from_load_start < 0).length}) duplicate_posts=${duplicatePosts} replies=${deliveredDistinct}/${events.length} verdict=${pass ? 'PASS' : 'FAIL'}`,
  );
  if (!pass) {
    log(
      `failed checks: ${Object.entries(checks)
        .filter(([, ok]) => !ok)
        .map(([k]) => k)
        .join(', ')}`,
    );
    failed = true;
  }
} catch (err) {
  console.error('[slack-bench] error:', err);
  failed = true;
} finally {
  await pool?.end().catch(() => {});
  await parley?.stop().catch((err: unknown) => console.error('[slack-bench] stop:', err));
  await slack?.close().catch(() => {});
  await telegram?.close().catch(() => {});
  await benchDb?.close().catch((err: unknown) => console.error('[slack-bench] db close:', err));
}
process.exit(failed ? 1 : 0);
