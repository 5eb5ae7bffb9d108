/** Telegram's limits, in UTF-16 code units as JavaScript counts them. */
export const TELEGRAM_TEXT_LIMIT = 4096;
export const TELEGRAM_CAPTION_LIMIT = 1024;

/**
 * Splits `text` into chunks of at most `limit` characters, in order, preferring to break at a
 * newline, then at a space, in the second half of a chunk; never inside a surrogate pair.
 * Whitespace-only chunks are dropped (Telegram rejects empty messages).
 */
export function splitText(text: string, limit: number = TELEGRAM_TEXT_LIMIT): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const window = rest.slice(0, limit);
    let cut = breakAt(window, '\n', limit) ?? breakAt(window, ' ', limit);
    let skip = 1; // drop the newline or space we broke at
    if (cut === undefined) {
      cut = isHighSurrogate(rest.charCodeAt(limit - 1)) ? limit - 1 : limit;
      skip = 0;
    }
    chunks.push(rest.slice(0, cut));
    rest = rest.slice(cut + skip);
  }
  chunks.push(rest);
  return chunks.filter((chunk) => chunk.trim().length > 0);
}

function breakAt(window: string, separator: string, limit: number): number | undefined {
  const index = window.lastIndexOf(separator);
  return index >= limit / 2 ? index : undefined;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
