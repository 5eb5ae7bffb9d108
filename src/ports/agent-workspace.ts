/**
 * Where agents work tickets (Slack): a card per ticket, updated in place, whose thread carries
 * the conversation. The Slack adapter implements it; src/app/slack-sync.ts drives it.
 */
import type { TicketLinks } from '../domain/records.js';
import type { Priority, TicketStatus } from '../domain/vocabulary.js';

export interface CardRef {
  channel: string;
  ts: string;
}

export interface TicketCardData {
  number: string;
  subject: string;
  customerName: string | null;
  channel: string;
  category: string;
  priority: Priority;
  status: TicketStatus;
  assigneeName: string | null;
  slaDueAt: string | null;
  breached: boolean;
  links: TicketLinks;
  /** The team's language for the card's labels (the tenant's `staff_language`); English when absent. */
  language?: string;
}

export type ReplyMode = 'replies_to_customer' | 'replies_internal';

/** A workspace API failure: `retryAfterMs` from a rate limit; `permanent` when retrying cannot help. */
export class WorkspaceApiError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    readonly permanent = false,
  ) {
    super(message);
    this.name = 'WorkspaceApiError';
  }
}

export interface AgentWorkspace {
  postCard(channel: string, card: TicketCardData, mode: ReplyMode): Promise<CardRef>;
  updateCard(ref: CardRef, card: TicketCardData, mode: ReplyMode): Promise<void>;
  postInThread(ref: CardRef, text: string): Promise<{ ts: string }>;
  /** Puts an emoji reaction (name without colons) on a message; already there counts as done. */
  markMessage(ref: CardRef, emoji: string): Promise<void>;
}
