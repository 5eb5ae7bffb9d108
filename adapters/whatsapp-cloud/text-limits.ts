/**
 * WhatsApp length limits and the helpers that respect them: truncate a label with '…', split a
 * long text at line or word boundaries, or cut a tail short enough for an interactive body.
 * Lengths count code points, and cuts never split a surrogate pair.
 */

export const LIMITS = {
  text: 4096,
  caption: 1024,
  buttonsBody: 1024,
  listBody: 4096,
  buttons: 3,
  buttonTitle: 20,
  rows: 10,
  rowTitle: 24,
  rowDescription: 72,
  listButton: 20,
} as const;

const length = (s: string) => Array.from(s).length;

/** `s` when it fits in `max` code points, else its first `max - 1` and '…'. */
export function truncate(s: string, max: number): string {
  const chars = Array.from(s);
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}

/** Index in `chars` where a piece of at most `max` starts a break (newline > space > hard). */
function breakAt(chars: string[], max: number): number {
  const window = chars.slice(0, max + 1);
  const newline = window.lastIndexOf('\n');
  if (newline > max / 2) return newline;
  const space = Math.max(window.lastIndexOf(' '), window.lastIndexOf('\t'));
  if (space > max / 2) return space;
  return max;
}

/** Pieces of at most `max` code points, in order, broken at newlines or spaces when possible. */
export function splitText(text: string, max: number = LIMITS.text): string[] {
  const pieces: string[] = [];
  let rest = Array.from(text);
  while (rest.length > max) {
    const at = breakAt(rest, max);
    const piece = rest.slice(0, at).join('').trimEnd();
    if (piece) pieces.push(piece);
    rest = Array.from(rest.slice(at).join('').trimStart());
  }
  const last = rest.join('');
  if (last || pieces.length === 0) pieces.push(last);
  return pieces;
}

/** `text` as a head (any length) and a tail of at most `max`, cut at a boundary when possible. */
export function splitTail(text: string, max: number): { head: string; tail: string } {
  if (length(text) <= max) return { head: '', tail: text };
  const chars = Array.from(text);
  const minStart = chars.length - max;
  let start = minStart;
  for (let i = minStart; i < chars.length && i < minStart + max / 2; i += 1) {
    if (chars[i - 1] === '\n' || chars[i - 1] === ' ') {
      start = i;
      break;
    }
  }
  return {
    head: chars.slice(0, start).join('').trimEnd(),
    tail: chars.slice(start).join('').trimStart(),
  };
}
