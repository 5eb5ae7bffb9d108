/**
 * The commands a customer can give at any point, as a command (`/lang hi`), a typed slash
 * command, a button (`lang:hi`) or a keyword in any supported language ("agent", "人工", "estado").
 * Keywords match the whole message only, so "cancel my order" is a message, not a command.
 */
import type { FlowInput } from './flow-types.js';
import { isKeyword, LEXICON_LANGUAGES, label, normalize } from './lexicon.js';

export type GlobalCommand =
  | { kind: 'language'; code: string | null }
  | { kind: 'human' }
  | { kind: 'status' }
  | { kind: 'new_issue' }
  | { kind: 'start'; payload: string }
  | { kind: 'cancel'; explicit: boolean }
  | { kind: 'help' }
  | { kind: 'unknown_command'; name: string };

const COMMAND_NAMES = new Map<string, (args: string) => GlobalCommand>(
  Object.entries({
    lang: (args) => ({ kind: 'language', code: firstWord(args) }),
    language: (args) => ({ kind: 'language', code: firstWord(args) }),
    start: (args) => ({ kind: 'start', payload: args.trim() }),
    new: () => ({ kind: 'new_issue' }),
    status: () => ({ kind: 'status' }),
    agent: () => ({ kind: 'human' }),
    human: () => ({ kind: 'human' }),
    cancel: () => ({ kind: 'cancel', explicit: true }),
    help: () => ({ kind: 'help' }),
  } satisfies Record<string, (args: string) => GlobalCommand>),
);

function firstWord(args: string): string | null {
  return args.trim().split(/\s+/)[0] || null;
}

function fromCommand(name: string, args: string): GlobalCommand {
  const bare = name.toLowerCase().replace(/@.*$/, '');
  return COMMAND_NAMES.get(bare)?.(args) ?? { kind: 'unknown_command', name: bare };
}

/** "English", "हिन्दी", "español": the customer picked a language by its name. */
function languageByName(text: string): string | null {
  const typed = normalize(text);
  const match = LEXICON_LANGUAGES.find(
    (code) => normalize(label(code, `language.name.${code}`)) === typed,
  );
  return match ?? null;
}

export function detectCommand(input: FlowInput): GlobalCommand | null {
  if (input.command) return fromCommand(input.command.name, input.command.args);
  const payload = input.buttonPayload;
  if (payload !== undefined) {
    return payload.startsWith('lang:') ? { kind: 'language', code: payload.slice(5) } : null;
  }
  const text = input.text?.trim();
  if (!text) return null;
  const slash = /^\/([A-Za-z_]+(?:@\w+)?)(?:\s+([\s\S]*))?$/.exec(text);
  if (slash?.[1]) return fromCommand(slash[1], slash[2] ?? '');
  const named = languageByName(text);
  if (named) return { kind: 'language', code: named };
  const [first = '', ...rest] = text.split(/\s+/);
  if (rest.length === 1 && isKeyword(first, 'language')) {
    return { kind: 'language', code: rest[0] ?? null };
  }
  if (isKeyword(text, 'language')) return { kind: 'language', code: null };
  if (isKeyword(text, 'human')) return { kind: 'human' };
  if (isKeyword(text, 'status')) return { kind: 'status' };
  if (isKeyword(text, 'new_issue')) return { kind: 'new_issue' };
  if (isKeyword(text, 'help')) return { kind: 'help' };
  if (isKeyword(text, 'cancel')) return { kind: 'cancel', explicit: false };
  return null;
}
