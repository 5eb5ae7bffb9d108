/**
 * The engine's read-only view of the locales: option labels (to match what a customer typed
 * against a button's text) and the words a customer may type instead of a command or a button
 * (`locales/<lang>/keywords.json`, alternatives separated by `|`). Bundled as JSON modules so the
 * engine stays free of I/O.
 */
import type { SupportedLanguage } from '../locales.js';
import enBot from '../../locales/en/bot.json' with { type: 'json' };
import enKeywords from '../../locales/en/keywords.json' with { type: 'json' };
import esBot from '../../locales/es/bot.json' with { type: 'json' };
import esKeywords from '../../locales/es/keywords.json' with { type: 'json' };
import hiBot from '../../locales/hi/bot.json' with { type: 'json' };
import hiKeywords from '../../locales/hi/keywords.json' with { type: 'json' };
import idBot from '../../locales/id/bot.json' with { type: 'json' };
import idKeywords from '../../locales/id/keywords.json' with { type: 'json' };
import zhBot from '../../locales/zh/bot.json' with { type: 'json' };
import zhKeywords from '../../locales/zh/keywords.json' with { type: 'json' };

export type KeywordKind = keyof typeof enKeywords;

interface Bundle {
  bot: unknown;
  keywords: Record<KeywordKind, string>;
}

const BUNDLES: Record<SupportedLanguage, Bundle> = {
  en: { bot: enBot, keywords: enKeywords },
  hi: { bot: hiBot, keywords: hiKeywords },
  id: { bot: idBot, keywords: idKeywords },
  zh: { bot: zhBot, keywords: zhKeywords },
  es: { bot: esBot, keywords: esKeywords },
};

export const LEXICON_LANGUAGES = Object.keys(BUNDLES) as SupportedLanguage[];

function bundleFor(lang: string): Bundle {
  return (BUNDLES as Record<string, Bundle | undefined>)[lang] ?? BUNDLES.en;
}

function lookup(tree: unknown, key: string): string | undefined {
  let node: unknown = tree;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** A `bot` string without interpolation, falling back to English, then to a readable key. */
export function label(lang: string, key: string): string {
  const text = lookup(bundleFor(lang).bot, key) ?? lookup(BUNDLES.en.bot, key);
  if (text !== undefined) return text;
  const last = key.split('.').pop() ?? key;
  const words = last.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Lower-case, trimmed, inner spaces collapsed, leading ¡¿ and trailing punctuation dropped. */
export function normalize(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\s.!¡?¿,;:。！？，、…~]+$/u, '')
    .replace(/^[\s¡¿]+/u, '')
    .trim();
}

/** "?" alone normalizes to "" (it is trailing punctuation): such words stay as typed. */
function keywordForm(text: string): string {
  return normalize(text) || text.trim();
}

const keywordCache = new Map<KeywordKind, Set<string>>();

/** Every language's words for `kind` (a customer may type English in a Hindi chat). */
function keywordSet(kind: KeywordKind): Set<string> {
  let set = keywordCache.get(kind);
  if (!set) {
    set = new Set(
      LEXICON_LANGUAGES.flatMap((lang) =>
        BUNDLES[lang].keywords[kind]
          .split('|')
          .map(keywordForm)
          .filter((w) => w.length > 0),
      ),
    );
    keywordCache.set(kind, set);
  }
  return set;
}

/** Whether the whole message is one of the words for `kind`, in any language. */
export function isKeyword(text: string | undefined, kind: KeywordKind): boolean {
  if (text === undefined) return false;
  const form = keywordForm(text);
  return form.length > 0 && keywordSet(kind).has(form);
}

/** Whether `text` equals the label of `key` in the customer's language or any other. */
export function matchesLabel(text: string, key: string, lang: string): boolean {
  const normalized = normalize(text);
  if (normalized.length === 0) return false;
  if (normalize(label(lang, key)) === normalized) return true;
  return LEXICON_LANGUAGES.some((l) => normalize(label(l, key)) === normalized);
}
