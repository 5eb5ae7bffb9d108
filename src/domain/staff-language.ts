/** The language the team reads Parley's notices, cards and command answers in. */
import type { TenantSettings } from './records.js';

export const DEFAULT_STAFF_LANGUAGE = 'en';

/** The tenant's `staff_language` setting, English when unset. */
export function staffLanguage(settings: Pick<TenantSettings, 'staff_language'>): string {
  return settings.staff_language ?? DEFAULT_STAFF_LANGUAGE;
}
