/**
 * Customer satisfaction after a ticket is resolved: "Was this solved?" (Yes / No), then on "yes"
 * a 1–5 rating (a list: WhatsApp allows only 3 buttons). "No" reopens the ticket.
 * The pipeline sends `csatQuestion(ticket)` when a ticket is resolved and closes it when no answer
 * comes within the tenant's delay.
 */
import { say, typedText, type SayEffect } from './effects.js';
import type {
  ConversationState,
  FlowContext,
  FlowInput,
  StepResult,
  TicketSummary,
} from './flow-types.js';
import { isKeyword } from './lexicon.js';
import { idle } from './flow-walker.js';

/** The conversation state while the rating is awaited. */
export const CSAT_FLOW = 'csat';
const RATING_STEP = 'rating';

export function csatQuestion(ticket: TicketSummary): SayEffect {
  return say(
    'csat.ask',
    { number: ticket.number },
    {
      buttons: [
        { id: `csat:yes:${ticket.number}`, key: 'button.yes' },
        { id: `csat:no:${ticket.number}`, key: 'button.no' },
      ],
    },
  );
}

export function ratingRequest(ticketNumber: string): SayEffect {
  return say('csat.rate', undefined, {
    list: {
      buttonKey: 'button.rate',
      rows: [1, 2, 3, 4, 5].map((n) => ({
        id: `csat:rate:${n}:${ticketNumber}`,
        key: `csat.rating_${n}`,
      })),
    },
  });
}

type CsatAnswer = { solved: boolean; ticket?: string } | { rating: number; ticket?: string };

function parsePayload(payload: string): CsatAnswer | null {
  const answer = /^csat:(yes|no)(?::(.+))?$/.exec(payload);
  if (answer) return { solved: answer[1] === 'yes', ticket: answer[2] };
  const rating = /^csat:rate:([1-5])(?::(.+))?$/.exec(payload);
  if (rating) return { rating: Number(rating[1]), ticket: rating[2] };
  return null;
}

/** "4", "4/5", "⭐⭐⭐⭐". */
function typedRating(text: string | undefined): number | null {
  if (!text) return null;
  const digits = /^([1-5])(?:\s*\/\s*5)?$/.exec(text);
  if (digits) return Number(digits[1]);
  const stars = [...text.replace(/\uFE0F/g, '')];
  return stars.length >= 1 && stars.length <= 5 && stars.every((c) => c === '⭐' || c === '★')
    ? stars.length
    : null;
}

function answerSolved(
  solved: boolean,
  ticket: TicketSummary | undefined,
  number: string | undefined,
  state: ConversationState,
): StepResult {
  if (!ticket || (number !== undefined && number !== ticket.number)) {
    return { state: idle(state), effects: [say('csat.too_late')] };
  }
  const answer = { type: 'csat_answer', ticketNumber: ticket.number, solved } as const;
  if (!solved) {
    return {
      state: idle(state),
      effects: [answer, say('csat.reopened', { number: ticket.number })],
    };
  }
  return {
    state: { ...idle(state), flow: CSAT_FLOW, step: RATING_STEP, data: { ticket: ticket.number } },
    effects: [answer, ratingRequest(ticket.number)],
  };
}

function rate(
  rating: number,
  ticketNumber: string | undefined,
  state: ConversationState,
): StepResult {
  const effects: StepResult['effects'] = ticketNumber
    ? [{ type: 'csat_rating', ticketNumber, rating }, say('csat.thanks')]
    : [say('csat.thanks')];
  return { state: idle(state), effects };
}

/** A CSAT button, whenever it is tapped. */
export function csatPayload(
  state: ConversationState,
  input: FlowInput,
  ctx: FlowContext,
): StepResult | null {
  const parsed = input.buttonPayload ? parsePayload(input.buttonPayload) : null;
  if (!parsed) return null;
  if ('solved' in parsed) return answerSolved(parsed.solved, ctx.csatTicket, parsed.ticket, state);
  const awaited = state.flow === CSAT_FLOW ? String(state.data.ticket ?? '') : '';
  return rate(parsed.rating, parsed.ticket ?? (awaited || ctx.csatTicket?.number), state);
}

/** A typed rating while one is awaited; null lets the input through (the rating is optional). */
export function csatTypedRating(state: ConversationState, input: FlowInput): StepResult | null {
  if (state.flow !== CSAT_FLOW) return null;
  const rating = typedRating(typedText(input));
  if (rating === null) return null;
  return rate(rating, String(state.data.ticket ?? '') || undefined, state);
}

/** Yes / no typed while idle and a resolved ticket awaits the answer; else ask again. */
export function csatTyped(
  state: ConversationState,
  input: FlowInput,
  ctx: FlowContext,
): StepResult | null {
  const ticket = ctx.csatTicket;
  if (!ticket) return null;
  const text = typedText(input);
  if (isKeyword(text, 'yes')) return answerSolved(true, ticket, undefined, state);
  if (isKeyword(text, 'no')) return answerSolved(false, ticket, undefined, state);
  if (ctx.openTickets.length > 0) return null;
  return {
    state: idle(state),
    effects: [
      say('csat.reprompt', { number: ticket.number }, { buttons: csatQuestion(ticket).buttons }),
    ],
  };
}
