/** A message to a customer whose delivery failed for good, sent again on request. */
export interface DeliveryRetryStore {
  /**
   * Puts the message's failed outbox row back to pending with a fresh attempt budget, due `at`;
   * the message goes back to delivery_status 'pending' and the ticket's `last_delivery_error`
   * is cleared. False when the message has no failed row (it never went through the outbox, or
   * it is not failed any more).
   */
  retryFailed(tenantId: string, messageId: string, at: Date): Promise<boolean>;
}
