/**
 * Localized text for the team (agents, supervisors, managers): the `staff` namespace under
 * locales/ (i18next behind it; see src/locales.ts). The language is the tenant's
 * `staff_language` setting (src/domain/staff-language.ts), not a customer's.
 */

/** A `staff` key in one language; `count` picks the plural form. */
export type StaffT = (key: string, params?: Record<string, string | number>) => string;

export interface StaffTranslator {
  readonly languages: readonly string[];
  /** The texts of `language`; unsupported languages fall back to English. */
  forLanguage(language: string): StaffT;
}
