/**
 * The Retry button on a "not delivered" notice in a ticket's Slack thread: sends the message
 * again as the agent who clicked (`retryMessageDelivery`: its permissions, its audit event), and
 * answers that person with an ephemeral message.
 */
import type { SlackWebClient } from '../adapters/slack/web-client.js';
import type { AppDeps } from './app/context.js';
import { retryMessageDelivery } from './app/retry-delivery.js';
import { staffErrorText, staffTextFor } from './app/staff-text.js';
import type { DeliveryRetryRef } from './domain/delivery-retry-action.js';
import { ParleyError } from './domain/errors.js';
import type { Agent, Tenant } from './domain/records.js';

export interface SlackDeliveryRetryDeps {
  deps: AppDeps;
  client: SlackWebClient;
  tenant: () => Promise<Tenant>;
  findAgent: (slackUserId: string) => Promise<Agent | null>;
}

export function slackDeliveryRetryHandler(wiring: SlackDeliveryRetryDeps) {
  const { deps, client } = wiring;
  return async (
    ref: DeliveryRetryRef,
    slackUserId: string,
    responseUrl: string | undefined,
  ): Promise<void> => {
    const reply = async (text: string) => {
      if (responseUrl)
        await client.respond(responseUrl, {
          response_type: 'ephemeral',
          replace_original: false,
          text,
        });
    };
    const tenant = await wiring.tenant();
    const t = staffTextFor(deps, tenant);
    const agent = await wiring.findAgent(slackUserId);
    if (!agent) return reply(t('command.not_an_agent'));
    const ctx = { tenant, actor: { type: 'agent' as const, id: agent.id, role: agent.role } };
    try {
      await retryMessageDelivery(deps, ctx, ref.ticketId, ref.messageId);
      const ticket = await deps.uow.read.tickets.findById(tenant.id, ref.ticketId);
      await reply(t('delivery_retry.sent', { number: ticket?.number ?? '' }));
    } catch (err) {
      if (err instanceof ParleyError) return reply(staffErrorText(t, err));
      throw err;
    }
  };
}
