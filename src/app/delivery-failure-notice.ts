/**
 * When a message to a customer could not be delivered after the last try, the team hears of it
 * in the ticket's thread (the failure is already on the message, the ticket's
 * `last_delivery_error` and its audit trail). One notice per outbox row, with a Retry button
 * for a message (Slack; the Telegram agents' chat is told to use it there).
 */
import {
  DELIVERY_RETRY_ACTION_ID,
  encodeDeliveryRetryRef,
} from '../domain/delivery-retry-action.js';
import type { OutboxRow } from '../ports/outbox.js';
import type { AppDeps } from './context.js';
import { enqueueStaffNotice } from './staff-notices.js';
import { staffTextOf } from './staff-text.js';

const CUSTOMER = 'customer:';

export function deliveryFailureNotifier(deps: AppDeps) {
  return async (row: OutboxRow, reason: string): Promise<void> => {
    const ticketId = row.ticketId;
    if (!ticketId || !row.destination.startsWith(CUSTOMER)) return;
    const channel = row.destination.slice(CUSTOMER.length);
    await deps.uow.transaction(async (s) => {
      const t = await staffTextOf(deps, s, row.tenantId);
      await enqueueStaffNotice(deps, s, {
        tenantId: row.tenantId,
        ticketId,
        audience: { kind: 'ticket_thread', ticketId },
        text: t('notice.delivery_failed', { channel, reason }),
        ...(row.messageId
          ? {
              actions: [
                {
                  id: DELIVERY_RETRY_ACTION_ID,
                  value: encodeDeliveryRetryRef({ ticketId, messageId: row.messageId }),
                  label: t('notice.retry'),
                },
              ],
              actionsHint: t('notice.retry_hint'),
            }
          : {}),
        dedupeKey: `delivery-failed:${row.id}`,
      });
    });
    deps.onOutboxWrite?.();
  };
}
