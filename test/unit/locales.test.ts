import { describe, expect, it } from 'vitest';
import { LEXICON_LANGUAGES } from '../../src/engine/lexicon.js';
import {
  createTranslator,
  languageForPhone,
  loadLocaleResources,
  pickLanguage,
  SUPPORTED_LANGUAGES,
} from '../../src/locales.js';

const resources = loadLocaleResources();

function flatten(tree: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (tree && typeof tree === 'object' && !Array.isArray(tree)) {
    for (const [k, v] of Object.entries(tree)) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (v && typeof v === 'object') flatten(v, key).forEach((value, sub) => out.set(sub, value));
      else out.set(key, v);
    }
  }
  return out;
}

function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/{{\s*([^}]+?)\s*}}/g)].map((m) => m[1] ?? ''))].sort();
}

const namespaces = Object.keys(resources.en ?? {});

describe('locales', () => {
  it('has the bot, keywords and staff namespaces in every supported language', () => {
    expect(namespaces.sort()).toEqual(['bot', 'keywords', 'staff']);
    for (const lang of SUPPORTED_LANGUAGES)
      expect(Object.keys(resources[lang] ?? {}).sort()).toEqual(namespaces);
    expect([...LEXICON_LANGUAGES].sort()).toEqual([...SUPPORTED_LANGUAGES].sort());
  });

  describe.each(SUPPORTED_LANGUAGES.filter((l) => l !== 'en'))('%s', (lang) => {
    it.each(namespaces)('has exactly the keys of en in %s, with the same placeholders', (ns) => {
      const english = flatten(resources.en?.[ns]);
      const other = flatten(resources[lang]?.[ns]);
      expect([...other.keys()].sort()).toEqual([...english.keys()].sort());
      for (const [key, value] of english) {
        expect(typeof other.get(key), `${lang}:${ns}:${key}`).toBe('string');
        expect(placeholders(String(other.get(key))), `${lang}:${ns}:${key}`).toEqual(
          placeholders(String(value)),
        );
      }
    });
  });

  it.each(SUPPORTED_LANGUAGES)('%s has no empty strings and only string values', (lang) => {
    for (const ns of namespaces) {
      for (const [key, value] of flatten(resources[lang]?.[ns])) {
        expect(typeof value, `${lang}:${ns}:${key}`).toBe('string');
        expect(String(value).trim().length, `${lang}:${ns}:${key}`).toBeGreaterThan(0);
      }
    }
  });

  it.each(SUPPORTED_LANGUAGES)('%s button and list labels fit WhatsApp (20 chars)', (lang) => {
    const bot = flatten(resources[lang]?.bot);
    for (const [key, value] of bot) {
      if (/^(button|category|language\.name)\./.test(key) || /^csat\.rating_/.test(key)) {
        expect([...String(value)].length, `${lang}:${key}`).toBeLessThanOrEqual(20);
      }
    }
  });
});

it.each(SUPPORTED_LANGUAGES)('%s Slack modal titles and buttons fit Slack (24 chars)', (lang) => {
  const staff = flatten(resources[lang]?.staff);
  for (const [key, value] of staff) {
    if (/^card\.modal\.(title|submit)\./.test(key) || key === 'card.modal.cancel') {
      expect([...String(value)].length, `${lang}:${key}`).toBeLessThanOrEqual(24);
    }
  }
});

describe('createTranslator', () => {
  const translator = createTranslator({ resources });

  it('interpolates without escaping and falls back to English', () => {
    expect(
      translator.t('es', 'intake.opened', { number: 'TK-2026-00042', target: '2 horas' }),
    ).toBe('Ticket TK-2026-00042 abierto, le responderemos en un plazo de 2 horas.');
    expect(translator.t('fr', 'button.yes')).toBe('Yes');
    expect(
      translator.t('en', 'status.line.other', { number: 'A', subject: '<b>&', status: 'x' }),
    ).toBe('A · <b>& — x');
    expect(translator.t('zh', 'category.spare_parts')).toBe('Spare parts');
  });

  it('formats the first-response target in the customer language', () => {
    expect(translator.duration('en', 3600)).toBe('60 minutes');
    expect(translator.duration('en', 4 * 3600)).toBe('4 hours');
    expect(translator.duration('en', 60)).toBe('1 minute');
    expect(translator.duration('en', 10)).toBe('10 seconds');
    expect(translator.duration('es', 1)).toBe('1 segundo');
    expect(translator.duration('es', 3 * 86400)).toBe('3 días');
    expect(translator.duration('zh', 8 * 3600)).toBe('8 小时');
  });
});

describe('pickLanguage', () => {
  it('prefers the explicit choice, then Telegram language_code, then the phone country', () => {
    expect(pickLanguage({ explicit: 'hi', telegramLanguageCode: 'es', phone: '+6281' })).toBe('hi');
    expect(pickLanguage({ telegramLanguageCode: 'zh-hans' })).toBe('zh');
    expect(pickLanguage({ telegramLanguageCode: 'es-419' })).toBe('es');
    expect(pickLanguage({ telegramLanguageCode: 'id' })).toBe('id');
    expect(pickLanguage({ telegramLanguageCode: 'ru', phone: '+34600111222' })).toBe('es');
    expect(pickLanguage({ telegramLanguageCode: 'ru' })).toBe('en');
    expect(pickLanguage({ explicit: 'klingon' })).toBe('en');
    expect(pickLanguage({})).toBe('en');
  });

  it.each([
    ['+6281234567890', 'id'],
    ['6281234567890', 'id'],
    ['+8613800138000', 'zh'],
    ['+5215512345678', 'es'],
    ['+541112345678', 'es'],
    ['+593987654321', 'es'],
    ['+18095551234', 'es'],
    ['+12125551234', null],
    ['+919876543210', null],
    ['+4915112345678', null],
    ['', null],
  ])('%s → %s', (phone, language) => {
    expect(languageForPhone(phone)).toBe(language);
  });
});

describe('keys named in the code', () => {
  it('every literal key passed to t(…) or say(…) in src/ exists in en (bot, or staff)', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const path = await import('node:path');
    const files = (await readdir('src', { recursive: true }))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => path.join('src', f));
    const en = new Map([...flatten(resources.en?.bot), ...flatten(resources.en?.staff)]);
    const used = new Set<string>();
    const call = /\b(?:t|say|sayEffect)\(\s*(?:[\w.'"]+,\s*)?'([a-z_]+(?:\.[a-z_]+)+)'/g;
    for (const file of files) {
      for (const m of (await readFile(file, 'utf8')).matchAll(call)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(5); // the scan finds the bot's keys at all
    const exists = (key: string) => en.has(key) || en.has(`${key}_other`); // i18next plurals
    expect([...used].filter((key) => !exists(key))).toEqual([]);
  });
});
