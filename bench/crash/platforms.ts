/**
 * The fake platforms of the crash bench (test/fakes: Telegram Bot API, WhatsApp Graph), in the
 * bench's own process, so they outlive every kill of Parley. Every message Parley sends becomes a
 * `Delivery`, with the id the fake answered with (what Parley stores as the message's
 * `external_id` once it has marked the row sent) and the "epoch" it arrived in: the number of
 * kills before it. Two copies of one row in different epochs were re-sent because a kill came
 * between the platform's answer and `markSent`.
 */
import type { FaultPlan } from '../../test/fakes/fault-plan.js';
import { startFakeGraph, type FakeGraph } from '../../test/fakes/graph-api.js';
import { startFakeTelegram, type FakeTelegram } from '../../test/fakes/telegram-api.js';

export interface Delivery {
  platform: 'telegram' | 'whatsapp';
  /** Telegram chat id / WhatsApp number. */
  chat: string;
  /** The id the fake answered with, as Parley records it: `chat:message_id`, `wamid.N`. */
  externalId: string;
  text: string;
  /** Kills that happened before this delivery arrived. */
  epoch: number;
  /** When the fake received it (ms since the epoch). */
  at: number;
  /** Position in arrival order over both platforms' deliveries of this chat. */
  index: number;
}

export interface FakePlatforms {
  telegram: FakeTelegram;
  graph: FakeGraph;
  /** Call once the killed process is gone: later deliveries belong to the next epoch. */
  markKill(): void;
  deliveries(): Delivery[];
  close(): Promise<void>;
}

const TELEGRAM_SEND = /^send(Message|Photo|Document|Voice|Video|Audio|Sticker)$/;

export async function startFakePlatforms(
  tokens: { telegram: string; whatsapp: string },
  /** Fault injection per platform (the fault bench); faulted requests deliver nothing. */
  faults: { telegram?: FaultPlan; whatsapp?: FaultPlan } = {},
): Promise<FakePlatforms> {
  const telegram = await startFakeTelegram({
    token: tokens.telegram,
    ...(faults.telegram ? { faults: faults.telegram } : {}),
  });
  const graph = await startFakeGraph({
    token: tokens.whatsapp,
    ...(faults.whatsapp ? { faults: faults.whatsapp } : {}),
  });
  // Request counts at each kill: a request's epoch is the number of boundaries at or below it.
  const telegramBoundaries: number[] = [];
  const graphBoundaries: number[] = [];
  let closing: Promise<void> | undefined;
  const epochOf = (boundaries: number[], position: number) =>
    boundaries.filter((b) => b <= position).length;

  return {
    telegram,
    graph,
    markKill() {
      telegramBoundaries.push(telegram.requests.length);
      graphBoundaries.push(graph.requests.length);
    },
    deliveries() {
      const out: Array<Omit<Delivery, 'index'> & { order: number }> = [];
      const perChat = new Map<string, number>();
      telegram.requests.forEach((r, position) => {
        if (!TELEGRAM_SEND.test(r.method) || r.fault) return;
        const chat = String(r.body.chat_id);
        // The fake numbers messages per chat from 1, in the order it received them.
        const id = (perChat.get(chat) ?? 0) + 1;
        perChat.set(chat, id);
        out.push({
          platform: 'telegram',
          chat,
          externalId: `${chat}:${id}`,
          text: String(r.body.text ?? r.body.caption ?? ''),
          epoch: epochOf(telegramBoundaries, position),
          at: r.at,
          order: position,
        });
      });
      let wamid = 0;
      graph.requests.forEach((r, position) => {
        if (r.route !== 'messages' || r.fault) return;
        wamid += 1; // the fake's counter: one per messages call
        const json = (r.json ?? {}) as {
          to?: string;
          text?: { body?: string };
          interactive?: { body?: { text?: string } };
        };
        out.push({
          platform: 'whatsapp',
          chat: String(json.to ?? ''),
          externalId: `wamid.${wamid}`,
          text: json.text?.body ?? json.interactive?.body?.text ?? '',
          epoch: epochOf(graphBoundaries, position),
          at: r.at,
          // Platforms are never mixed within one chat: the order only matters per chat.
          order: position,
        });
      });
      const indexes = new Map<string, number>();
      return out.map(({ order: _order, ...d }) => {
        const key = `${d.platform}:${d.chat}`;
        const index = indexes.get(key) ?? 0;
        indexes.set(key, index + 1);
        return { ...d, index };
      });
    },
    close() {
      closing ??= Promise.all([telegram.close(), graph.close()]).then(() => undefined);
      return closing;
    },
  };
}
