/**
 * Runs a parsed agent command (Slack `/ticket`, the Telegram agents' group, the CLI) through
 * the ticket use cases, as the agent who typed it: the status machine, engineer and
 * supervisor rules and approvals are the domain's, not this router's. Answers are
 * surface-neutral texts; a ParleyError becomes `{ok: false, text: <its message>}`.
 */
import type { Actor } from '../domain/actor.js';
import { cannedReplyNames } from '../domain/canned-replies.js';
import { ParleyError } from '../domain/errors.js';
import type { Agent, Message, Tenant, Ticket } from '../domain/records.js';
import { OPEN_STATUSES } from '../domain/vocabulary.js';
import {
  type AnswerSurface,
  type TicketFormat,
  pendingApproval,
  strong,
  ticketLine,
  ticketSummary,
  userText,
} from '../engine/agent-commands/format.js';
import { helpText, type ListScope } from '../engine/agent-commands/grammar.js';
import type { AgentMention, ParsedCommand } from '../engine/agent-commands/parse.js';
import { sendCannedReply } from './canned-replies.js';
import type { AppDeps, RequestContext } from './context.js';
import type { ListTicketsInput, UpdateTicketInput } from './inputs.js';
import { getTicket, listTickets } from './query-tickets.js';
import { addTicketMessage } from './ticket-messages.js';
import { updateTicket } from './update-ticket.js';
import { removeWatcher, setWatcher } from './watchers.js';

export type AgentSurface = AnswerSurface;

export interface AgentCommandContext {
  tenant: Tenant;
  /** The agent the surface identified (Slack user, Telegram user, CLI key); null if none. */
  agent: Agent | null;
  surface: AgentSurface;
}

export interface CommandResult {
  ok: boolean;
  text: string;
  ticket?: Ticket;
  tickets?: Ticket[];
}

/** Finds the teammate a mention names, within the tenant; `me` never reaches it. */
export type ResolveUser = (mention: AgentMention) => Promise<Agent | null>;

export const NOT_AN_AGENT = 'You are not an agent of this team.';
export const CANNED_NOT_SET_UP =
  'This team has no canned replies yet. An admin adds them in the settings (canned_replies).';
export const LIST_LIMIT = 10;

const LIST_FILTERS: Record<ListScope, { title: string; input: ListTicketsInput }> = {
  mine: { title: 'Your open tickets', input: { assignee_id: 'me' } },
  open: { title: 'Open tickets', input: {} },
  overdue: { title: 'Overdue tickets', input: { overdue: true } },
  unassigned: { title: 'Unassigned tickets', input: { assignee_id: 'none' } },
};

interface Run {
  deps: AppDeps;
  req: RequestContext;
  agent: Agent;
  fmt: TicketFormat;
  resolveUser: ResolveUser;
}

export async function runAgentCommand(
  deps: AppDeps,
  ctx: AgentCommandContext,
  command: ParsedCommand,
  resolveUser: ResolveUser,
): Promise<CommandResult> {
  if (command.verb === 'help') return { ok: true, text: helpText(command.topic) };
  const { agent, tenant } = ctx;
  if (!agent || !agent.active || agent.tenantId !== tenant.id) {
    return { ok: false, text: NOT_AN_AGENT };
  }
  const actor: Actor = { type: 'agent', id: agent.id, role: agent.role };
  const fmt: TicketFormat = {
    surface: ctx.surface,
    timeZone: tenant.timezone,
    now: deps.clock.now(),
  };
  deps.logger.debug(
    { verb: command.verb, agent_id: agent.id, surface: ctx.surface, tenant_id: tenant.id },
    'agent command',
  );
  try {
    return await execute({ deps, req: { tenant, actor }, agent, fmt, resolveUser }, command);
  } catch (err) {
    if (err instanceof ParleyError) return { ok: false, text: err.message };
    throw err;
  }
}

async function execute(
  run: Run,
  command: Exclude<ParsedCommand, { verb: 'help' }>,
): Promise<CommandResult> {
  const { deps, req, agent, fmt } = run;
  const num = (t: Ticket) => strong(t.number, fmt);
  switch (command.verb) {
    case 'list':
      return list(run, command.scope);
    case 'show': {
      const ticket = await getTicket(deps, req, command.ref);
      return { ok: true, text: ticketSummary(ticket, fmt), ticket };
    }
    case 'reply':
    case 'note': {
      const internal = command.verb === 'note';
      const message = await addTicketMessage(deps, req, command.ref, {
        body: command.text,
        internal,
      });
      const ticket = await getTicket(deps, req, message.ticketId ?? command.ref);
      if (internal) return { ok: true, text: `Internal note added to ${num(ticket)}.`, ticket };
      return { ok: true, text: deliveryText('Reply', message, ticket, fmt), ticket };
    }
    case 'status': {
      const ticket = await update(run, command.ref, { status: command.status });
      return { ok: true, text: `${num(ticket)} is now ${ticket.status}.`, ticket };
    }
    case 'priority': {
      const ticket = await update(run, command.ref, { priority: command.priority });
      return { ok: true, text: `${num(ticket)} priority is now ${ticket.priority}.`, ticket };
    }
    case 'claim': {
      const before = await getTicket(deps, req, command.ref);
      if (before.assignee?.id === agent.id) {
        return { ok: true, text: `${num(before)} is already yours.`, ticket: before };
      }
      const ticket = await update(run, before.id, { assignee_id: agent.id });
      return { ok: true, text: `${num(ticket)} is yours now (${ticket.status}).`, ticket };
    }
    case 'assign': {
      const user = command.user;
      if (user.kind === 'me') return assign(run, command.ref, agent);
      const target = await run.resolveUser(user);
      if (!target) {
        return { ok: false, text: `${mentionLabel(user, fmt)} is not an agent of this team.` };
      }
      return assign(run, command.ref, target);
    }
    case 'resolve': {
      const resolution = {
        code: command.code,
        ...(command.notes !== undefined ? { notes: command.notes } : {}),
        ...(command.reference !== undefined ? { reference: command.reference } : {}),
      };
      const ticket = await update(run, command.ref, { status: 'resolved', resolution });
      if (ticket.status === 'resolved') {
        return { ok: true, text: `${num(ticket)} resolved (${command.code}).`, ticket };
      }
      const pending = pendingApproval(ticket) ?? command.code;
      return {
        ok: true,
        text: `${num(ticket)}: a ${pending} needs a supervisor's approval. Approval requested; the ticket stays ${ticket.status} until a supervisor decides.`,
        ticket,
      };
    }
    case 'close': {
      const ticket = await update(run, command.ref, { status: 'closed' });
      return { ok: true, text: `${num(ticket)} is closed.`, ticket };
    }
    case 'reopen': {
      const before = await getTicket(deps, req, command.ref);
      if (before.status !== 'resolved' && before.status !== 'closed') {
        return {
          ok: false,
          text: `${num(before)} is not resolved or closed (it is ${before.status}).`,
          ticket: before,
        };
      }
      const ticket = await update(run, before.id, { status: 'in_progress' });
      return { ok: true, text: `${num(ticket)} is reopened (${ticket.status}).`, ticket };
    }
    case 'link': {
      const ticket = await update(run, command.ref, { links: command.links });
      const set = Object.entries(command.links).map(([k, v]) =>
        v === null ? `${k} cleared` : `${k}=${userText(v ?? '', fmt)}`,
      );
      return { ok: true, text: `${num(ticket)}: ${set.join(', ')}.`, ticket };
    }
    case 'canned':
      return canned(run, command.ref, command.name);
    case 'watch': {
      const ticket = await getTicket(deps, req, command.ref);
      const watchers = await setWatcher(deps, req, ticket.id, agent.id, { role: 'watcher' });
      const mine = watchers.find((w) => w.agentId === agent.id);
      const text =
        mine?.role === 'assignee'
          ? `You follow ${num(ticket)} as its assignee.`
          : `You are watching ${num(ticket)}.`;
      return { ok: true, text, ticket };
    }
    case 'unwatch': {
      const ticket = await getTicket(deps, req, command.ref);
      await removeWatcher(deps, req, ticket.id, agent.id);
      return { ok: true, text: `You are not watching ${num(ticket)}.`, ticket };
    }
  }
}

/** What became of a reply to the customer (`what`: "Reply", "Canned reply \"thanks\" (es)"). */
function deliveryText(what: string, message: Message, ticket: Ticket, fmt: TicketFormat): string {
  const num = strong(ticket.number, fmt);
  if (message.deliveryStatus === 'pending') {
    return `${what} to ${num} queued for the customer (${ticket.channel}).`;
  }
  if (message.deliveryStatus === 'failed') {
    const why = message.deliveryError ? `: ${userText(message.deliveryError, fmt)}` : '';
    return `${what} recorded on ${num} but it cannot be delivered${why}.`;
  }
  return `${what} recorded on ${num} (its channel is ${ticket.channel}; nothing is sent).`;
}

/** `canned <ref> <name>` sends it in the customer's language; without a name, lists the names. */
async function canned(run: Run, ref: string, name: string | undefined): Promise<CommandResult> {
  const { deps, req, fmt } = run;
  const ticket = await getTicket(deps, req, ref);
  const names = cannedReplyNames(req.tenant.settings.canned_replies);
  if (names.length === 0) return { ok: false, text: CANNED_NOT_SET_UP, ticket };
  const list = names.map((n) => userText(n, fmt)).join(', ');
  if (name === undefined) {
    return {
      ok: true,
      text: `Canned replies: ${list}.\nSend one with canned ${ticket.number} <name>.`,
      ticket,
    };
  }
  const sent = await sendCannedReply(deps, req, ticket, name, run.agent);
  if (!sent) {
    return {
      ok: false,
      text: `There is no canned reply "${userText(name, fmt)}". Canned replies: ${list}.`,
      ticket,
    };
  }
  const after = await getTicket(deps, req, ticket.id);
  const what = `Canned reply "${userText(name, fmt)}" (${sent.reply.language})`;
  return { ok: true, text: deliveryText(what, sent.message, after, fmt), ticket: after };
}

async function assign(run: Run, ref: string, target: Agent): Promise<CommandResult> {
  const ticket = await update(run, ref, { assignee_id: target.id });
  const who = target.id === run.agent.id ? 'you' : userText(target.name, run.fmt);
  const text = `${strong(ticket.number, run.fmt)} is assigned to ${who} (${ticket.status}).`;
  return { ok: true, text, ticket };
}

function update(run: Run, ref: string, input: UpdateTicketInput): Promise<Ticket> {
  return updateTicket(run.deps, run.req, ref, input);
}

async function list(run: Run, scope: ListScope): Promise<CommandResult> {
  const { title, input } = LIST_FILTERS[scope];
  const page = await listTickets(run.deps, run.req, {
    ...input,
    status: [...OPEN_STATUSES],
    sort: 'sla_due_at',
    limit: LIST_LIMIT,
  });
  const tickets = page.data;
  if (tickets.length === 0) return { ok: true, text: `${title}: none.`, tickets };
  const more = page.nextCursor ? `\nShowing the first ${LIST_LIMIT}, soonest due first.` : '';
  const lines = tickets.map((t) => `• ${ticketLine(t, run.fmt)}`);
  return { ok: true, text: `${title}:\n${lines.join('\n')}${more}`, tickets };
}

/** The person as typed; on Slack a user mention renders as the person. */
function mentionLabel(mention: AgentMention, fmt: TicketFormat): string {
  switch (mention.kind) {
    case 'slack':
      if (fmt.surface === 'slack') return `<@${mention.userId}>`;
      return mention.label ? `@${mention.label}` : mention.userId;
    case 'username':
      return userText(`@${mention.username}`, fmt);
    case 'email':
      return userText(mention.email, fmt);
  }
}
