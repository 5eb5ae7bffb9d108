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

/** `value` with every string in it (keys too) made storable; other values unchanged. */
export function storableStrings<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (value === null || typeof value !== 'object' || depth > 64) return value;
  if (Array.isArray(value)) return value.map((v: unknown) => storableStrings(v, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    // defineProperty, so a `__proto__` key stays an own property instead of setting the prototype.
    Object.defineProperty(out, storableText(key), {
      value: storableStrings(child, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out as T;
}
