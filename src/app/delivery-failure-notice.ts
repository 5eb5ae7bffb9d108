/**
 * When a message to a customer could not be delivered after the last try, the team hears of it
 * in the ticket's thread (the failure is already on the message, the ticket's
 * `last_delivery_error` and its audit trail). One notice per outbox row.
 */
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
        dedupeKey: `delivery-failed:${row.id}`,
      });
    });
    deps.onOutboxWrite?.();
  };
}
