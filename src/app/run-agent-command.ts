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
import { staffErrorText, staffTextFor } from './staff-text.js';
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

/** English text of `staff:command.not_an_agent` (answers use the tenant's staff language). */
export const NOT_AN_AGENT = 'You are not an agent of this team.';
/** English text of `staff:command.canned_not_set_up`. */
export const CANNED_NOT_SET_UP =
  'This team has no canned replies yet. An admin adds them in the settings (canned_replies).';
export const LIST_LIMIT = 10;

/** Each list's filter; its title is `staff:command.list.<scope>`. */
const LIST_FILTERS: Record<ListScope, ListTicketsInput> = {
  mine: { assignee_id: 'me' },
  open: {},
  overdue: { overdue: true },
  unassigned: { assignee_id: 'none' },
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
  const { agent, tenant } = ctx;
  const t = staffTextFor(deps, tenant);
  if (command.verb === 'help') return { ok: true, text: helpText(command.topic, t) };
  if (!agent || !agent.active || agent.tenantId !== tenant.id) {
    return { ok: false, text: t('command.not_an_agent') };
  }
  const actor: Actor = { type: 'agent', id: agent.id, role: agent.role };
  const fmt: TicketFormat = {
    surface: ctx.surface,
    timeZone: tenant.timezone,
    now: deps.clock.now(),
    t,
  };
  deps.logger.debug(
    { verb: command.verb, agent_id: agent.id, surface: ctx.surface, tenant_id: tenant.id },
    'agent command',
  );
  try {
    return await execute({ deps, req: { tenant, actor }, agent, fmt, resolveUser }, command);
  } catch (err) {
    if (err instanceof ParleyError) return { ok: false, text: staffErrorText(t, err) };
    throw err;
  }
}

async function execute(
  run: Run,
  command: Exclude<ParsedCommand, { verb: 'help' }>,
): Promise<CommandResult> {
  const { deps, req, agent, fmt } = run;
  const { t } = fmt;
  const num = (ticket: Ticket) => strong(ticket.number, fmt);
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
      if (internal) {
        return { ok: true, text: t('command.note_added', { number: num(ticket) }), ticket };
      }
      return { ok: true, text: deliveryText(t('command.reply'), message, ticket, fmt), ticket };
    }
    case 'status': {
      const ticket = await update(run, command.ref, { status: command.status });
      const text = t('command.status_set', { number: num(ticket), status: ticket.status });
      return { ok: true, text, ticket };
    }
    case 'priority': {
      const ticket = await update(run, command.ref, { priority: command.priority });
      const text = t('command.priority_set', { number: num(ticket), priority: ticket.priority });
      return { ok: true, text, ticket };
    }
    case 'claim': {
      const before = await getTicket(deps, req, command.ref);
      if (before.assignee?.id === agent.id) {
        return {
          ok: true,
          text: t('command.already_yours', { number: num(before) }),
          ticket: before,
        };
      }
      const ticket = await update(run, before.id, { assignee_id: agent.id });
      const text = t('command.claimed', { number: num(ticket), status: ticket.status });
      return { ok: true, text, ticket };
    }
    case 'assign': {
      const user = command.user;
      if (user.kind === 'me') return assign(run, command.ref, agent);
      const target = await run.resolveUser(user);
      if (!target) {
        return { ok: false, text: t('command.not_in_team', { who: mentionLabel(user, fmt) }) };
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
        const text = t('command.resolved', { number: num(ticket), code: command.code });
        return { ok: true, text, ticket };
      }
      const pending = pendingApproval(ticket, fmt) ?? command.code;
      return {
        ok: true,
        text: t('command.approval_requested', {
          number: num(ticket),
          code: pending,
          status: ticket.status,
        }),
        ticket,
      };
    }
    case 'close': {
      const ticket = await update(run, command.ref, { status: 'closed' });
      return { ok: true, text: t('command.closed', { number: num(ticket) }), ticket };
    }
    case 'reopen': {
      const before = await getTicket(deps, req, command.ref);
      if (before.status !== 'resolved' && before.status !== 'closed') {
        return {
          ok: false,
          text: t('command.not_reopenable', { number: num(before), status: before.status }),
          ticket: before,
        };
      }
      const ticket = await update(run, before.id, { status: 'in_progress' });
      const text = t('command.reopened', { number: num(ticket), status: ticket.status });
      return { ok: true, text, ticket };
    }
    case 'link': {
      const ticket = await update(run, command.ref, { links: command.links });
      const set = Object.entries(command.links).map(([k, v]) =>
        v === null ? t('command.link_cleared', { key: k }) : `${k}=${userText(v ?? '', fmt)}`,
      );
      const text = t('command.links_set', { number: num(ticket), links: set.join(', ') });
      return { ok: true, text, ticket };
    }
    case 'canned':
      return canned(run, command.ref, command.name);
    case 'watch': {
      const ticket = await getTicket(deps, req, command.ref);
      const watchers = await setWatcher(deps, req, ticket.id, agent.id, { role: 'watcher' });
      const mine = watchers.find((w) => w.agentId === agent.id);
      const text = t(
        mine?.role === 'assignee' ? 'command.watching_as_assignee' : 'command.watching',
        { number: num(ticket) },
      );
      return { ok: true, text, ticket };
    }
    case 'unwatch': {
      const ticket = await getTicket(deps, req, command.ref);
      await removeWatcher(deps, req, ticket.id, agent.id);
      return { ok: true, text: t('command.not_watching', { number: num(ticket) }), ticket };
    }
  }
}

/** What became of a reply to the customer (`what`: "Reply", "Canned reply \"thanks\" (es)"). */
function deliveryText(what: string, message: Message, ticket: Ticket, fmt: TicketFormat): string {
  const params = { what, number: strong(ticket.number, fmt), channel: ticket.channel };
  if (message.deliveryStatus === 'pending') return fmt.t('command.delivery_queued', params);
  if (message.deliveryStatus === 'failed') {
    return message.deliveryError
      ? fmt.t('command.delivery_failed_why', {
          ...params,
          why: userText(message.deliveryError, fmt),
        })
      : fmt.t('command.delivery_failed', params);
  }
  return fmt.t('command.delivery_not_sent', params);
}

/** `canned <ref> <name>` sends it in the customer's language; without a name, lists the names. */
async function canned(run: Run, ref: string, name: string | undefined): Promise<CommandResult> {
  const { deps, req, fmt } = run;
  const ticket = await getTicket(deps, req, ref);
  const names = cannedReplyNames(req.tenant.settings.canned_replies);
  const { t } = fmt;
  if (names.length === 0) return { ok: false, text: t('command.canned_not_set_up'), ticket };
  const list = names.map((n) => userText(n, fmt)).join(', ');
  if (name === undefined) {
    return {
      ok: true,
      text: t('command.canned_list', { names: list, number: ticket.number }),
      ticket,
    };
  }
  const sent = await sendCannedReply(deps, req, ticket, name, run.agent);
  if (!sent) {
    return {
      ok: false,
      text: t('command.canned_unknown', { name: userText(name, fmt), names: list }),
      ticket,
    };
  }
  const after = await getTicket(deps, req, ticket.id);
  const what = t('command.canned_reply', {
    name: userText(name, fmt),
    language: sent.reply.language,
  });
  return { ok: true, text: deliveryText(what, sent.message, after, fmt), ticket: after };
}

async function assign(run: Run, ref: string, target: Agent): Promise<CommandResult> {
  const ticket = await update(run, ref, { assignee_id: target.id });
  const { t } = run.fmt;
  const who = target.id === run.agent.id ? t('command.you') : userText(target.name, run.fmt);
  const text = t('command.assigned', {
    number: strong(ticket.number, run.fmt),
    who,
    status: ticket.status,
  });
  return { ok: true, text, ticket };
}

function update(run: Run, ref: string, input: UpdateTicketInput): Promise<Ticket> {
  return updateTicket(run.deps, run.req, ref, input);
}

async function list(run: Run, scope: ListScope): Promise<CommandResult> {
  const { t } = run.fmt;
  const title = t(`command.list.${scope}`);
  const input = LIST_FILTERS[scope];
  const page = await listTickets(run.deps, run.req, {
    ...input,
    status: [...OPEN_STATUSES],
    sort: 'sla_due_at',
    limit: LIST_LIMIT,
  });
  const tickets = page.data;
  if (tickets.length === 0) return { ok: true, text: t('command.list.none', { title }), tickets };
  const lines = [
    t('command.list.heading', { title }),
    ...tickets.map((x) => `• ${ticketLine(x, run.fmt)}`),
  ];
  if (page.nextCursor) lines.push(t('command.list.more', { count: LIST_LIMIT }));
  return { ok: true, text: lines.join('\n'), tickets };
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
