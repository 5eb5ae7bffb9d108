import { describe, expect, it } from 'vitest';
import {
  USAGE,
  VERBS,
  helpText,
  usageLine,
} from '../../../../src/engine/agent-commands/grammar.js';
import { isParseError, parseAgentCommand } from '../../../../src/engine/agent-commands/parse.js';

/** CONTRACT.md, "Agent commands", verbatim. */
const CONTRACT_GRAMMAR =
  '`help` · `list [mine|open|overdue|unassigned]` · `show <ref>` · `reply <ref> <text>` · ' +
  '`note <ref> <text>` · `status <ref> <status>` · `assign <ref> <@user|me>` · `claim <ref>` · ' +
  '`priority <ref> <priority>` · `resolve <ref> <code> [notes]` · `close <ref>` · `reopen <ref>` · ' +
  '`link <ref> key=value…` · `canned <ref> <name>` · `watch <ref>` · `unwatch <ref>`';

describe('grammar', () => {
  it('publishes exactly the contract grammar, in its order', () => {
    expect(VERBS.map((v) => `\`${USAGE[v]}\``).join(' · ')).toBe(CONTRACT_GRAMMAR);
  });

  it('help lists every usage line and explains references', () => {
    const help = helpText();
    for (const verb of VERBS) expect(help).toContain(USAGE[verb]);
    expect(help).toContain('TK-2026-00042, 42 or #42');
    expect(help).toContain('thread');
  });

  it('help for one verb starts with its usage line', () => {
    expect(helpText('resolve').split('\n')[0]).toBe('Usage: resolve <ref> <code> [notes]');
    expect(helpText('resolve')).toContain('refund');
  });

  it('every verb with arguments reports its own usage line when they are missing', () => {
    for (const verb of VERBS) {
      if (verb === 'help' || verb === 'list') continue;
      const result = parseAgentCommand(verb);
      expect(isParseError(result)).toBe(true);
      if (isParseError(result)) expect(result.usage).toBe(usageLine(verb));
    }
  });
});
