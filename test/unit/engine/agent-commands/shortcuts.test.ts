import { describe, expect, it } from 'vitest';
import {
  parseShortcut,
  shortcutCommandLine,
  shortcutProblem,
} from '../../../../src/engine/agent-commands/shortcuts.js';

describe('reaction shortcut commands', () => {
  it('put the ticket reference after the verb', () => {
    expect(shortcutCommandLine('resolve answered', 'TK-2026-00042')).toBe(
      'resolve TK-2026-00042 answered',
    );
    expect(shortcutCommandLine('  claim ', '#3')).toBe('claim #3 ');
    expect(shortcutCommandLine('   ', '#3')).toBe('');
  });

  it('parse into the command on that ticket', () => {
    expect(parseShortcut('claim', 'TK-2026-00042')).toEqual({
      verb: 'claim',
      ref: 'TK-2026-00042',
    });
    expect(parseShortcut('Resolve answered', '#9')).toEqual({
      verb: 'resolve',
      ref: '#9',
      code: 'answered',
    });
    expect(parseShortcut('canned thanks', '#9')).toEqual({
      verb: 'canned',
      ref: '#9',
      name: 'thanks',
    });
    // Reply text that starts with a number stays text.
    expect(parseShortcut('reply 3 parcels are on the way', '#9')).toEqual({
      verb: 'reply',
      ref: '#9',
      text: '3 parcels are on the way',
    });
  });

  it('accept the grammar after a reference and say what is wrong otherwise', () => {
    for (const ok of [
      'claim',
      'resolve answered',
      'status awaiting_customer',
      'priority urgent',
      'assign me',
      'watch',
    ]) {
      expect(shortcutProblem(ok)).toBeNull();
    }
    expect(shortcutProblem('')).toBe('the command is empty');
    expect(shortcutProblem('help')).toBe('"help" does not act on a ticket');
    expect(shortcutProblem('list mine')).toBe('"list" does not act on a ticket');
    expect(shortcutProblem('claim 42')).toBe('Unexpected "42" at the end');
    expect(shortcutProblem('resolve')).toContain('resolution code');
    expect(shortcutProblem('resolve maybe')).toContain('maybe');
    expect(shortcutProblem('explode')).toContain('Unknown command "explode"');
  });
});
