/**
 * The AgentWorkspace port on Slack's Web API: ticket cards and their threads, one call per
 * channel in its turn (Slack allows about one message per second per channel), Slack API errors
 * as WorkspaceApiError (retry-after and permanence kept for the outbox).
 */
import { SlackApiError } from '../adapters/slack/errors.js';
import type { SlackLabels } from '../adapters/slack/labels.js';
import { renderTicketCard } from '../adapters/slack/ticket-card.js';
import type { SlackWebClient } from '../adapters/slack/web-client.js';
import type { Pacer } from './channel-pacer.js';
import {
  type AgentWorkspace,
  type ReplyMode,
  type TicketCardData,
  WorkspaceApiError,
} from './ports/agent-workspace.js';

async function workspaceCall<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof SlackApiError)
      throw new WorkspaceApiError(err.message, err.retryAfterMs, err.permanent);
    throw err;
  }
}

/** One Slack call for `channel`, in its turn (about one per second per channel). */
export function pacedCalls(pacer: Pacer) {
  return async <T>(channel: string, run: () => Promise<T>): Promise<T> => {
    const tooFar = await pacer.turn(channel);
    if (tooFar !== null) throw new WorkspaceApiError(`pacing ${channel}`, tooFar);
    return workspaceCall(run);
  };
}

/** `labelsFor(card.language)`: the card's labels in the team's language (default: English). */
export function slackWorkspace(
  client: SlackWebClient,
  pacer: Pacer,
  labelsFor?: (language: string | undefined) => SlackLabels,
): AgentWorkspace {
  const paced = pacedCalls(pacer);
  const options = (card: TicketCardData, replyMode: ReplyMode) =>
    labelsFor ? { replyMode, labels: labelsFor(card.language) } : { replyMode };
  return {
    postCard: (channel, card, mode) =>
      paced(channel, async () => {
        const { text, blocks } = renderTicketCard(card, options(card, mode));
        const posted = await client.postMessage({ channel, text, blocks });
        return { channel: posted.channel, ts: posted.ts };
      }),
    updateCard: (ref, card, mode) =>
      paced(ref.channel, async () => {
        const { text, blocks } = renderTicketCard(card, options(card, mode));
        await client.update({ channel: ref.channel, ts: ref.ts, text, blocks });
      }),
    postInThread: (ref, text) =>
      paced(ref.channel, async () => ({
        ts: (await client.postMessage({ channel: ref.channel, text, thread_ts: ref.ts })).ts,
      })),
    markMessage: (ref, emoji) =>
      paced(ref.channel, async () => {
        try {
          await client.addReaction({ channel: ref.channel, timestamp: ref.ts, name: emoji });
        } catch (err) {
          // A retry after Slack took the first call: the mark is there.
          if (err instanceof SlackApiError && err.code === 'already_reacted') return;
          throw err;
        }
      }),
  };
}
