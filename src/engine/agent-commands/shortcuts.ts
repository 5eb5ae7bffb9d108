/**
 * Reaction shortcuts: a tenant maps an emoji to the agent grammar after the ticket reference
 * (`claim`, `resolve answered`, `status awaiting_customer`, `canned thanks` …). A reaction on a
 * ticket's card runs that command on the card's ticket; the reference goes after the verb.
 */
import { nextWord } from './arguments.js';
import { type ParsedCommand, isParseError, parseAgentCommand } from './parse.js';

const PROBE_REF = '#1';
/** Verbs that take no ticket reference. */
const TICKETLESS: readonly string[] = ['help', 'list'];

/** `resolve answered` on `TK-2026-00042` → `resolve TK-2026-00042 answered`; '' for an empty command. */
export function shortcutCommandLine(command: string, ref: string): string {
  const verb = nextWord(command);
  return verb ? `${verb.word} ${ref}${verb.rest}` : '';
}

/** The shortcut as a command on ticket `ref`, or what is wrong with it. */
export function parseShortcut(command: string, ref: string): ParsedCommand | { error: string } {
  const line = shortcutCommandLine(command, ref);
  if (!line) return { error: 'the command is empty' };
  const verb = nextWord(command)?.word.toLowerCase() ?? '';
  if (TICKETLESS.includes(verb)) return { error: `"${verb}" does not act on a ticket` };
  const parsed = parseAgentCommand(line);
  if (isParseError(parsed)) return { error: parsed.error };
  if (!('ref' in parsed) || parsed.ref !== ref) {
    return { error: `"${parsed.verb}" does not act on a ticket` };
  }
  return parsed;
}

/** Null when `command` reads as the grammar after a ticket reference; else what is wrong. */
export function shortcutProblem(command: string): string | null {
  const parsed = parseShortcut(command, PROBE_REF);
  return 'error' in parsed ? parsed.error : null;
}
