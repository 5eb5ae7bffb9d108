import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REACTION_SHORTCUTS,
  cannedReplyNames,
  fillPlaceholders,
  pickCannedText,
  reactionShortcuts,
  shortcutCommand,
  unknownPlaceholders,
} from '../../../src/domain/canned-replies.js';

const REPLIES = {
  thanks: { en: 'Thanks, {{customer_name}}!', es: '¡Gracias, {{customer_name}}!' },
  delay: { en: 'Your order is late.' },
};

describe('pickCannedText', () => {
  it('takes the first language the reply has, else English', () => {
    expect(pickCannedText(REPLIES, 'thanks', ['es', 'hi'])).toEqual({
      language: 'es',
      text: '¡Gracias, {{customer_name}}!',
    });
    expect(pickCannedText(REPLIES, 'thanks', [null, 'es'])?.language).toBe('es');
    expect(pickCannedText(REPLIES, 'delay', ['es'])).toEqual({
      language: 'en',
      text: 'Your order is late.',
    });
    expect(pickCannedText(REPLIES, 'thanks', [])?.language).toBe('en');
  });

  it('is null for an unknown name, including inherited object keys', () => {
    expect(pickCannedText(REPLIES, 'nope', ['en'])).toBeNull();
    expect(pickCannedText(REPLIES, 'constructor', ['en'])).toBeNull();
    expect(pickCannedText(undefined, 'thanks', ['en'])).toBeNull();
  });

  it('lists names sorted', () => {
    expect(cannedReplyNames(REPLIES)).toEqual(['delay', 'thanks']);
    expect(cannedReplyNames(undefined)).toEqual([]);
  });
});

describe('fillPlaceholders', () => {
  const values = { customer_name: 'Asha', ticket_number: 'TK-2026-00042', agent_name: 'Ravi' };

  it('fills the three placeholders, with or without inner spaces, every time they occur', () => {
    expect(
      fillPlaceholders(
        'Hi {{customer_name}}, {{ ticket_number }} is with {{agent_name}}. Bye {{customer_name}}',
        values,
      ),
    ).toBe('Hi Asha, TK-2026-00042 is with Ravi. Bye Asha');
  });

  it('drops an unknown value tidily: no space before punctuation or between words twice', () => {
    const noName = { ...values, customer_name: null };
    expect(fillPlaceholders('Hi {{customer_name}}, thanks', noName)).toBe('Hi, thanks');
    expect(fillPlaceholders('Dear {{customer_name}} we are on it', noName)).toBe(
      'Dear we are on it',
    );
    expect(fillPlaceholders('Thanks {{customer_name}}', noName)).toBe('Thanks');
    expect(fillPlaceholders('Thanks {{customer_name}}!', { customer_name: '  ' })).toBe('Thanks!');
  });

  it('leaves unknown placeholders as written and does not re-expand filled values', () => {
    expect(fillPlaceholders('{{order}} for {{customer_name}}', values)).toBe('{{order}} for Asha');
    expect(
      fillPlaceholders('Hi {{customer_name}}', {
        customer_name: '{{agent_name}}',
        agent_name: 'X',
      }),
    ).toBe('Hi {{agent_name}}');
  });

  it('reports unknown placeholders (typos) once each', () => {
    expect(unknownPlaceholders('{{custmer_name}} {{ticket_number}} {{custmer_name}}')).toEqual([
      'custmer_name',
    ]);
    expect(unknownPlaceholders('{{customer_name}} {{agent_name}}')).toEqual([]);
  });
});

describe('reaction shortcuts', () => {
  it('defaults to 👀 claim and ✅ resolve answered; a tenant map replaces them', () => {
    expect(reactionShortcuts({})).toEqual({ eyes: 'claim', white_check_mark: 'resolve answered' });
    expect(reactionShortcuts({ reaction_shortcuts: {} })).toEqual({});
    expect(shortcutCommand(DEFAULT_REACTION_SHORTCUTS, 'eyes')).toBe('claim');
    expect(shortcutCommand(DEFAULT_REACTION_SHORTCUTS, 'tada')).toBeNull();
    expect(shortcutCommand(DEFAULT_REACTION_SHORTCUTS, 'toString')).toBeNull();
  });

  it('a skin-toned emoji falls back to its base name unless it is mapped itself', () => {
    const map = { thumbsup: 'claim', 'thumbsup::skin-tone-5': 'status in_progress' };
    expect(shortcutCommand(map, 'thumbsup::skin-tone-2')).toBe('claim');
    expect(shortcutCommand(map, 'thumbsup::skin-tone-5')).toBe('status in_progress');
  });
});
