/**
 * The per-customer inbound flood limit (issue 6: spam on WhatsApp must not flood agents).
 *
 * Every message a customer sends is recorded and put on their ticket; the limit only decides
 * whether it is also *announced* one by one (Slack thread post, watcher DMs, a bot step with its
 * reply). Counted per conversation (one customer on one channel) over a sliding window: when the
 * window already holds more than `messages` customer messages, the new one is held. The first
 * held message starts a hold of `per_seconds`: the customer gets one notice, and the agents one
 * summary of what was held when the hold ends. Pure: the caller counts and keeps the hold.
 */
import type { TenantSettings } from './records.js';

export interface InboundFloodLimit {
  /** Customer messages announced one by one per window. */
  messages: number;
  /** The window, in seconds. */
  per_seconds: number;
}

export const DEFAULT_INBOUND_FLOOD_LIMIT: Readonly<InboundFloodLimit> = {
  messages: 20,
  per_seconds: 60,
};

/** The tenant's limit; null = off (`inbound_flood_limit: null`). */
export function inboundFloodLimit(settings: TenantSettings): InboundFloodLimit | null {
  const value = settings.inbound_flood_limit;
  if (value === null) return null;
  return value ?? { ...DEFAULT_INBOUND_FLOOD_LIMIT };
}

export type FloodDecision =
  | { kind: 'pass' }
  | {
      kind: 'hold';
      /** This message starts a hold: tell the customer once, summarize the previous hold. */
      startsHold: boolean;
      /** When the hold this message belongs to ends (its summary is due then). */
      holdUntil: Date;
    };

/**
 * `recent` counts the customer's messages in the window ending now, this one included (a caller
 * may stop counting at `limit.messages + 1`); `holdUntil` is the end of the latest hold, if any.
 */
export function floodDecision(
  limit: InboundFloodLimit | null,
  recent: number,
  holdUntil: Date | null,
  now: Date,
): FloodDecision {
  if (limit === null || recent <= limit.messages) return { kind: 'pass' };
  if (holdUntil !== null && holdUntil.getTime() > now.getTime()) {
    return { kind: 'hold', startsHold: false, holdUntil };
  }
  return {
    kind: 'hold',
    startsHold: true,
    holdUntil: new Date(now.getTime() + limit.per_seconds * 1000),
  };
}

/** The start of the window that ends at `now`: messages created after it count. */
export function floodWindowStart(limit: InboundFloodLimit, now: Date): Date {
  return new Date(now.getTime() - limit.per_seconds * 1000);
}
