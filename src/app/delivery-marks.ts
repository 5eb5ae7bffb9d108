/**
 * Delivery marks: an agent's reply to a customer is marked in Slack once its fate is known, as a
 * reaction on the agent's own thread reply (or on our copy of a `/ticket reply` / Reply-modal
 * reply in the ticket's thread): sent to the platform, delivered (or read) where the platform
 * says so (WhatsApp status webhooks), or failed (next to the thread notice with the reason).
 *
 * A mark is a `slack` outbox row on the ticket's Slack ordering key, so it is paced and retried
 * like every other Slack call and comes after the row that put the reply into the thread. One
 * row per message and mark (dedupe key), so a resend or a repeated receipt marks once.
 */
import type { DeliveryStatus } from '../domain/vocabulary.js';
import type { OutboxRow } from '../ports/outbox.js';
import type { Stores } from '../ports/stores.js';
import type { AppDeps } from './context.js';

/** The `slack` destination (slack-sync.ts); marks are only queued where Slack is wired. */
const SLACK = 'slack';
const CUSTOMER = 'customer:';

export const DELIVERY_MARK_TYPE = 'delivery.mark';

export type DeliveryMark = 'sent' | 'delivered' | 'failed';

/**
 * Emoji for each mark. None of them is a default reaction shortcut (`eyes`, `white_check_mark`);
 * the bot's own reactions never run shortcuts anyway (wire-slack.ts ignores the bot user).
 */
export const DELIVERY_MARK_EMOJI: Readonly<Record<DeliveryMark, string>> = {
  sent: 'outbox_tray',
  delivered: 'heavy_check_mark',
  failed: 'x',
};

/** The mark a message's delivery status calls for (`read` shows as delivered); null: none yet. */
export function markFor(status: DeliveryStatus): DeliveryMark | null {
  switch (status) {
    case 'sent':
      return 'sent';
    case 'delivered':
    case 'read':
      return 'delivered';
    case 'failed':
      return 'failed';
    default:
      return null;
  }
}

export interface DeliveryMarkTarget {
  tenantId: string;
  ticketId: string;
  messageId: string;
}

/** Queues the mark in the caller's transaction (nothing when Slack is not wired). */
export async function enqueueDeliveryMark(
  s: Pick<Stores, 'outbox'>,
  destinations: readonly string[],
  target: DeliveryMarkTarget,
  mark: DeliveryMark,
): Promise<boolean> {
  if (!destinations.includes(SLACK)) return false;
  await s.outbox.enqueue({
    tenantId: target.tenantId,
    ticketId: target.ticketId,
    destination: SLACK,
    // The ticket's Slack key (outbox-events.ts): after the row that posted the reply's copy.
    orderingKey: `${SLACK}:ticket:${target.ticketId}`,
    dedupeKey: `delivery-mark:${target.messageId}:${mark}`,
    payload: {
      type: DELIVERY_MARK_TYPE,
      ticket_id: target.ticketId,
      message_id: target.messageId,
      mark,
    },
  });
  return true;
}

/** The agent's reply an outbox row delivers to a customer, if it is one (sendToConversation). */
function agentReplyOf(row: OutboxRow): DeliveryMarkTarget | null {
  if (!row.destination.startsWith(CUSTOMER) || !row.ticketId || !row.messageId) return null;
  if (row.payload.author_type !== 'agent') return null;
  return { tenantId: row.tenantId, ticketId: row.ticketId, messageId: row.messageId };
}

/**
 * For the outbox dispatcher: once a customer row carrying an agent's reply is marked sent (or
 * failed for good), queue the Slack mark. A crash between the two loses the mark, never the reply.
 */
export function deliveryMarker(deps: AppDeps) {
  async function mark(row: OutboxRow, mark: DeliveryMark): Promise<void> {
    const target = agentReplyOf(row);
    if (!target || !deps.notifyDestinations.includes(SLACK)) return;
    const queued = await deps.uow.transaction((s) =>
      enqueueDeliveryMark(s, deps.notifyDestinations, target, mark),
    );
    if (queued) deps.onOutboxWrite?.();
  }
  return {
    onSent: (row: OutboxRow) => mark(row, 'sent'),
    onFailed: (row: OutboxRow) => mark(row, 'failed'),
  };
}
