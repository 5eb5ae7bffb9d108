/**
 * The one parser of agent commands (Slack `/ticket`, the Telegram agents' group, the CLI).
 * Pure: text in, a `ParsedCommand` or a `ParseError` (with the verb's usage line) out.
 * Verbs are case-insensitive, whitespace between arguments is free, text arguments keep
 * their exact characters. Permissions are not checked here; the use cases do that.
 */
import {
  PRIORITIES,
  RESOLUTION_CODES,
  TICKET_STATUSES,
  type Priority,
  type ResolutionCode,
  type TicketStatus,
} from '../../domain/vocabulary.js';
import type { StaffT } from '../../ports/staff-translator.js';
import {
  type ChoiceName,
  type LinkValues,
  type Problem,
  type Read,
  type UserMention,
  isBareNumber,
  looksLikeRef,
  nextWord,
  problem,
  readChoice,
  readLinks,
  readMention,
  restAsText,
  sameSequence,
} from './arguments.js';
import {
  DEFAULT_LIST_SCOPE,
  LIST_SCOPES,
  type ListScope,
  USAGE,
  type Verb,
  VERBS,
  isVerb,
  usageLine,
} from './grammar.js';

export type { AgentMention, LinkValues, UserMention } from './arguments.js';

/** Verbs that take only a ticket reference. */
export type RefOnlyVerb = 'show' | 'claim' | 'close' | 'reopen' | 'watch' | 'unwatch';

export type ParsedCommand =
  | { verb: 'help'; topic?: Verb }
  | { verb: 'list'; scope: ListScope }
  | { verb: RefOnlyVerb; ref: string }
  | { verb: 'reply' | 'note'; ref: string; text: string }
  | { verb: 'status'; ref: string; status: TicketStatus }
  | { verb: 'assign'; ref: string; user: UserMention }
  | { verb: 'priority'; ref: string; priority: Priority }
  /** `reference` (a credit note or refund id) comes from forms (Slack's Resolve modal), not text. */
  | { verb: 'resolve'; ref: string; code: ResolutionCode; notes?: string; reference?: string }
  | { verb: 'link'; ref: string; links: LinkValues }
  /** Without a name: list the tenant's canned replies. Names are lower-case. */
  | { verb: 'canned'; ref: string; name?: string };

/**
 * What went wrong, ready to show: `text` is `error` and `usage` on two lines. Shaped like a
 * command result (`ok: false`, `text`) so a surface can answer with either the same way.
 */
export interface ParseError {
  ok: false;
  /** The verb whose arguments were wrong; null for an unknown verb. */
  verb: Verb | null;
  error: string;
  /** `Usage: …` of the verb, or the list of commands for an unknown verb. */
  usage: string;
  text: string;
}

export interface ParseOptions {
  /** The ticket whose thread the command was typed in; its reference may then be left out. */
  threadTicketRef?: string | undefined;
  /** The team's texts: errors in its language (`staff` keys `parse.*`); English without. */
  t?: StaffT | undefined;
}

/** A problem in the team's language, or as the grammar says it in English. */
function render(p: Problem, t: StaffT | undefined): string {
  if (!t) return p.english;
  const what = p.params?.what;
  return t(p.key, what ? { ...p.params, what: t(`parse.what.${what}`) } : p.params);
}

const isProblem = (x: ParsedCommand | Problem): x is Problem => 'english' in x;

export function isParseError(result: ParsedCommand | ParseError): result is ParseError {
  return 'error' in result;
}

/** `/ticket`, `/ticket@ParleyBot` or `ticket` before the verb is ignored. */
const PREFIX = /^\s*\/?ticket(?:@\w+)?(?=\s|$)/i;

export function parseAgentCommand(
  text: string,
  opts: ParseOptions = {},
): ParsedCommand | ParseError {
  const first = nextWord(text.replace(PREFIX, ''));
  if (!first) return { verb: 'help' };
  // A Telegram-style `/claim@ParleyBot` reads as `claim`.
  const verb = first.word.replace(/^\//, '').replace(/@\w+$/, '').toLowerCase();
  if (!isVerb(verb)) return unknownVerb(first.word, opts.t);
  const thread = opts.threadTicketRef?.trim() || undefined;
  const parsed = parseArguments(verb, first.rest, thread);
  if (!isProblem(parsed)) return parsed;
  const error = render(parsed, opts.t);
  const usage = opts.t ? opts.t('help.usage', { usage: USAGE[verb] }) : usageLine(verb);
  return { ok: false, verb, error, usage, text: `${error}\n${usage}` };
}

/** The command, or what is wrong with its arguments. */
function parseArguments(
  verb: Verb,
  rest: string,
  thread: string | undefined,
): ParsedCommand | Problem {
  switch (verb) {
    case 'help': {
      const next = nextWord(rest);
      if (!next) return { verb };
      const topic = next.word.toLowerCase();
      if (!isVerb(topic)) {
        return problem('unknown_topic', `Unknown command "${next.word}"`, { word: next.word });
      }
      return endOfInput(next.rest) ?? { verb, topic };
    }
    case 'list': {
      if (!nextWord(rest)) return { verb, scope: DEFAULT_LIST_SCOPE };
      const scope = readChoice(rest, LIST_SCOPES, 'list');
      if ('error' in scope) return scope.error;
      return endOfInput(scope.rest) ?? { verb, scope: scope.value };
    }
    case 'show':
    case 'claim':
    case 'close':
    case 'reopen':
    case 'watch':
    case 'unwatch': {
      const ref = readRef(rest, thread, false);
      if ('error' in ref) return ref.error;
      return endOfInput(ref.rest) ?? { verb, ref: ref.value };
    }
    case 'reply':
    case 'note': {
      const ref = readRef(rest, thread, true);
      if ('error' in ref) return ref.error;
      const body = restAsText(ref.rest);
      if (body.trim() === '') {
        return verb === 'reply'
          ? problem('reply_empty', 'What should the reply say? Write it after the reference')
          : problem('note_empty', 'What should the note say? Write it after the reference');
      }
      return { verb, ref: ref.value, text: body };
    }
    case 'status':
      return withRefAndChoice(rest, thread, TICKET_STATUSES, 'status', (ref, status) => ({
        verb,
        ref,
        status,
      }));
    case 'priority':
      return withRefAndChoice(rest, thread, PRIORITIES, 'priority', (ref, priority) => ({
        verb,
        ref,
        priority,
      }));
    case 'resolve': {
      const ref = readRef(rest, thread, false);
      if ('error' in ref) return ref.error;
      const code = readChoice(ref.rest, RESOLUTION_CODES, 'resolution_code');
      if ('error' in code) return code.error;
      const notes = restAsText(code.rest);
      return notes.trim() === ''
        ? { verb, ref: ref.value, code: code.value }
        : { verb, ref: ref.value, code: code.value, notes };
    }
    case 'assign': {
      const ref = readRef(rest, thread, false);
      if ('error' in ref) return ref.error;
      const user = readMention(ref.rest);
      if ('error' in user) return user.error;
      return endOfInput(user.rest) ?? { verb, ref: ref.value, user: user.value };
    }
    case 'link': {
      const ref = readRef(rest, thread, false);
      if ('error' in ref) return ref.error;
      const links = readLinks(ref.rest);
      if ('error' in links) return links.error;
      return { verb, ref: ref.value, links: links.value };
    }
    case 'canned': {
      const ref = readRef(rest, thread, false);
      if ('error' in ref) return ref.error;
      const name = nextWord(ref.rest);
      if (!name) return { verb, ref: ref.value };
      return endOfInput(name.rest) ?? { verb, ref: ref.value, name: name.word.toLowerCase() };
    }
  }
}

function withRefAndChoice<T extends string>(
  rest: string,
  thread: string | undefined,
  choices: readonly T[],
  what: ChoiceName,
  build: (ref: string, value: T) => ParsedCommand,
): ParsedCommand | Problem {
  const ref = readRef(rest, thread, false);
  if ('error' in ref) return ref.error;
  const choice = readChoice(ref.rest, choices, what);
  if ('error' in choice) return choice.error;
  return endOfInput(choice.rest) ?? build(ref.value, choice.value);
}

/**
 * The ticket reference at the start of `rest`, else the thread's ticket. A word is a reference
 * only if it looks like one. Before free text inside a thread, a bare number (`3 boxes are on
 * the way`) is text unless it is the thread's own ticket: a reply must not reach another
 * customer by accident; `#3` or `TK-2026-00003` addresses another ticket explicitly.
 */
function readRef(rest: string, thread: string | undefined, textFollows: boolean): Read<string> {
  const next = nextWord(rest);
  if (next && looksLikeRef(next.word)) {
    const maybeText =
      thread !== undefined &&
      textFollows &&
      isBareNumber(next.word) &&
      !sameSequence(next.word, thread);
    if (!maybeText) return { value: next.word, rest: next.rest };
  }
  if (thread !== undefined) return { value: thread, rest };
  if (!next) {
    return {
      error: problem('which_ticket', 'Which ticket? Give its reference: TK-2026-00042, 42 or #42'),
    };
  }
  const word = next.word;
  const english = `"${word}" is not a ticket reference (TK-2026-00042, 42 or #42)`;
  return { error: problem('not_a_ref', english, { word }) };
}

/** null when nothing is left, else what is wrong. */
function endOfInput(rest: string): Problem | null {
  const extra = nextWord(rest);
  if (!extra) return null;
  return problem('unexpected', `Unexpected "${extra.word}" at the end`, { word: extra.word });
}

function unknownVerb(word: string, t: StaffT | undefined): ParseError {
  const guess = closestVerb(word.toLowerCase());
  const english = `Unknown command "${word}".${guess ? ` Did you mean ${guess}?` : ''} Type help for the list`;
  const error = render(
    guess
      ? problem('unknown_command_guess', english, { word, verb: guess })
      : problem('unknown_command', english, { word }),
    t,
  );
  const verbs = VERBS.join(', ');
  const usage = t ? t('parse.commands', { verbs }) : `Commands: ${verbs}`;
  return { ok: false, verb: null, error, usage, text: `${error}\n${usage}` };
}

/** The verb within two edits of `word`, if there is one. */
function closestVerb(word: string): Verb | null {
  let best: { verb: Verb; distance: number } | null = null;
  for (const verb of VERBS) {
    const distance = editDistance(word, verb);
    if (distance <= 2 && (!best || distance < best.distance)) best = { verb, distance };
  }
  return best?.verb ?? null;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}
