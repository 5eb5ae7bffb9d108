import { businessRule, invalid } from './errors.js';
import { DEFAULT_CATEGORIES, PRIORITIES, type Priority } from './vocabulary.js';

/** A tenant's categories and priorities (CONTRACT.md, "Vocabulary": default categories). */
export interface TenantVocabulary {
  categories: { key: string; requires_photo: boolean }[];
  priorities: Priority[];
  default_priority: Priority;
}

/**
 * What a tenant may store in its settings. Categories may be plain keys; a plain key takes
 * `requires_photo` from the default category of the same name (false for new ones).
 */
export interface TenantVocabularySettings {
  categories?: (string | { key: string; requires_photo?: boolean })[];
  priorities?: Priority[];
  default_priority?: Priority;
}

const PHOTO_CATEGORIES: readonly string[] = ['quality_issue'];

export function defaultVocabulary(): TenantVocabulary {
  return {
    categories: DEFAULT_CATEGORIES.map((key) => ({
      key,
      requires_photo: PHOTO_CATEGORIES.includes(key),
    })),
    priorities: [...PRIORITIES],
    default_priority: 'medium',
  };
}

/**
 * The tenant's vocabulary: each field the tenant set replaces the default one (a tenant's
 * category list replaces the default list; it does not add to it). Empty lists fall back to
 * the defaults. Duplicate category keys: the first wins. Priorities keep the contract's order.
 * When the default priority is not set and `medium` is not offered, the lowest offered one is
 * the default; a `default_priority` outside the offered priorities throws `invalid_request`.
 */
export function resolveVocabulary(
  settings: TenantVocabularySettings | null | undefined,
): TenantVocabulary {
  const base = defaultVocabulary();
  if (!settings) return base;

  let categories = base.categories;
  if (settings.categories && settings.categories.length > 0) {
    const seen = new Set<string>();
    categories = [];
    for (const c of settings.categories) {
      const key = typeof c === 'string' ? c : c.key;
      if (seen.has(key)) continue;
      seen.add(key);
      const requires_photo =
        typeof c === 'string' || c.requires_photo === undefined
          ? PHOTO_CATEGORIES.includes(key)
          : c.requires_photo;
      categories.push({ key, requires_photo });
    }
  }

  const offered = settings.priorities?.length ? new Set(settings.priorities) : null;
  const priorities = offered ? PRIORITIES.filter((p) => offered.has(p)) : base.priorities;

  const fallback: Priority = priorities.includes('medium') ? 'medium' : (priorities[0] ?? 'medium');
  const default_priority = settings.default_priority ?? fallback;
  if (!priorities.includes(default_priority)) {
    throw invalid(
      `Default priority "${default_priority}" is not one of the tenant's priorities: ${priorities.join(', ')}`,
      { field: 'default_priority', allowed: priorities },
    );
  }
  return { categories, priorities, default_priority };
}

export function categoryKeys(vocab: TenantVocabulary): string[] {
  return vocab.categories.map((c) => c.key);
}

/** Throws `invalid`/`invalid_request` unless `category` is one of the tenant's categories. */
export function assertCategory(vocab: TenantVocabulary, category: string): void {
  const allowed = categoryKeys(vocab);
  if (!allowed.includes(category)) {
    throw invalid(
      `Unknown category "${category}"; allowed: ${allowed.join(', ')}`,
      { field: 'category', allowed },
      { key: 'unknown_category', params: { category, allowed: allowed.join(', ') } },
    );
  }
}

/** Throws `invalid`/`invalid_request` unless `priority` is one of the tenant's priorities. */
export function assertPriority(
  vocab: TenantVocabulary,
  priority: string,
): asserts priority is Priority {
  if (!(vocab.priorities as readonly string[]).includes(priority)) {
    const allowed = vocab.priorities.join(', ');
    throw invalid(
      `Unknown priority "${priority}"; allowed: ${allowed}`,
      { field: 'priority', allowed: [...vocab.priorities] },
      { key: 'unknown_priority', params: { priority, allowed } },
    );
  }
}

/** Whether a ticket in `category` needs a photo; unknown categories need none. */
export function requiresPhoto(vocab: TenantVocabulary, category: string): boolean {
  return vocab.categories.some((c) => c.key === category && c.requires_photo);
}

export function isImageMimeType(mimeType: string): boolean {
  return /^image\/[^\s/;]+\s*(;.*)?$/i.test(mimeType.trim());
}

/**
 * Throws `unprocessable`/`photo_required` when the category needs a photo and none of the
 * attachments is an image (mime type `image/*`, case-insensitive).
 */
export function assertPhotoRule(input: {
  vocab: TenantVocabulary;
  category: string;
  attachments: readonly { mime_type: string }[] | null | undefined;
}): void {
  const { vocab, category, attachments } = input;
  if (!requiresPhoto(vocab, category)) return;
  if ((attachments ?? []).some((a) => isImageMimeType(a.mime_type))) return;
  throw businessRule('photo_required', `A ticket in category "${category}" needs a photo`, {
    key: 'photo_required',
    params: { category },
  });
}
