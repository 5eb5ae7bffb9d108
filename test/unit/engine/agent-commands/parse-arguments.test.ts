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

describe('status and priority', () => {
  it('take the contract vocabulary, case-insensitive, - read as _', () => {
    expect(ok('status 42 awaiting_customer')).toEqual({
      verb: 'status',
      ref: '42',
      status: 'awaiting_customer',
    });
    expect(ok('status In-Progress', THREAD)).toEqual({
      verb: 'status',
      ref: 'TK-2026-00042',
      status: 'in_progress',
    });
    expect(ok('priority #9 URGENT')).toEqual({ verb: 'priority', ref: '#9', priority: 'urgent' });
    expect(ok('priority low', THREAD)).toMatchObject({ ref: 'TK-2026-00042', priority: 'low' });
  });

  it('reject unknown values, missing values and extra words', () => {
    const e = bad('status 42 done');
    expect(e.error).toBe(
      'Unknown status "done"; one of: new, assigned, in_progress, awaiting_customer, resolved, closed',
    );
    expect(e.usage).toBe('Usage: status <ref> <status>');
    expect(bad('status 42').error).toContain('Which status?');
    expect(bad('priority 42 critical').usage).toBe('Usage: priority <ref> <priority>');
    expect(bad('priority 42 high now').error).toBe('Unexpected "now" at the end');
  });
});

describe('assign', () => {
  it('accepts me, Slack mentions, Telegram usernames and emails', () => {
    expect(ok('assign 42 me')).toEqual({ verb: 'assign', ref: '42', user: { kind: 'me' } });
    expect(ok('assign 42 ME')).toMatchObject({ user: { kind: 'me' } });
    expect(ok('assign 42 <@U123ABC>')).toEqual({
      verb: 'assign',
      ref: '42',
      user: { kind: 'slack', userId: 'U123ABC' },
    });
    expect(ok('assign 42 <@U123ABC|anna smith>')).toMatchObject({
      user: { kind: 'slack', userId: 'U123ABC', label: 'anna smith' },
    });
    expect(ok('assign 42 @anna_k')).toMatchObject({
      user: { kind: 'username', username: 'anna_k' },
    });
    expect(ok('assign 42 Anna@Example.com')).toMatchObject({
      user: { kind: 'email', email: 'anna@example.com' },
    });
    expect(ok('assign 42 <mailto:anna@example.com|anna@example.com>')).toMatchObject({
      user: { kind: 'email', email: 'anna@example.com' },
    });
  });

  it('takes the thread ticket when the first word is a person', () => {
    expect(ok('assign <@U9|sam>', THREAD)).toEqual({
      verb: 'assign',
      ref: 'TK-2026-00042',
      user: { kind: 'slack', userId: 'U9', label: 'sam' },
    });
    expect(ok('assign me', THREAD)).toMatchObject({ ref: 'TK-2026-00042', user: { kind: 'me' } });
  });

  it('rejects what is not a person, a missing person and extra words', () => {
    const e = bad('assign 42 anna');
    expect(e.error).toContain('"anna" is not a person');
    expect(e.usage).toBe('Usage: assign <ref> <@user|me>');
    expect(bad('assign 42').error).toContain('Who?');
    expect(bad('assign 42 <@U1> <@U2>').error).toBe('Unexpected "<@U2>" at the end');
    expect(bad('assign 42 <@u-1!>').error).toContain('is not a Slack user mention');
  });
});

describe('resolve', () => {
  it('takes a resolution code and optional notes kept exactly', () => {
    expect(ok('resolve 42 fixed')).toEqual({ verb: 'resolve', ref: '42', code: 'fixed' });
    expect(ok('resolve 42 Credit-Note  issued CN-7 ✓\nthanks')).toEqual({
      verb: 'resolve',
      ref: '42',
      code: 'credit_note',
      notes: 'issued CN-7 ✓\nthanks',
    });
    expect(ok('resolve refund approved by Sam', THREAD)).toEqual({
      verb: 'resolve',
      ref: 'TK-2026-00042',
      code: 'refund',
      notes: 'approved by Sam',
    });
  });

  it('rejects a missing or unknown code', () => {
    expect(bad('resolve 42').error).toContain('Which resolution code?');
    const e = bad('resolve 42 done and dusted');
    expect(e.error).toContain('Unknown resolution code "done"');
    expect(e.usage).toBe('Usage: resolve <ref> <code> [notes]');
  });
});

describe('link', () => {
  it('reads key=value pairs, quoted values with spaces, and key= to clear', () => {
    expect(ok('link 42 order_ref=A-1 invoice_ref="INV 2026/7" batch_ref=')).toEqual({
      verb: 'link',
      ref: '42',
      links: { order_ref: 'A-1', invoice_ref: 'INV 2026/7', batch_ref: null },
    });
    expect(ok("link STORE_REF=“Main St. 4”  crm_contact_id='c 9'", THREAD)).toEqual({
      verb: 'link',
      ref: 'TK-2026-00042',
      links: { store_ref: 'Main St. 4', crm_contact_id: 'c 9' },
    });
    expect(ok('link 42 product_sku="say \\"hi\\"" order_ref=""')).toEqual({
      verb: 'link',
      ref: '42',
      links: { product_sku: 'say "hi"', order_ref: null },
    });
  });

  it('rejects unknown keys, pairs without =, duplicates, open quotes and no pairs', () => {
    const e = bad('link 42 colour=red');
    expect(e.error).toContain('Unknown link "colour"');
    expect(e.usage).toBe('Usage: link <ref> key=value…');
    expect(bad('link 42 order_ref A-1').error).toBe('Expected key=value, got "order_ref"');
    expect(bad('link 42 order_ref=1 order_ref=2').error).toBe('order_ref is given twice');
    expect(bad('link 42 order_ref="A 1').error).toContain('is not closed');
    expect(bad('link 42 order_ref="A"B').error).toContain('Put a space after the closing quote');
    expect(bad('link 42').error).toContain('Which links?');
  });
});

describe('canned', () => {
  it('takes a name', () => {
    expect(ok('canned 42 shipping-delay')).toEqual({
      verb: 'canned',
      ref: '42',
      name: 'shipping-delay',
    });
    expect(ok('canned thanks', THREAD)).toEqual({
      verb: 'canned',
      ref: 'TK-2026-00042',
      name: 'thanks',
    });
  });
  it('lower-cases the name', () => {
    expect(ok('canned #7 Thanks')).toEqual({ verb: 'canned', ref: '#7', name: 'thanks' });
  });
  it('without a name asks for the list; more than one name is an error', () => {
    expect(ok('canned 42')).toEqual({ verb: 'canned', ref: '42' });
    expect(ok('canned', THREAD)).toEqual({ verb: 'canned', ref: 'TK-2026-00042' });
    expect(bad('canned').error).toContain('Which ticket?');
    expect(bad('canned 42 a b').usage).toBe('Usage: canned <ref> <name>');
  });
});

describe('watch and unwatch', () => {
  it('take a reference', () => {
    expect(ok('watch 42')).toEqual({ verb: 'watch', ref: '42' });
    expect(ok('UNWATCH #42')).toEqual({ verb: 'unwatch', ref: '#42' });
    expect(bad('unwatch').usage).toBe('Usage: unwatch <ref>');
  });
});
