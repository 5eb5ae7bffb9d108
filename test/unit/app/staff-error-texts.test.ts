/**
 * A refusal an agent reads in Slack or Telegram (`/ticket resolve 42` without a code, an agent
 * reopening a closed ticket…) is in the team's `staff_language`: each `ErrorText` key the use
 * cases throw exists in the `staff` namespace's `error` section, filled in, in every language.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { staffErrorText } from '../../../src/app/staff-text.js';
import type { Actor } from '../../../src/domain/actor.js';
import { ParleyError } from '../../../src/domain/errors.js';
import {
  assertCanDecideApproval,
  assertResolution,
  decideResolution,
} from '../../../src/domain/resolution-rules.js';
import {
  assertCategory,
  assertPhotoRule,
  assertPriority,
  defaultVocabulary,
} from '../../../src/domain/tenant-vocabulary.js';
import { assertTransition } from '../../../src/domain/ticket-transitions.js';
import { SUPPORTED_LANGUAGES, createStaffTranslator } from '../../../src/locales.js';

const agent: Actor = { type: 'agent', id: 'a1', role: 'agent' };
const engineer: Actor = { type: 'agent', id: 'e1', role: 'engineer' };
const customer: Actor = { type: 'customer', id: 'c1' };

function thrown(fn: () => void): ParleyError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ParleyError) return err;
    throw err;
  }
  throw new Error('expected a ParleyError');
}

/** One refusal per rule the domain explains to an agent. */
function domainRefusals(): ParleyError[] {
  const vocab = defaultVocabulary();
  return [
    thrown(() => assertTransition('closed', 'in_progress', agent)),
    thrown(() => assertTransition('new', 'closed', agent)),
    thrown(() => assertTransition('new', 'awaiting_customer', engineer)),
    thrown(() => assertResolution(undefined)),
    thrown(() => assertResolution({ code: 'vanished' as never })),
    thrown(() => decideResolution({ resolution: { code: 'answered' }, actor: customer })),
    thrown(() =>
      decideResolution({
        resolution: { code: 'refund' },
        actor: agent,
        approval: { code: 'refund', status: 'pending' } as never,
      }),
    ),
    thrown(() => assertCanDecideApproval(agent)),
    thrown(() => assertCategory(vocab, 'weather')),
    thrown(() => assertPriority(vocab, 'extreme')),
    thrown(() => assertPhotoRule({ vocab, category: 'quality_issue', attachments: [] })),
  ];
}

/** Every `key: '…'` an ErrorText carries in src/ (the use cases' refusals too). */
async function keysInSource(): Promise<string[]> {
  const keys = new Set<string>();
  const root = path.resolve('src');
  for (const file of await readdir(root, { recursive: true })) {
    if (!file.endsWith('.ts')) continue;
    const source = await readFile(path.join(root, file), 'utf8');
    if (!/\b(ParleyError|forbidden|invalid|notFound|conflict|businessRule)\(/.test(source))
      continue;
    for (const match of source.matchAll(/\bkey: '([a-z_]+)'/g)) keys.add(match[1]!);
  }
  return [...keys].sort();
}

describe('staff error texts', () => {
  const missing: string[] = [];
  const staff = createStaffTranslator({
    onMissingKey: (lng, key) => missing.push(`${lng}:${key}`),
  });

  it('every refusal of the domain carries a staff text', () => {
    for (const err of domainRefusals()) expect(err.text, err.message).toBeDefined();
  });

  it('every ErrorText key in src/ is in English', async () => {
    const english = (
      JSON.parse(await readFile('locales/en/staff.json', 'utf8')) as {
        error: Record<string, string>;
      }
    ).error;
    const keys = await keysInSource();
    expect(keys.length).toBeGreaterThan(20);
    expect(keys.filter((key) => !(key in english))).toEqual([]);
  });

  it.each(SUPPORTED_LANGUAGES)('%s: each refusal reads as a filled-in sentence', (lang) => {
    missing.length = 0;
    const t = staff.forLanguage(lang);
    for (const err of domainRefusals()) {
      const text = staffErrorText(t, err);
      expect(text, err.message).not.toMatch(/{{|}}|^error\./);
      if (lang !== 'en') expect(text, err.message).not.toBe(err.message);
      for (const value of Object.values(err.text?.params ?? {})) {
        expect(text, err.message).toContain(String(value));
      }
    }
    expect(missing).toEqual([]);
  });

  it('an error without a staff text keeps its message', () => {
    const err = new ParleyError('invalid', 'invalid_request', 'plain English');
    expect(staffErrorText(staff.forLanguage('es'), err)).toBe('plain English');
  });
});
