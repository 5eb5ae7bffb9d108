/**
 * The SLA escalation buttons in Slack (`sla_ack`, `sla_take_over`, `sla_reassign`, on breach DMs
 * and manager-channel pings): each runs its use case as the agent who clicked, and answers that
 * person with an ephemeral message. Reassign opens the ticket's Assign modal first (a trigger id
 * lives 3 seconds), then acknowledges; the modal's submission is the ordinary `assign` command.
 */
import type { EscalationAction } from '../adapters/slack/interactions.js';
import { renderModal } from '../adapters/slack/ticket-card.js';
import type { SlackWebClient } from '../adapters/slack/web-client.js';
import type { AppDeps, RequestContext } from './app/context.js';
import { NOT_AN_AGENT } from './app/run-agent-command.js';
import {
  type EscalationAnswer,
  acknowledgeEscalation,
  reassignEscalation,
  takeOverEscalation,
} from './app/sla-escalations.js';
import { isSupervisorOrAbove } from './domain/actor.js';
import { ParleyError } from './domain/errors.js';
import type { Agent, Tenant } from './domain/records.js';

export interface SlackEscalationDeps {
  deps: AppDeps;
  client: SlackWebClient;
  tenant: () => Promise<Tenant>;
  findAgent: (slackUserId: string) => Promise<Agent | null>;
}

export type SlackEscalationHandler = (
  action: EscalationAction,
  slackUserId: string,
  triggerId: string,
  responseUrl: string | undefined,
) => Promise<void>;

function answerText(kind: EscalationAction['kind'], answer: EscalationAnswer): string {
  const number = answer.ticket.number;
  if (answer.acknowledged.length === 0) {
    return kind === 'take_over'
      ? `You now own ${number}; its escalation had already been answered.`
      : `${number}: this escalation had already been answered.`;
  }
  switch (kind) {
    case 'acknowledge':
      return `Acknowledged ${number}: the escalation stops here.`;
    case 'take_over':
      return `You now own ${number}; the escalation stops here.`;
    case 'reassign':
      return `Acknowledged ${number}: pick the new assignee.`;
  }
}

export function slackEscalationHandler(wiring: SlackEscalationDeps): SlackEscalationHandler {
  const { deps, client } = wiring;
  return async (action, slackUserId, triggerId, responseUrl) => {
    const reply = async (text: string) => {
      if (responseUrl) {
        await client.respond(responseUrl, {
          response_type: 'ephemeral',
          replace_original: false,
          text,
        });
      }
    };
    const agent = await wiring.findAgent(slackUserId);
    if (!agent) return reply(NOT_AN_AGENT);
    const ctx: RequestContext = {
      tenant: await wiring.tenant(),
      actor: { type: 'agent', id: agent.id, role: agent.role },
    };
    const ref = {
      ticketRef: action.ladder.ticketId,
      target: action.ladder.target,
      dueAt: action.ladder.dueAt,
    };
    try {
      let answer: EscalationAnswer;
      switch (action.kind) {
        case 'acknowledge':
          answer = await acknowledgeEscalation(deps, ctx, ref);
          break;
        case 'take_over':
          answer = await takeOverEscalation(deps, ctx, ref);
          break;
        case 'reassign': {
          const ticket = await deps.uow.read.tickets.findById(ctx.tenant.id, ref.ticketRef);
          if (ticket && isSupervisorOrAbove(ctx.actor)) {
            await client.openView(triggerId, renderModal('assign', ticket.number));
          }
          answer = await reassignEscalation(deps, ctx, ref);
          break;
        }
      }
      await reply(answerText(action.kind, answer));
    } catch (err) {
      if (err instanceof ParleyError) return reply(err.message);
      throw err;
    }
  };
}
