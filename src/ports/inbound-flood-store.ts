/**
 * Storage for the inbound flood limit (src/domain/inbound-flood.ts): counting a conversation's
 * recent customer messages, and claiming the holds whose summary is due. The hold itself lives on
 * the conversation (`floodHoldUntil`, `floodHeldCount`), under the conversation's row lock.
 */

export interface DueFloodSummary {
  tenantId: string;
  conversationId: string;
  heldCount: number;
  holdUntil: Date;
}

export interface InboundFloodStore {
  /**
   * The conversation's customer messages created after `since`, counted up to `cap` (a flood
   * costs the count `cap` index entries at most, however many messages it brings).
   */
  countRecentCustomerMessages(
    tenantId: string,
    conversationId: string,
    since: Date,
    cap: number,
  ): Promise<number>;
  /** The ticket of the conversation's newest customer message that is on a ticket. */
  latestCustomerTicketId(tenantId: string, conversationId: string): Promise<string | null>;
  /**
   * Conversations whose hold ended by `at` with held messages not yet summarized, locked
   * (FOR UPDATE SKIP LOCKED) until the caller's transaction ends.
   */
  claimDueSummaries(at: Date, limit: number): Promise<DueFloodSummary[]>;
}
