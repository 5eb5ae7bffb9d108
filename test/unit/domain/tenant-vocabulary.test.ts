import { describe, expect, it } from 'vitest';
import { ParleyError } from '../../../src/domain/errors.js';
import {
  assertCategory,
  assertPhotoRule,
  assertPriority,
  defaultVocabulary,
  isImageMimeType,
  requiresPhoto,
  resolveVocabulary,
} from '../../../src/domain/tenant-vocabulary.js';
import { DEFAULT_CATEGORIES } from '../../../src/domain/vocabulary.js';

function thrown(fn: () => unknown): ParleyError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ParleyError);
    return e as ParleyError;
  }
  throw new Error('expected a ParleyError');
}

describe('defaultVocabulary', () => {
  it('has the 7 contract categories, only quality_issue requiring a photo', () => {
    const v = defaultVocabulary();
    expect(v.categories.map((c) => c.key)).toEqual([...DEFAULT_CATEGORIES]);
    expect(v.categories.filter((c) => c.requires_photo).map((c) => c.key)).toEqual([
      'quality_issue',
    ]);
    expect(v.priorities).toEqual(['low', 'medium', 'high', 'urgent']);
    expect(v.default_priority).toBe('medium');
  });

  it('returns a fresh copy each time', () => {
    const a = defaultVocabulary();
    a.categories.pop();
    a.priorities.pop();
    expect(defaultVocabulary().categories).toHaveLength(7);
    expect(defaultVocabulary().priorities).toHaveLength(4);
  });
});

describe('resolveVocabulary', () => {
  it('gives the defaults for no settings', () => {
    expect(resolveVocabulary(undefined)).toEqual(defaultVocabulary());
    expect(resolveVocabulary(null)).toEqual(defaultVocabulary());
    expect(resolveVocabulary({})).toEqual(defaultVocabulary());
    expect(resolveVocabulary({ categories: [], priorities: [] })).toEqual(defaultVocabulary());
  });

  it('replaces categories, keeping quality_issue photo rule for plain keys', () => {
    const v = resolveVocabulary({
      categories: ['quality_issue', 'delivery', { key: 'damage', requires_photo: true }],
    });
    expect(v.categories).toEqual([
      { key: 'quality_issue', requires_photo: true },
      { key: 'delivery', requires_photo: false },
      { key: 'damage', requires_photo: true },
    ]);
    expect(v.priorities).toEqual(defaultVocabulary().priorities);
  });

  it('lets a tenant switch the photo rule off and dedupes keys (first wins)', () => {
    const v = resolveVocabulary({
      categories: [{ key: 'quality_issue', requires_photo: false }, 'quality_issue'],
    });
    expect(v.categories).toEqual([{ key: 'quality_issue', requires_photo: false }]);
  });

  it('keeps priorities in contract order and picks a default', () => {
    expect(resolveVocabulary({ priorities: ['urgent', 'low', 'medium'] })).toMatchObject({
      priorities: ['low', 'medium', 'urgent'],
      default_priority: 'medium',
    });
    expect(resolveVocabulary({ priorities: ['urgent', 'high'] }).default_priority).toBe('high');
    expect(resolveVocabulary({ default_priority: 'low' }).default_priority).toBe('low');
  });

  it('rejects a default priority the tenant does not offer', () => {
    const err = thrown(() =>
      resolveVocabulary({ priorities: ['high', 'urgent'], default_priority: 'low' }),
    );
    expect(err.code).toBe('invalid_request');
  });
});

describe('assertCategory / assertPriority', () => {
  const v = defaultVocabulary();

  it('accepts known values', () => {
    expect(() => assertCategory(v, 'billing')).not.toThrow();
    expect(() => assertPriority(v, 'urgent')).not.toThrow();
  });

  it('rejects an unknown category listing the allowed ones', () => {
    const err = thrown(() => assertCategory(v, 'Billing'));
    expect(err.kind).toBe('invalid');
    expect(err.code).toBe('invalid_request');
    for (const c of DEFAULT_CATEGORIES) expect(err.message).toContain(c);
    expect(err.details).toEqual({ field: 'category', allowed: [...DEFAULT_CATEGORIES] });
  });

  it('rejects a priority the tenant does not offer', () => {
    const limited = resolveVocabulary({ priorities: ['medium', 'high'] });
    const err = thrown(() => assertPriority(limited, 'urgent'));
    expect(err.kind).toBe('invalid');
    expect(err.code).toBe('invalid_request');
    expect(err.message).toContain('medium, high');
    expect(() => assertPriority(v, 'critical')).toThrow(ParleyError);
  });
});

describe('requiresPhoto', () => {
  it('follows the vocabulary; unknown categories need none', () => {
    const v = defaultVocabulary();
    expect(requiresPhoto(v, 'quality_issue')).toBe(true);
    expect(requiresPhoto(v, 'billing')).toBe(false);
    expect(requiresPhoto(v, 'nope')).toBe(false);
  });
});

describe('assertPhotoRule', () => {
  const vocab = defaultVocabulary();

  it('requires an image for quality_issue', () => {
    for (const attachments of [undefined, null, [], [{ mime_type: 'application/pdf' }]]) {
      const err = thrown(() => assertPhotoRule({ vocab, category: 'quality_issue', attachments }));
      expect(err.kind).toBe('unprocessable');
      expect(err.code).toBe('photo_required');
    }
  });

  it('accepts any image/* attachment among others, case-insensitively', () => {
    for (const mime of ['image/jpeg', 'image/png', 'IMAGE/WEBP', 'image/heic']) {
      expect(() =>
        assertPhotoRule({
          vocab,
          category: 'quality_issue',
          attachments: [{ mime_type: 'text/plain' }, { mime_type: mime }],
        }),
      ).not.toThrow();
    }
  });

  it('does not require anything for other categories', () => {
    expect(() => assertPhotoRule({ vocab, category: 'billing', attachments: [] })).not.toThrow();
  });

  it('isImageMimeType rejects look-alikes', () => {
    expect(isImageMimeType('image/')).toBe(false);
    expect(isImageMimeType('video/mp4')).toBe(false);
    expect(isImageMimeType('application/image')).toBe(false);
    expect(isImageMimeType('image/svg+xml')).toBe(true);
  });
});
