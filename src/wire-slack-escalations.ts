/**
 * The SLA escalation buttons in Slack (`sla_ack`, `sla_take_over`, `sla_reassign`, on breach DMs
 * and manager-channel pings): each runs its use case as the agent who clicked, and answers that
 * person with an ephemeral message. Reassign opens the ticket's Assign modal first (a trigger id
 * lives 3 seconds), then acknowledges; the modal's submission is the ordinary `assign` command.
 */
import type { EscalationAction } from '../adapters/slack/interactions.js';
import { renderModal } from '../adapters/slack/ticket-card.js';
import {
  type EscalationAnswer,
  acknowledgeEscalation,
  reassignEscalation,
  takeOverEscalation,
} from './app/sla-escalations.js';
import { isSupervisorOrAbove } from './domain/actor.js';
import type { StaffT } from './ports/staff-translator.js';
import { type SlackButtonDeps, answerAsClickingAgent } from './slack-button-agent.js';
import { slackLabels } from './slack-labels.js';

export type SlackEscalationHandler = (
  action: EscalationAction,
  slackUserId: string,
  triggerId: string,
  responseUrl: string | undefined,
) => Promise<void>;

function answerText(kind: EscalationAction['kind'], answer: EscalationAnswer, t: StaffT): string {
  const number = answer.ticket.number;
  if (answer.acknowledged.length === 0) {
    return kind === 'take_over'
      ? t('escalation_answer.owner_already_answered', { number })
      : t('escalation_answer.already_answered', { number });
  }
  switch (kind) {
    case 'acknowledge':
      return t('escalation_answer.acknowledged', { number });
    case 'take_over':
      return t('escalation_answer.taken_over', { number });
    case 'reassign':
      return t('escalation_answer.reassign', { number });
  }
}

export function slackEscalationHandler(wiring: SlackButtonDeps): SlackEscalationHandler {
  const { deps, client } = wiring;
  return (action, slackUserId, triggerId, responseUrl) =>
    answerAsClickingAgent(wiring, slackUserId, responseUrl, async (ctx, t) => {
      const ref = {
        ticketRef: action.ladder.ticketId,
        target: action.ladder.target,
        dueAt: action.ladder.dueAt,
      };
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
            const labels = slackLabels(t);
            await client.openView(triggerId, renderModal('assign', ticket.number, { labels }));
          }
          answer = await reassignEscalation(deps, ctx, ref);
          break;
        }
      }
      return answerText(action.kind, answer, t);
    });
}
