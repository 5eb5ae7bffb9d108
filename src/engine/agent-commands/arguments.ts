/**
 * Reading the arguments of an agent command from the text that follows the verb. Each reader
 * takes the unread rest of the input and returns what it read plus the new rest, or an error
 * message; text arguments are sliced from the original input so they keep every character.
 */
import { LINK_KEYS, type TicketLinks } from '../../domain/records.js';
import { parseTicketRef } from '../../domain/ticket-number.js';

/**
 * What is wrong with the input: `english` as the grammar says it, and the `staff` key (under
 * `parse.`) with its params for the team's language. Rendered once, by the parser.
 */
export interface Problem {
  key: string;
  params?: Record<string, string>;
  english: string;
}

export const problem = (
  key: string,
  english: string,
  params?: Record<string, string>,
): Problem => ({ key: `parse.${key}`, english, ...(params ? { params } : {}) });

export type Read<T> = { value: T; rest: string } | { error: Problem };

/** A teammate as typed: Slack mention, Telegram (or plain Slack) @username, or email. */
export type AgentMention =
  | { kind: 'slack'; userId: string; label?: string }
  | { kind: 'username'; username: string }
  | { kind: 'email'; email: string };

export type UserMention = { kind: 'me' } | AgentMention;

export type LinkKey = (typeof LINK_KEYS)[number];

/** Links to set; `null` clears one (`order_ref=` or `order_ref=""`). */
export type LinkValues = TicketLinks;

/** The next whitespace-separated word, or null at the end of the input. */
export function nextWord(rest: string): { word: string; rest: string } | null {
  const m = /^\s*(\S+)/.exec(rest);
  if (!m?.[1]) return null;
  return { word: m[1], rest: rest.slice(m[0].length) };
}

/**
 * The rest of the input as free text: the separating whitespace is dropped (when it contains
 * line breaks, up to the last of them, so an indented first line keeps its indent), trailing
 * whitespace is dropped, everything else is kept exactly.
 */
export function restAsText(rest: string): string {
  const lead = /^\s*/.exec(rest)?.[0] ?? '';
  const lastBreak = lead.lastIndexOf('\n');
  return rest.slice(lastBreak >= 0 ? lastBreak + 1 : lead.length).trimEnd();
}

/** Whether a word is a ticket reference (`TK-2026-00042`, `42`, `#42` or a ticket id). */
export function looksLikeRef(word: string): boolean {
  return parseTicketRef(word, 2000) !== null;
}

/** A bare `42` (as opposed to the explicit `#42`, `TK-2026-00042` or an id). */
export function isBareNumber(word: string): boolean {
  return /^\d+$/.test(word);
}

/** Whether a bare number names the same ticket sequence as `ref` (e.g. `42` and `TK-2026-00042`). */
export function sameSequence(bare: string, ref: string): boolean {
  const digits = /(\d+)$/.exec(ref.trim())?.[1];
  return digits !== undefined && /^#?\d+$|^TK-\d{4}-\d+$/i.test(ref.trim())
    ? Number(digits) === Number(bare)
    : false;
}

const SLACK_ESCAPE = /^\s*<(@|mailto:)([^>|\s]+)(?:\|([^>]*))?>/i;
const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;
const USERNAME = /^@([A-Za-z0-9_][A-Za-z0-9_.-]*)$/;
const SLACK_USER_ID = /^[A-Z0-9]+$/i;

const MENTION_HELP = 'use <@user> (a mention), @username, an email address or me';

/** `me`, `<@U123ABC>`, `<@U123ABC|name>`, `@username`, `anna@example.com`, `<mailto:…|…>`. */
export function readMention(rest: string): Read<UserMention> {
  const escaped = SLACK_ESCAPE.exec(rest);
  if (escaped?.[1] && escaped[2]) {
    const after = rest.slice(escaped[0].length);
    if (escaped[1] === '@') {
      if (!SLACK_USER_ID.test(escaped[2])) {
        const text = escaped[0].trim();
        return {
          error: problem('not_slack_mention', `"${text}" is not a Slack user mention`, { text }),
        };
      }
      const label = escaped[3]?.trim();
      const mention: AgentMention = { kind: 'slack', userId: escaped[2].toUpperCase() };
      if (label) mention.label = label;
      return { value: mention, rest: after };
    }
    if (EMAIL.test(escaped[2])) {
      return { value: { kind: 'email', email: escaped[2].toLowerCase() }, rest: after };
    }
  }
  const next = nextWord(rest);
  if (!next) return { error: problem('who', `Who? ${capitalize(MENTION_HELP)}.`) };
  const { word } = next;
  if (/^@?me$/i.test(word)) return { value: { kind: 'me' }, rest: next.rest };
  const username = USERNAME.exec(word)?.[1];
  if (username) return { value: { kind: 'username', username }, rest: next.rest };
  if (EMAIL.test(word))
    return { value: { kind: 'email', email: word.toLowerCase() }, rest: next.rest };
  return {
    error: problem('not_a_person', `"${word}" is not a person: ${MENTION_HELP}.`, { word }),
  };
}

const QUOTES: Record<string, string> = { '"': '"', '“': '”', "'": "'" };

/** A link value: `A-1`, `"with spaces"` (`\"` and `\\` escape), `“smart quotes”`, `'single'`. */
function readValue(rest: string): Read<string> {
  const open = rest.charAt(0);
  const close = QUOTES[open];
  if (close === undefined) {
    const m = /^\S*/.exec(rest)?.[0] ?? '';
    return { value: m, rest: rest.slice(m.length) };
  }
  let value = '';
  for (let i = 1; i < rest.length; i++) {
    const ch = rest.charAt(i);
    if (ch === '\\' && open === '"' && (rest[i + 1] === '"' || rest[i + 1] === '\\')) {
      value += rest.charAt(++i);
    } else if (ch === close) {
      const after = rest.slice(i + 1);
      if (after !== '' && !/^\s/.test(after)) {
        const quoted = `${open}${value}${close}`;
        return {
          error: problem('quote_space', `Put a space after the closing quote of ${quoted}`, {
            quoted,
          }),
        };
      }
      return { value, rest: after };
    } else {
      value += ch;
    }
  }
  const quoted = `${open}${value}`;
  return { error: problem('quote_open', `The quote in ${quoted} is not closed`, { quoted }) };
}

const KEY_VALUE = /^\s*([A-Za-z_]+)=/;

/** One or more `key=value` pairs with the contract's link keys; nothing may follow them. */
export function readLinks(rest: string): Read<LinkValues> {
  const links: LinkValues = {};
  let left = rest;
  while (left.trim() !== '') {
    const m = KEY_VALUE.exec(left);
    if (!m?.[1]) {
      const word = nextWord(left)?.word ?? left.trim();
      return { error: problem('expected_pair', `Expected key=value, got "${word}"`, { word }) };
    }
    const key = m[1].toLowerCase();
    if (!(LINK_KEYS as readonly string[]).includes(key)) {
      const keys = LINK_KEYS.join(', ');
      return {
        error: problem('unknown_link', `Unknown link "${m[1]}"; keys: ${keys}`, {
          key: m[1],
          keys,
        }),
      };
    }
    if (key in links) return { error: problem('twice', `${key} is given twice`, { key }) };
    const value = readValue(left.slice(m[0].length));
    if ('error' in value) return value;
    links[key as LinkKey] = value.value === '' ? null : value.value;
    left = value.rest;
  }
  if (Object.keys(links).length === 0) {
    const keys = LINK_KEYS.join(', ');
    return { error: problem('which_links', `Which links? keys: ${keys}`, { keys }) };
  }
  return { value: links, rest: '' };
}

/** The vocabularies `readChoice` reads, as English names them in its messages. */
export const CHOICE_NAMES = {
  list: 'list',
  status: 'status',
  priority: 'priority',
  resolution_code: 'resolution code',
} as const;
export type ChoiceName = keyof typeof CHOICE_NAMES;

/**
 * A word from a fixed vocabulary, case-insensitive, `-` read as `_` (`In-Progress` →
 * `in_progress`).
 */
export function readChoice<T extends string>(
  rest: string,
  choices: readonly T[],
  what: ChoiceName,
): Read<T> {
  const next = nextWord(rest);
  const list = choices.join(', ');
  // The translated `{{what}}` is filled in by the parser (`parse.what.<name>`).
  const params = { what, choices: list };
  const noun = CHOICE_NAMES[what];
  if (!next) {
    return { error: problem('which_choice', `Which ${noun}? One of: ${list}`, params) };
  }
  const normalized = next.word.toLowerCase().replace(/-/g, '_');
  const found = choices.find((c) => c === normalized);
  if (!found) {
    const english = `Unknown ${noun} "${next.word}"; one of: ${list}`;
    return { error: problem('unknown_choice', english, { ...params, word: next.word }) };
  }
  return { value: found, rest: next.rest };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
