/**
 * The Retry button on a "not delivered" notice in a ticket's Slack thread: sends the message
 * again as the agent who clicked (`retryMessageDelivery`: its permissions, its audit event), and
 * answers that person with an ephemeral message.
 */
import { retryMessageDelivery } from './app/retry-delivery.js';
import type { DeliveryRetryRef } from './domain/delivery-retry-action.js';
import { type SlackButtonDeps, answerAsClickingAgent } from './slack-button-agent.js';

export function slackDeliveryRetryHandler(wiring: SlackButtonDeps) {
  const { deps } = wiring;
  return (
    ref: DeliveryRetryRef,
    slackUserId: string,
    responseUrl: string | undefined,
  ): Promise<void> =>
    answerAsClickingAgent(wiring, slackUserId, responseUrl, async (ctx, t) => {
      await retryMessageDelivery(deps, ctx, ref.ticketId, ref.messageId);
      const ticket = await deps.uow.read.tickets.findById(ctx.tenant.id, ref.ticketId);
      return t('delivery_retry.sent', { number: ticket?.number ?? '' });
    });
}
