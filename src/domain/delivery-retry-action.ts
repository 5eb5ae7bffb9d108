/**
 * The Retry button on a "not delivered" notice in a ticket's thread: its action id, and the
 * message it retries as the button's value (`<ticket id>|<message id>`).
 */
import { isUuid } from './uuid.js';

export const DELIVERY_RETRY_ACTION_ID = 'delivery_retry';

export interface DeliveryRetryRef {
  ticketId: string;
  messageId: string;
}

export function encodeDeliveryRetryRef(ref: DeliveryRetryRef): string {
  return `${ref.ticketId}|${ref.messageId}`;
}

export function decodeDeliveryRetryRef(value: string): DeliveryRetryRef | null {
  const [ticketId, messageId, ...rest] = value.split('|');
  if (rest.length || !ticketId || !messageId || !isUuid(ticketId) || !isUuid(messageId))
    return null;
  return { ticketId, messageId };
}
