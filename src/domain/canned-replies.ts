/**
 * Canned replies (tenant setting `canned_replies: {<name>: {<lang>: text}}`) and the Slack
 * reaction shortcuts (`reaction_shortcuts: {<emoji>: <command>}`). Pure: which text a customer
 * gets (their language, else English), and the placeholders filled in.
 */

/** `{<language>: text}`; `en` is required (the fallback). */
export type CannedReplyTexts = Record<string, string>;
export type CannedReplies = Record<string, CannedReplyTexts>;
/** Emoji name (as Slack sends it, without colons) → the agent command after the ticket reference. */
export type ReactionShortcuts = Record<string, string>;

export const CANNED_NAME = /^[a-z0-9_-]{1,40}$/;
export const MAX_CANNED_REPLIES = 200;
export const MAX_CANNED_TEXT = 4000;
export const CANNED_FALLBACK_LANGUAGE = 'en';
export const CANNED_PLACEHOLDERS = ['customer_name', 'ticket_number', 'agent_name'] as const;
export type CannedPlaceholder = (typeof CANNED_PLACEHOLDERS)[number];

/** 👀 claims, ✅ resolves as answered — unless the tenant sets its own. */
export const DEFAULT_REACTION_SHORTCUTS: Readonly<ReactionShortcuts> = {
  eyes: 'claim',
  white_check_mark: 'resolve answered',
};

/** Slack emoji names: lower-case letters, digits, `_ + ' -`, optionally `::skin-tone-N`. */
export const EMOJI_NAME = /^[a-z0-9_+'-]{1,100}(::skin-tone-[2-6])?$/;

const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;

/** The canned reply names of a tenant, sorted. */
export function cannedReplyNames(replies: CannedReplies | undefined): string[] {
  return Object.keys(replies ?? {}).sort();
}

/**
 * The text of `name` in the first of `languages` it has (the conversation's, then the
 * customer's), else in English; null when there is no such reply.
 */
export function pickCannedText(
  replies: CannedReplies | undefined,
  name: string,
  languages: readonly (string | null | undefined)[],
): { language: string; text: string } | null {
  const texts = replies && Object.hasOwn(replies, name) ? replies[name] : undefined;
  if (!texts) return null;
  for (const language of [...languages, CANNED_FALLBACK_LANGUAGE]) {
    if (!language) continue;
    const text = Object.hasOwn(texts, language) ? texts[language] : undefined;
    if (text !== undefined) return { language, text };
  }
  return null;
}

/**
 * Fills `{{customer_name}}`, `{{ticket_number}}`, `{{agent_name}}`. An unknown value (no
 * customer name) becomes empty, and the space before it goes unless a word follows
 * ("Hi {{customer_name}}," → "Hi,", "Dear {{customer_name}} we" → "Dear we"). Unknown placeholders stay as written.
 */
export function fillPlaceholders(
  text: string,
  values: Partial<Record<CannedPlaceholder, string | null>>,
): string {
  return text.replace(
    /( ?)\{\{\s*([a-z_]+)\s*\}\}(?=([\s\S]?))/g,
    (whole, space: string, key: string, next: string) => {
      if (!(CANNED_PLACEHOLDERS as readonly string[]).includes(key)) return whole;
      const value = values[key as CannedPlaceholder]?.trim();
      if (value) return `${space}${value}`;
      // Keep one space between words, none before punctuation, a line end or the end.
      return next !== '' && !/[\s,.!?;:)]/.test(next) ? space : '';
    },
  );
}

/** Placeholders in `text` that are not one of `CANNED_PLACEHOLDERS` (typos). */
export function unknownPlaceholders(text: string): string[] {
  const unknown = new Set<string>();
  for (const m of text.matchAll(PLACEHOLDER)) {
    const key = m[1] ?? '';
    if (!(CANNED_PLACEHOLDERS as readonly string[]).includes(key)) unknown.add(key);
  }
  return [...unknown];
}

/** The tenant's shortcuts, or the defaults when it has not set any. */
export function reactionShortcuts(settings: {
  reaction_shortcuts?: ReactionShortcuts | undefined;
}): Readonly<ReactionShortcuts> {
  return settings.reaction_shortcuts ?? DEFAULT_REACTION_SHORTCUTS;
}

/** The command behind a reaction; `thumbsup::skin-tone-3` falls back to `thumbsup`. */
export function shortcutCommand(
  shortcuts: Readonly<ReactionShortcuts>,
  reaction: string,
): string | null {
  const base = reaction.replace(/::skin-tone-[2-6]$/, '');
  for (const key of [reaction, base]) {
    if (Object.hasOwn(shortcuts, key)) return shortcuts[key] ?? null;
  }
  return null;
}
