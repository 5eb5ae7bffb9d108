/**
 * The `inbound:slack` sender: Slack events recorded by `/slack/events` or the Socket Mode
 * connection (one row per Slack event id, so a retried event runs once) are run here, after
 * the acknowledgement: a thread reply becomes a note or a customer reply, a reaction on a card
 * runs the tenant's shortcut (its answer is ephemeral, like a button's).
 */
import type { Logger } from 'pino';
import type { SlackWebClient } from '../adapters/slack/web-client.js';
import type { AppDeps } from './app/context.js';
import { handleSlackReaction } from './app/slack-reactions.js';
import { handleSlackThreadReply } from './app/slack-inbound.js';
import { staffTextFor } from './app/staff-text.js';
import type { Tenant } from './domain/records.js';
import type { ReplyMode } from './ports/agent-workspace.js';
import type { OutboxRow, SendResult, Sender } from './ports/outbox.js';
import type { SlackAgentDirectory } from './slack-agents.js';

export const INBOUND_SLACK = 'inbound:slack';

interface QueuedReaction {
  channel: string;
  ts: string;
  user: string;
  reaction: string;
}

interface QueuedThreadReply {
  channel: string;
  thread_ts: string;
  /** The reply's own ts (absent in rows queued before it was kept). */
  ts?: string;
  user: string;
  text: string;
}

const failure = (err: unknown): SendResult => ({
  ok: false,
  error: err instanceof Error ? err.message : String(err),
});

export function slackInboundSender(opts: {
  deps: AppDeps;
  client: Pick<SlackWebClient, 'postEphemeral'>;
  tenant: () => Promise<Tenant>;
  agents: SlackAgentDirectory;
  replyMode: ReplyMode;
  logger: Logger;
}): Sender {
  const { deps, client, tenant, agents, logger } = opts;

  async function onReaction(r: QueuedReaction): Promise<void> {
    const outcome = await handleSlackReaction(
      deps,
      await tenant(),
      await agents.findAgent(r.user),
      { channel: r.channel, ts: r.ts, name: r.reaction },
      agents.resolveUser,
    );
    if (!outcome.ran) return;
    await client
      .postEphemeral({ channel: r.channel, user: r.user, text: outcome.result.text })
      .catch((err: unknown) => logger.warn({ err }, 'slack reaction answer failed'));
  }

  async function onThreadReply(ev: QueuedThreadReply): Promise<void> {
    const current = await tenant();
    const outcome = await handleSlackThreadReply(
      deps,
      current,
      await agents.findAgent(ev.user),
      {
        channel: ev.channel,
        threadTs: ev.thread_ts,
        text: ev.text,
        ...(ev.ts ? { ts: ev.ts } : {}),
      },
      opts.replyMode,
    );
    if (outcome === 'not_an_agent') {
      await client.postEphemeral({
        channel: ev.channel,
        user: ev.user,
        thread_ts: ev.thread_ts,
        text: staffTextFor(deps, current)('command.not_an_agent'),
      });
    }
  }

  return {
    async send(row: OutboxRow): Promise<SendResult> {
      try {
        if (row.payload.reaction) await onReaction(row.payload.reaction as QueuedReaction);
        else await onThreadReply(row.payload.event as QueuedThreadReply);
        return { ok: true };
      } catch (err) {
        return failure(err);
      }
    },
  };
}
