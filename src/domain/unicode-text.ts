/**
 * Text PostgreSQL can store. It refuses NUL (U+0000) in text and jsonb, and jsonb refuses a lone
 * UTF-16 surrogate (`"\ud800"` in JSON is well-formed JSON but not Unicode): a customer's message
 * carrying either would fail its insert on every retry.
 */

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** True when `text` has a NUL or a lone surrogate. */
export function hasUnstorableCharacters(text: string): boolean {
  LONE_SURROGATE.lastIndex = 0;
  return text.includes('\u0000') || LONE_SURROGATE.test(text);
}

/** `text` without NUL characters, each lone surrogate replaced by U+FFFD (as UTF-8 encoders do). */
export function storableText(text: string): string {
  return text.replaceAll('\u0000', '').replace(LONE_SURROGATE, '\ufffd');
}
