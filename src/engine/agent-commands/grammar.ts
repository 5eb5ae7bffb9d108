/**
 * The agent command grammar (CONTRACT.md, "Agent commands"): one source of truth for the
 * verbs, their usage lines and the help text. Slack `/ticket`, the Telegram agents' group and
 * the CLI (`npx parley ticket …`) all parse with it; parse errors quote these usage lines.
 */
import { LINK_KEYS } from '../../domain/records.js';
import { PRIORITIES, RESOLUTION_CODES, TICKET_STATUSES } from '../../domain/vocabulary.js';
import type { StaffT } from '../../ports/staff-translator.js';

export const VERBS = [
  'help',
  'list',
  'show',
  'reply',
  'note',
  'status',
  'assign',
  'claim',
  'priority',
  'resolve',
  'close',
  'reopen',
  'link',
  'canned',
  'watch',
  'unwatch',
] as const;
export type Verb = (typeof VERBS)[number];

export const LIST_SCOPES = ['mine', 'open', 'overdue', 'unassigned'] as const;
export type ListScope = (typeof LIST_SCOPES)[number];

/** `list` with no scope. */
export const DEFAULT_LIST_SCOPE: ListScope = 'open';

/** The contract's usage line of each verb, exactly as published. */
export const USAGE: Readonly<Record<Verb, string>> = {
  help: 'help',
  list: 'list [mine|open|overdue|unassigned]',
  show: 'show <ref>',
  reply: 'reply <ref> <text>',
  note: 'note <ref> <text>',
  status: 'status <ref> <status>',
  assign: 'assign <ref> <@user|me>',
  claim: 'claim <ref>',
  priority: 'priority <ref> <priority>',
  resolve: 'resolve <ref> <code> [notes]',
  close: 'close <ref>',
  reopen: 'reopen <ref>',
  link: 'link <ref> key=value…',
  canned: 'canned <ref> <name>',
  watch: 'watch <ref>',
  unwatch: 'unwatch <ref>',
};

/** One line on what each verb does, for `help` (English; translated: `staff` keys `help.summary.*`). */
export const SUMMARY: Readonly<Record<Verb, string>> = {
  help: 'this list',
  list: `tickets that are yours, open, overdue or unassigned (default: ${DEFAULT_LIST_SCOPE}), soonest due first`,
  show: 'a ticket at a glance',
  reply: 'reply to the customer',
  note: 'add an internal note (never sent to the customer)',
  status: `set the status (${TICKET_STATUSES.join(', ')})`,
  assign: 'assign to a teammate (@mention, email) or to yourself',
  claim: 'assign to yourself',
  priority: `set the priority (${PRIORITIES.join(', ')})`,
  resolve: `resolve with a code (${RESOLUTION_CODES.join(', ')}) and optional notes`,
  close: 'close a resolved ticket (supervisors: any open ticket)',
  reopen: 'reopen a resolved ticket (supervisors: a closed one)',
  link: `set references (${LINK_KEYS.join(', ')}); quote values with spaces, key= clears`,
  canned: "send a canned reply in the customer's language; without a name, list them",
  watch: 'follow a ticket',
  unwatch: 'stop following a ticket',
};

export const REF_HELP =
  '<ref> is TK-2026-00042, 42 or #42. Inside a ticket thread it may be left out; there a bare ' +
  'number at the start of reply/note text stays text unless it is that ticket — write ' +
  'TK-2026-00042 or #42 to address another ticket.';

export function isVerb(word: string): word is Verb {
  return (VERBS as readonly string[]).includes(word);
}

/** `Usage: reply <ref> <text>`. */
export function usageLine(verb: Verb): string {
  return `Usage: ${USAGE[verb]}`;
}

/** What the translated summaries list (the vocabulary stays as typed). */
const SUMMARY_PARAMS = {
  default: DEFAULT_LIST_SCOPE,
  statuses: TICKET_STATUSES.join(', '),
  priorities: PRIORITIES.join(', '),
  codes: RESOLUTION_CODES.join(', '),
  keys: LINK_KEYS.join(', '),
};

/**
 * The whole grammar with one line per verb, or the usage and summary of one verb; in the team's
 * language with `t` (the usage lines themselves are the grammar and stay as they are).
 */
export function helpText(verb?: Verb, t?: StaffT): string {
  const summary = (v: Verb) => (t ? t(`help.summary.${v}`, SUMMARY_PARAMS) : SUMMARY[v]);
  const refHelp = t ? t('help.ref') : REF_HELP;
  if (verb && verb !== 'help') {
    const usage = t ? t('help.usage', { usage: USAGE[verb] }) : usageLine(verb);
    return `${usage}\n${capitalize(summary(verb))}.\n${refHelp}`;
  }
  const width = Math.max(...VERBS.map((v) => USAGE[v].length));
  const lines = VERBS.map((v) => `${USAGE[v].padEnd(width)}  ${summary(v)}`);
  const title = t ? t('help.title') : 'Ticket commands:';
  const more = t ? t('help.more') : 'help <command> shows one command.';
  return [title, ...lines, refHelp, more].join('\n');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
