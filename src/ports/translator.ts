/** Localized text for customers (i18next behind it; see src/locales.ts). */
export interface Translator {
  readonly languages: readonly string[];
  /** `key` in the `bot` namespace; unknown languages fall back to English. */
  t(language: string, key: string, params?: Record<string, string | number>): string;
  /** "2 hours", "30 minutes" in `language`, for "we answer within …". */
  duration(language: string, seconds: number): string;
  /** "Monday 09:30" in `language`, on the wall clock of `timeZone`, for "we answer by …". */
  dateTime(language: string, at: Date, timeZone: string): string;
  /** The language to greet a new customer in, from what the platform tells us. */
  pickLanguage(hints: { explicit?: string; telegramLanguageCode?: string; phone?: string }): string;
}
