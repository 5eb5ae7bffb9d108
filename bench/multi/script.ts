/**
 * What the multi-process bench's customers write: the crash bench's intake (first message,
 * category, order number, no photo, no date, yes: a ticket), with the category spread over the
 * six that need no photo (so tickets route to six groups, each with its own Slack channel), one
 * follow-up into the ticket, and then `/status` again and again. Every message but the follow-up
 * gets a bot reply, so "webhook → bot reply at the platform" measures the whole path; the follow-up
 * goes to the ticket's Slack thread instead. Slack allows about one message per second per
 * channel, so the load keeps Slack traffic per ticket small.
 */
import { crashScript, type CustomerScript, followUpText } from '../crash/payloads.js';

/** Intake menu numbers of order_issue, return_refund, general_inquiry, technical, billing, warranty. */
export const CATEGORY_CHOICES = ['1', '3', '4', '5', '6', '7'] as const;
export const ROUTED_CATEGORIES = [
  'order_issue',
  'return_refund',
  'general_inquiry',
  'technical',
  'billing',
  'warranty',
] as const;

/** The message number of the one follow-up (no bot reply: it goes to the agents). */
export const FOLLOW_UP_K = 7;

export const multiScript: CustomerScript = (customer, k) => {
  if (k === 2) return CATEGORY_CHOICES[customer % CATEGORY_CHOICES.length]!;
  if (k < FOLLOW_UP_K) return crashScript(customer, k);
  if (k === FOLLOW_UP_K) return followUpText(customer, k);
  return '/status';
};

/** Whether the bot answers message `k` (every message but the follow-up). */
export const botAnswers = (k: number): boolean => k !== FOLLOW_UP_K;
