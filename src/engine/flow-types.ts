/**
 * The conversation-flow engine's contract. The engine is pure: given the conversation's state,
 * the customer's input and a read-only context, it returns the next state and a list of effects.
 * The inbound pipeline (src/app/handle-inbound.ts) loads the context, persists the state and
 * carries the effects out (outbox messages, opening or threading tickets) in one transaction.
 */

/** What the customer did, normalized from an InboundEvent. */
export interface FlowInput {
  text?: string;
  /** A tapped button or list row: the `id` the flow gave it. */
  buttonPayload?: string;
  /** `/start`, `/lang`, `/status`, `/new` … without the slash. */
  command?: { name: string; args: string };
  media?: {
    kind: 'photo' | 'document' | 'audio' | 'voice' | 'video' | 'sticker';
    mimeType?: string;
  }[];
  location?: { latitude: number; longitude: number; name?: string; address?: string };
  contact?: { phone: string; name?: string };
}

/** Persisted per conversation (table `conversations`). */
export interface ConversationState {
  /** The active flow, or null when the bot is idle. */
  flow: string | null;
  step: string | null;
  /** Answers collected so far, keyed by the step's `field`. */
  data: Record<string, unknown>;
  /** The customer's language (one of the supported languages). */
  language: string;
}

export interface TicketSummary {
  number: string;
  subject: string;
  status: string;
}

/** Context read by the pipeline before the step; the engine never does I/O. */
export interface FlowContext {
  now: Date;
  /** The tenant's categories (keys are i18n keys `category.<key>`). */
  categories: { key: string; requires_photo: boolean }[];
  /** The customer's open tickets, newest first. */
  openTickets: TicketSummary[];
  /** The ticket that was just resolved and is waiting for the customer's CSAT answer, if any. */
  csatTicket?: TicketSummary;
  /** Seconds of the first-response target for a new ticket (for "we answer within …"). */
  firstResponseSeconds: number;
  supportedLanguages: readonly string[];
  /** Fields from a signed receipt link / deep link, to prefill the ticket. */
  receipt?: {
    store_ref?: string;
    product_sku?: string;
    invoice_ref?: string;
    purchase_date?: string;
  };
}

/** What a new ticket from a conversation carries. Photos are the conversation's media messages. */
export interface TicketDraft {
  category: string;
  subject: string;
  description: string;
  order_ref?: string;
  invoice_ref?: string;
  store_ref?: string;
  product_sku?: string;
  delivery_date?: string;
  priority?: 'low' | 'medium' | 'high' | 'urgent';
}

export type FlowEffect =
  /** Send a localized message (`key` in the `bot` namespace), with optional buttons or a list. */
  | {
      type: 'say';
      key: string;
      params?: Record<string, string | number>;
      buttons?: { id: string; key: string; params?: Record<string, string | number> }[];
      list?: { buttonKey: string; rows: { id: string; key: string }[] };
    }
  /** Open a ticket; the pipeline then says `confirmKey` with `{number, target}` params. */
  | { type: 'open_ticket'; draft: TicketDraft; confirmKey: string }
  /** Thread the current message into this open ticket (no bot reply needed). */
  | { type: 'append_to_ticket'; ticketNumber: string }
  | { type: 'set_language'; language: string }
  /** Hand the conversation to a human: the message goes to agents (into the open ticket or a new one). */
  | { type: 'request_human' }
  /** CSAT: "no, not solved" → reopen; "yes" → record; a rating 1–5. */
  | { type: 'csat_answer'; ticketNumber: string; solved: boolean }
  | { type: 'csat_rating'; ticketNumber: string; rating: number };

export interface StepResult {
  state: ConversationState;
  effects: FlowEffect[];
}
