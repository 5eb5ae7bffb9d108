/**
 * Locales: every string a customer sees lives in `locales/<lang>/<namespace>.json` (GUIDE.md,
 * i18n). This module loads them from disk, builds an i18next instance and picks a customer's
 * language from what the channel tells us.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import i18next, { type i18n, type InitOptions, type Resource } from 'i18next';
import type { StaffTranslator } from './ports/staff-translator.js';

export const SUPPORTED_LANGUAGES = ['en', 'hi', 'id', 'zh', 'es'] as const;
export type SupportedLanguage = (typeof SUPPORTED_LANGUAGES)[number];
export const DEFAULT_LANGUAGE: SupportedLanguage = 'en';
/** The namespace of bot messages (FlowEffect `say` keys). */
export const BOT_NAMESPACE = 'bot';
/** The namespace of what the team reads (notices, Slack cards, command answers). */
export const STAFF_NAMESPACE = 'staff';

export const LOCALES_DIR = fileURLToPath(new URL('../locales', import.meta.url));

export function isSupportedLanguage(code: string): code is SupportedLanguage {
  return (SUPPORTED_LANGUAGES as readonly string[]).includes(code);
}

/** `zh-Hans` → zh, `es-419` → es, `pt-BR` → null. */
export function normalizeLanguage(code: string | undefined | null): SupportedLanguage | null {
  if (!code) return null;
  const primary = code.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return isSupportedLanguage(primary) ? primary : null;
}

/** Reads every `<lang>/<ns>.json` of the supported languages. */
export function loadLocaleResources(dir: string = LOCALES_DIR): Resource {
  const resources: Resource = {};
  for (const lang of SUPPORTED_LANGUAGES) {
    const files = readdirSync(`${dir}/${lang}`).filter((f) => f.endsWith('.json'));
    resources[lang] = Object.fromEntries(
      files.map((file) => [
        file.slice(0, -'.json'.length),
        JSON.parse(readFileSync(`${dir}/${lang}/${file}`, 'utf8')) as Record<string, unknown>,
      ]),
    );
  }
  return resources;
}

export interface Translator {
  readonly i18n: i18n;
  /** A `bot` message in `lang` (unsupported languages fall back to English). */
  t(lang: string, key: string, params?: Record<string, string | number>): string;
  /** "2 hours", "30 minutes", "3 days" in `lang`, for "we answer within {{target}}". */
  duration(lang: string, seconds: number): string;
  /** "Monday 09:30" in `lang` on the wall clock of `timeZone`, for "we answer by {{due}}". */
  dateTime(lang: string, at: Date, timeZone: string): string;
}

/** Unknown `category.<key>` labels (tenant-defined categories) read as "Key words". */
function humanizeMissing(key: string): string {
  const last = key.split('.').pop() ?? key;
  if (!key.startsWith('category.')) return key;
  const words = last.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** An i18next instance over the supported languages for one namespace, English as fallback. */
function i18nFor(namespace: string, resources: Resource | undefined, extra: InitOptions): i18n {
  const instance = i18next.createInstance();
  void instance.init({
    resources: resources ?? loadLocaleResources(),
    initAsync: false,
    lng: DEFAULT_LANGUAGE,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...SUPPORTED_LANGUAGES],
    ns: [namespace],
    defaultNS: namespace,
    interpolation: { escapeValue: false },
    returnNull: false,
    ...extra,
  });
  return instance;
}

export function createTranslator(options: { resources?: Resource } = {}): Translator {
  const instance = i18nFor(BOT_NAMESPACE, options.resources, {
    parseMissingKeyHandler: humanizeMissing,
  });
  const t: Translator['t'] = (lang, key, params) =>
    instance.t(key, { ...params, lng: normalizeLanguage(lang) ?? DEFAULT_LANGUAGE });
  return {
    i18n: instance,
    t,
    duration(lang, seconds) {
      // Under a minute (an inbound flood window of 10 s): seconds, not "1 minute".
      if (seconds < 60)
        return t(lang, 'duration.seconds', { count: Math.max(1, Math.round(seconds)) });
      const minutes = Math.max(1, Math.round(seconds / 60));
      if (minutes < 120) return t(lang, 'duration.minutes', { count: minutes });
      const hours = Math.round(minutes / 60);
      if (hours < 48) return t(lang, 'duration.hours', { count: hours });
      return t(lang, 'duration.days', { count: Math.round(hours / 24) });
    },
    dateTime(lang, at, timeZone) {
      const locale = normalizeLanguage(lang) ?? DEFAULT_LANGUAGE;
      return new Intl.DateTimeFormat(locale, {
        weekday: 'long',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZone,
      }).format(at);
    },
  };
}

export interface StaffTranslatorOptions {
  resources?: Resource;
  /** Told of every key a language lacks (tests fail on it); the text falls back to English. */
  onMissingKey?: (language: string, key: string) => void;
}

/** The `staff` namespace: one bound `t` per language (src/ports/staff-translator.ts). */
export function createStaffTranslator(
  options: StaffTranslatorOptions = {},
): StaffTranslator & { readonly i18n: i18n } {
  const { onMissingKey } = options;
  const instance = i18nFor(STAFF_NAMESPACE, options.resources, {
    ...(onMissingKey
      ? {
          saveMissing: true,
          missingKeyNoValueFallbackToKey: true,
          missingKeyHandler: (
            lngs: readonly string[],
            _ns: string,
            key: string,
            _fallback: string,
            _update: boolean,
            opts: { lng?: unknown },
          ) => onMissingKey(typeof opts?.lng === 'string' ? opts.lng : lngs.join(','), key),
        }
      : {}),
  });
  // i18next resolves each text once per language, key and plural form (fallbacks, plurals, the
  // missing-key report); the resolved template is kept, split at its placeholders. A sweep that
  // pings 10,000 tickets renders ~70,000 texts: ~25 µs per i18next call, ~1 µs this way.
  const compiled = new Map<string, readonly string[]>();
  const plurals = new Map<SupportedLanguage, Intl.PluralRules>();
  const template = (lng: SupportedLanguage, key: string, count: number | undefined) => {
    let rules = plurals.get(lng);
    if (!rules) plurals.set(lng, (rules = new Intl.PluralRules(lng)));
    const id = `${lng}|${key}|${count === undefined ? '' : rules.select(count)}`;
    let parts = compiled.get(id);
    if (!parts) {
      const options = {
        lng,
        ns: STAFF_NAMESPACE,
        skipInterpolation: true,
        ...(count === undefined ? {} : { count }),
      };
      const raw = String(instance.t(key, options));
      parts = raw.split(/{{\s*([^}]+?)\s*}}/);
      // A missing key is not kept: it is reported (and falls back to the key) every time.
      if (instance.exists(key, options)) compiled.set(id, parts);
    }
    return parts;
  };
  return {
    languages: SUPPORTED_LANGUAGES,
    i18n: instance,
    forLanguage(language: string) {
      const lng = normalizeLanguage(language) ?? DEFAULT_LANGUAGE;
      return (key: string, params?: Record<string, string | number>): string => {
        const count = params?.count;
        const parts = template(lng, key, typeof count === 'number' ? count : undefined);
        if (parts.length === 1) return parts[0]!;
        let out = '';
        for (let i = 0; i < parts.length; i++) {
          const part = parts[i]!;
          if (i % 2 === 0) out += part;
          else out += params?.[part] !== undefined ? String(params[part]) : `{{${part}}}`;
        }
        return out;
      };
    },
  };
}

/**
 * WhatsApp gives a phone number, not a language. Country calling code → language, longest prefix
 * first. India (+91) maps to English on purpose: Hindi is the first language of under half of
 * Indian users, and English is the common second language; Hindi speakers switch with `/lang hi`.
 */
const PHONE_PREFIXES: readonly [string, SupportedLanguage][] = [
  ['62', 'id'], // Indonesia
  ['86', 'zh'], // mainland China (simplified Chinese)
  ['34', 'es'], // Spain
  ['52', 'es'], // Mexico
  ['53', 'es'], // Cuba
  ['54', 'es'], // Argentina
  ['56', 'es'], // Chile
  ['57', 'es'], // Colombia
  ['58', 'es'], // Venezuela
  ['51', 'es'], // Peru
  ['591', 'es'], // Bolivia
  ['593', 'es'], // Ecuador
  ['595', 'es'], // Paraguay
  ['598', 'es'], // Uruguay
  ['502', 'es'], // Guatemala
  ['503', 'es'], // El Salvador
  ['504', 'es'], // Honduras
  ['505', 'es'], // Nicaragua
  ['506', 'es'], // Costa Rica
  ['507', 'es'], // Panama
  ['240', 'es'], // Equatorial Guinea
  ['1809', 'es'], // Dominican Republic
  ['1829', 'es'],
  ['1849', 'es'],
  ['1787', 'es'], // Puerto Rico
  ['1939', 'es'],
];

/** The language for an E.164 number (`+6281…` or WhatsApp's `6281…`), or null when unknown. */
export function languageForPhone(phone: string | undefined): SupportedLanguage | null {
  const digits = (phone ?? '').replace(/\D/g, '');
  if (digits.length < 6) return null;
  let best: [string, SupportedLanguage] | undefined;
  for (const entry of PHONE_PREFIXES) {
    if (digits.startsWith(entry[0]) && (!best || entry[0].length > best[0].length)) best = entry;
  }
  return best ? best[1] : null;
}

/**
 * The customer's language: an explicit choice (`/lang`) wins, then Telegram's `language_code`,
 * then the WhatsApp number's country, else English.
 */
export function pickLanguage(input: {
  explicit?: string | null;
  telegramLanguageCode?: string | null;
  phone?: string | null;
}): SupportedLanguage {
  return (
    normalizeLanguage(input.explicit) ??
    normalizeLanguage(input.telegramLanguageCode) ??
    languageForPhone(input.phone ?? undefined) ??
    DEFAULT_LANGUAGE
  );
}
