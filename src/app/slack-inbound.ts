/**
 * What agents do in Slack, as use cases: a reply in a ticket's thread (a note, or — when the
 * tenant chose so — a reply to the customer unless it starts with `note:`), and the `/ticket`
 * grammar from commands, buttons and modals, all with the agent as the actor.
 */
import type { Agent, Tenant } from '../domain/records.js';
import {
  type ParseError,
  type ParsedCommand,
  isParseError,
  parseAgentCommand,
} from '../engine/agent-commands/parse.js';
import type { ReplyMode } from '../ports/agent-workspace.js';
import type { AppDeps } from './context.js';
import { type CommandResult, type ResolveUser, runAgentCommand } from './run-agent-command.js';
import { staffTextFor } from './staff-text.js';
import { addTicketMessage } from './ticket-messages.js';

export interface SlackThreadReply {
  channel: string;
  threadTs: string;
  text: string;
  /** The reply's own ts (its delivery marks go on it); absent in events queued before it was kept. */
  ts?: string;
}

export type ThreadReplyOutcome =
  'note' | 'reply' | 'not_a_ticket_thread' | 'not_an_agent' | 'empty';

const NOTE_PREFIX = /^\s*note:\s*/i;

export async function handleSlackThreadReply(
  deps: AppDeps,
  tenant: Tenant,
  agent: Agent | null,
  reply: SlackThreadReply,
  mode: ReplyMode,
): Promise<ThreadReplyOutcome> {
  const card = await deps.uow.read.slackCards.findByThread(
    tenant.id,
    reply.channel,
    reply.threadTs,
  );
  if (!card) return 'not_a_ticket_thread';
  if (!agent || !agent.active) return 'not_an_agent';
  const asNote = mode === 'replies_internal' || NOTE_PREFIX.test(reply.text);
  const body = (
    mode === 'replies_to_customer' ? reply.text.replace(NOTE_PREFIX, '') : reply.text
  ).trim();
  if (!body) return 'empty';
  await addTicketMessage(
    deps,
    { tenant, actor: { type: 'agent', id: agent.id, role: agent.role } },
    card.ticketId,
    {
      body,
      internal: asNote,
      origin: 'slack',
      ...(reply.ts ? { workspaceRef: { channel: reply.channel, ts: reply.ts } } : {}),
    },
  );
  return asNote ? 'note' : 'reply';
}

/** `/ticket …`, a button or a modal, as one line of the grammar. */
export async function runSlackCommand(
  deps: AppDeps,
  tenant: Tenant,
  agent: Agent | null,
  text: string,
  resolveUser: ResolveUser,
  threadTicketRef?: string,
): Promise<CommandResult> {
  const t = staffTextFor(deps, tenant);
  const parsed = parseAgentCommand(text, threadTicketRef ? { threadTicketRef, t } : { t });
  return runSlackParsed(deps, tenant, agent, parsed, resolveUser);
}

/** A command already parsed (a modal's fields can say more than a line of text). */
export async function runSlackParsed(
  deps: AppDeps,
  tenant: Tenant,
  agent: Agent | null,
  parsed: ParsedCommand | ParseError,
  resolveUser: ResolveUser,
): Promise<CommandResult> {
  if (isParseError(parsed)) return { ok: false, text: parsed.text };
  if (!agent && parsed.verb !== 'help') {
    return { ok: false, text: staffTextFor(deps, tenant)('command.not_an_agent') };
  }
  return runAgentCommand(deps, { tenant, agent, surface: 'slack' }, parsed, resolveUser);
}
