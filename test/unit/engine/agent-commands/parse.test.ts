import { describe, expect, it } from 'vitest';
import {
  type ParseError,
  type ParsedCommand,
  isParseError,
  parseAgentCommand,
} from '../../../../src/engine/agent-commands/parse.js';

const THREAD = { threadTicketRef: 'TK-2026-00042' };

function ok(text: string, opts = {}): ParsedCommand {
  const result = parseAgentCommand(text, opts);
  if (isParseError(result)) throw new Error(`expected a command, got: ${result.text}`);
  return result;
}

function bad(text: string, opts = {}): ParseError {
  const result = parseAgentCommand(text, opts);
  if (!isParseError(result)) throw new Error(`expected an error, got ${JSON.stringify(result)}`);
  expect(result.ok).toBe(false);
  expect(result.text).toBe(`${result.error}\n${result.usage}`);
  return result;
}

describe('verbs and layout', () => {
  it('reads verbs case-insensitively and tolerates extra whitespace', () => {
    expect(ok('  CLAIM    TK-2026-00042  ')).toEqual({ verb: 'claim', ref: 'TK-2026-00042' });
    expect(ok('Show\t#7')).toEqual({ verb: 'show', ref: '#7' });
    expect(ok('\n close \n 42 \n')).toEqual({ verb: 'close', ref: '42' });
  });

  it('ignores a /ticket prefix (Slack, Telegram with @bot) and a leading slash on the verb', () => {
    expect(ok('/ticket claim 42')).toEqual({ verb: 'claim', ref: '42' });
    expect(ok('/ticket@ParleyBot show 42')).toEqual({ verb: 'show', ref: '42' });
    expect(ok('/claim@ParleyBot 42')).toEqual({ verb: 'claim', ref: '42' });
  });

  it('answers an empty command with help', () => {
    expect(ok('')).toEqual({ verb: 'help' });
    expect(ok('   ')).toEqual({ verb: 'help' });
    expect(ok('/ticket')).toEqual({ verb: 'help' });
  });

  it('rejects unknown verbs with a suggestion and the list of commands', () => {
    const e = bad('asign 42 me');
    expect(e.verb).toBeNull();
    expect(e.error).toContain('Unknown command "asign"');
    expect(e.error).toContain('Did you mean assign?');
    expect(e.usage).toMatch(/^Commands: help, list, show, reply/);
    expect(bad('frobnicate').error).not.toContain('Did you mean');
  });
});

describe('help', () => {
  it('takes an optional command', () => {
    expect(ok('help')).toEqual({ verb: 'help' });
    expect(ok('HELP Resolve')).toEqual({ verb: 'help', topic: 'resolve' });
  });
  it('rejects an unknown topic and extra words', () => {
    expect(bad('help nope').error).toBe('Unknown command "nope"');
    expect(bad('help list mine').error).toBe('Unexpected "mine" at the end');
  });
});

describe('list', () => {
  it('defaults to open and takes mine|open|overdue|unassigned', () => {
    expect(ok('list')).toEqual({ verb: 'list', scope: 'open' });
    for (const scope of ['mine', 'open', 'overdue', 'unassigned']) {
      expect(ok(`list ${scope.toUpperCase()}`)).toEqual({ verb: 'list', scope });
    }
  });
  it('rejects other scopes with the usage line', () => {
    const e = bad('list everything');
    expect(e.verb).toBe('list');
    expect(e.error).toContain('Unknown list "everything"');
    expect(e.usage).toBe('Usage: list [mine|open|overdue|unassigned]');
    expect(bad('list mine please').error).toBe('Unexpected "please" at the end');
  });
});

describe('ticket references', () => {
  it('accepts TK numbers, bare and # numbers and ids, as typed', () => {
    expect(ok('show tk-2026-42')).toEqual({ verb: 'show', ref: 'tk-2026-42' });
    expect(ok('show 42')).toEqual({ verb: 'show', ref: '42' });
    expect(ok('show #42')).toEqual({ verb: 'show', ref: '#42' });
    const id = '0b6f3a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
    expect(ok(`show ${id}`)).toEqual({ verb: 'show', ref: id });
  });

  it('asks which ticket when the reference is missing or malformed', () => {
    const missing = bad('show');
    expect(missing.error).toContain('Which ticket?');
    expect(missing.usage).toBe('Usage: show <ref>');
    expect(bad('show TK-42').error).toContain('"TK-42" is not a ticket reference');
    expect(bad('show 0').error).toContain('"0" is not a ticket reference');
  });

  it('takes the thread ticket when the reference is left out', () => {
    for (const verb of ['show', 'claim', 'close', 'reopen', 'watch', 'unwatch'] as const) {
      expect(ok(verb, THREAD)).toEqual({ verb, ref: 'TK-2026-00042' });
    }
    expect(ok('claim 7', THREAD)).toEqual({ verb: 'claim', ref: '7' });
  });

  it('rejects extra words after a reference-only verb', () => {
    expect(bad('close 42 now').error).toBe('Unexpected "now" at the end');
    expect(bad('close please', THREAD).error).toBe('Unexpected "please" at the end');
    expect(bad('watch 42 43').usage).toBe('Usage: watch <ref>');
  });
});

describe('reply and note', () => {
  it('keep the text exactly: unicode, newlines, inner spacing', () => {
    const text = 'Namasté 🙏  — your refund\nis on its way.\n\n  Regards,\n  Anna';
    expect(ok(`reply 42 ${text}`)).toEqual({ verb: 'reply', ref: '42', text });
    expect(ok(`NOTE TK-2026-00042    ${text}`)).toEqual({
      verb: 'note',
      ref: 'TK-2026-00042',
      text,
    });
  });

  it('drops only the separator before the text and trailing whitespace', () => {
    expect(ok('reply 42\n    indented first line\n')).toEqual({
      verb: 'reply',
      ref: '42',
      text: '    indented first line',
    });
  });

  it('in a thread, text may start right after the verb', () => {
    expect(ok('reply Thanks, on it!', THREAD)).toEqual({
      verb: 'reply',
      ref: 'TK-2026-00042',
      text: 'Thanks, on it!',
    });
  });

  it('in a thread, a bare number starting the text stays text unless it is this ticket', () => {
    expect(ok('reply 3 boxes ship today', THREAD)).toEqual({
      verb: 'reply',
      ref: 'TK-2026-00042',
      text: '3 boxes ship today',
    });
    expect(ok('note 42 checked the logs', THREAD)).toEqual({
      verb: 'note',
      ref: '42',
      text: 'checked the logs',
    });
    expect(ok('reply #3 boxes ship today', THREAD)).toEqual({
      verb: 'reply',
      ref: '#3',
      text: 'boxes ship today',
    });
    expect(ok('reply TK-2026-00003 hello', THREAD)).toMatchObject({ ref: 'TK-2026-00003' });
  });

  it('outside a thread, a bare number is the reference', () => {
    expect(ok('reply 3 boxes ship today')).toEqual({
      verb: 'reply',
      ref: '3',
      text: 'boxes ship today',
    });
  });

  it('need text and a reference', () => {
    expect(bad('reply 42').error).toContain('What should the reply say?');
    expect(bad('note 42   \n ').error).toContain('What should the note say?');
    expect(bad('reply', THREAD).usage).toBe('Usage: reply <ref> <text>');
    expect(bad('reply hello there').error).toContain('"hello" is not a ticket reference');
  });
});
