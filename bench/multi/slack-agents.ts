/**
 * Agents answering in Slack: every so often, a reply in the thread of a random chat ticket's card
 * (a signed `message` event). The event goes to one Parley process and, as Slack's retry
 * (`x-slack-retry-num: 1`, same event id), to the next one: the reply must reach the customer
 * once. Each reply carries a marker (`reference SR-n.`); only 2xx'd ones are checked.
 */
import type pg from 'pg';
import type { FakeSlack } from '../../test/fakes/slack-api.js';
import type { AgentReply } from '../crash/traffic.js';
import { postSlackEvent, threadReplyEvent } from '../slack/slack-events.js';

export interface SlackAgents {
  replies: AgentReply[];
  /** Answers other than 2xx (or `network`), by status. */
  errors: Record<string, number>;
  stop(): Promise<void>;
}

export function startSlackAgents(opts: {
  urls: readonly string[];
  db: pg.Pool;
  signingSecret: string;
  agentSlackId: string;
  /** Where the agent's message is posted first, so its delivery mark (a reaction) lands. */
  slack: FakeSlack;
  everyMs: number;
  random: () => number;
}): SlackAgents {
  const replies: AgentReply[] = [];
  const errors: Record<string, number> = {};
  const count = (what: string | number) => (errors[String(what)] = (errors[String(what)] ?? 0) + 1);
  const inFlight = new Set<Promise<void>>();
  let turn = 0;

  async function reply(): Promise<void> {
    const { rows: cards } = await opts.db.query<{ number: string; channel: string; ts: string }>(
      `SELECT t.number, c.channel, c.ts, t.channel AS source FROM slack_cards c
       JOIN tickets t ON t.id = c.ticket_id WHERE t.channel IN ('telegram', 'whatsapp')`,
    );
    if (cards.length === 0) return void count('no_card_yet');
    const card = cards[Math.floor(opts.random() * cards.length)]!;
    const marker = `SR-${replies.length + 1}`;
    const record: AgentReply = {
      marker,
      ticket: card.number,
      channel: card.channel,
      acked: false,
      messageId: null,
    };
    replies.push(record);
    const text = `We are on it, reference ${marker}.`;
    const ts = opts.slack.userPosts(card.channel, {
      user: opts.agentSlackId,
      text,
      thread_ts: card.ts,
    });
    const body = threadReplyEvent({
      channel: card.channel,
      threadTs: card.ts,
      text,
      ts,
      eventId: `Ev0MULTI${String(replies.length).padStart(6, '0')}`,
      user: opts.agentSlackId,
    });
    for (const retryNum of [0, 1]) {
      const url = opts.urls[turn++ % opts.urls.length]!;
      try {
        const status = await postSlackEvent(url, opts.signingSecret, body, retryNum);
        if (status >= 200 && status < 300) record.acked = true;
        else count(status);
      } catch {
        count('network');
      }
    }
  }

  const timer = setInterval(() => {
    const p = reply().catch(() => void count('error'));
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  }, opts.everyMs);

  return {
    replies,
    errors,
    async stop() {
      clearInterval(timer);
      await Promise.all([...inFlight]);
    },
  };
}
