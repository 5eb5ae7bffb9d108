/**
 * The fake platforms for the ingest bench (test/fakes: Telegram Bot API and WhatsApp Graph), in
 * a child process of their own so the bot's replies do not cost Parley's event loop the fakes'
 * work. Sends `{ready, apiRoot, graphUrl}` once listening; answers `counts` with the number of
 * messages the bot sent to each platform since the previous `counts` (the recorded requests are
 * dropped each time, so memory stays flat).
 */
import { startFakeGraph } from '../../test/fakes/graph-api.js';
import { startFakeTelegram } from '../../test/fakes/telegram-api.js';

export interface FakesReady {
  kind: 'ready';
  apiRoot: string;
  graphUrl: string;
}

export interface FakesCounts {
  kind: 'counts';
  id: number;
  telegramSends: number;
  whatsappSends: number;
}

const telegramToken = process.env.BENCH_TELEGRAM_TOKEN;
const whatsappToken = process.env.BENCH_WHATSAPP_TOKEN;
if (!process.send || !telegramToken || !whatsappToken) {
  console.error('bench/ingest/fakes.ts runs as a forked child of bench/ingest-bench.ts');
  process.exit(2);
}

const telegram = await startFakeTelegram({ token: telegramToken });
const graph = await startFakeGraph({ token: whatsappToken });

process.on('message', (msg: { kind: string; id: number }) => {
  if (msg.kind !== 'counts') return;
  let telegramSends = 0;
  for (const r of telegram.requests) if (r.method.startsWith('send')) telegramSends += 1;
  // Recorded requests hold bodies: keep memory flat over long runs.
  telegram.requests.length = 0;
  const whatsappSends = graph.requests.filter((r) => r.route === 'messages').length;
  graph.requests.length = 0;
  process.send!({ kind: 'counts', id: msg.id, telegramSends, whatsappSends } satisfies FakesCounts);
});
process.on('disconnect', () => {
  void Promise.all([telegram.close(), graph.close()]).finally(() => process.exit(0));
});
process.send({
  kind: 'ready',
  apiRoot: telegram.apiRoot,
  graphUrl: graph.baseUrl,
} satisfies FakesReady);
