/**
 * Reaction shortcuts: an emoji on a ticket's Slack card runs the tenant's command for it (by
 * default 👀 `claim`, ✅ `resolve answered`) on that ticket, as the reacting agent, with the
 * same permissions as typing it. Reactions elsewhere, unmapped emoji and people who are not
 * agents are ignored without a word.
 */
import { reactionShortcuts, shortcutCommand } from '../domain/canned-replies.js';
import type { Agent, Tenant } from '../domain/records.js';
import { parseShortcut } from '../engine/agent-commands/shortcuts.js';
import type { AppDeps } from './context.js';
import { type CommandResult, type ResolveUser, runAgentCommand } from './run-agent-command.js';

export interface SlackReaction {
  channel: string;
  /** The message reacted to; a card when it is a ticket thread's parent. */
  ts: string;
  /** Emoji name without colons (`eyes`, `thumbsup::skin-tone-3`). */
  name: string;
}

export type ReactionOutcome =
  | { ran: false; why: 'not_a_card' | 'no_shortcut' | 'not_an_agent' | 'bad_shortcut' }
  | { ran: true; command: string; result: CommandResult };

export async function handleSlackReaction(
  deps: AppDeps,
  tenant: Tenant,
  agent: Agent | null,
  reaction: SlackReaction,
  resolveUser: ResolveUser,
): Promise<ReactionOutcome> {
  const card = await deps.uow.read.slackCards.findByThread(
    tenant.id,
    reaction.channel,
    reaction.ts,
  );
  if (!card) return { ran: false, why: 'not_a_card' };
  const command = shortcutCommand(reactionShortcuts(tenant.settings), reaction.name);
  if (!command) return { ran: false, why: 'no_shortcut' };
  if (!agent || !agent.active || agent.tenantId !== tenant.id) {
    return { ran: false, why: 'not_an_agent' };
  }
  const parsed = parseShortcut(command, card.ticketId);
  if ('error' in parsed) {
    deps.logger.warn(
      { tenant_id: tenant.id, reaction: reaction.name, error: parsed.error },
      'reaction shortcut does not parse',
    );
    return { ran: false, why: 'bad_shortcut' };
  }
  const result = await runAgentCommand(
    deps,
    { tenant, agent, surface: 'slack' },
    parsed,
    resolveUser,
  );
  return { ran: true, command, result };
}
