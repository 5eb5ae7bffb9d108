/**
 * Small pure Block Kit helpers: limits (https://docs.slack.dev/reference/block-kit), text
 * objects that never exceed them, and mrkdwn escaping. Customer-written text goes into mrkdwn
 * escaped, so `<!channel>` or `<https://evil|bank>` in a subject stays literal text.
 */
import type { MrkdwnElement, PlainTextElement, PlainTextOption } from '@slack/types';

export const BLOCK_KIT_LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  optionText: 75,
  optionValue: 150,
  selectOptions: 100,
  placeholder: 150,
  inputLabel: 2000,
  textInputMax: 3000,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  /** An id: `action_id`, `block_id`, `callback_id`. */
  id: 255,
  /** Slack truncates a message's top-level `text` after 4,000 characters; stay well inside. */
  fallbackText: 3000,
} as const;

/** Cuts `text` to at most `max` UTF-16 units, ending with `…`, never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut)}…`;
}

/** Escapes the three characters mrkdwn treats as control (`&`, `<`, `>`). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A plain_text object (Slack refuses empty text, so an empty string becomes a space). */
export function plain(text: string, max: number): PlainTextElement {
  return { type: 'plain_text', text: truncate(text || ' ', max), emoji: true };
}

/** A mrkdwn object from markup we wrote (escape user text before putting it in). */
export function mrkdwn(markup: string, max: number): MrkdwnElement {
  return { type: 'mrkdwn', text: truncate(markup || ' ', max) };
}

export function option(text: string, value: string): PlainTextOption & { value: string } {
  if (value.length > BLOCK_KIT_LIMITS.optionValue) {
    throw new RangeError(`option value over ${BLOCK_KIT_LIMITS.optionValue} characters`);
  }
  return { text: plain(text, BLOCK_KIT_LIMITS.optionText), value };
}

/** A Slack date token: shown in each reader's time zone, `fallback` where tokens do not render. */
export function slackDate(iso: string, fallback = iso): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return escapeMrkdwn(fallback);
  const unix = Math.floor(ms / 1000);
  return `<!date^${unix}^{date_short_pretty} {time}|${escapeMrkdwn(fallback)}>`;
}
