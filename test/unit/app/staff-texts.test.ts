/**
 * Every text the team reads exists in the `staff` namespace: each notice kind, the Slack card's
 * labels and command-answer formatting are rendered in every language, and none may hit a key
 * English lacks (the translator reports it), leave a placeholder unfilled or come out as a key.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDailyReport, dailyReportText } from '../../../src/app/daily-report.js';
import {
  breachWatcherText,
  escalationActions,
  formatDuration,
  rungNoticeText,
  targetLabel,
} from '../../../src/app/sla-notices.js';
import { windowWarningText } from '../../../src/app/whatsapp-window-timer.js';
import { staffLanguage } from '../../../src/domain/staff-language.js';
import {
  RUNG_BREACH,
  RUNG_MANAGER,
  RUNG_SECOND_CALL,
  RUNG_WARNING,
} from '../../../src/domain/escalation-ladder.js';
import {
  type TicketFormat,
  ticketLine,
  ticketSummary,
} from '../../../src/engine/agent-commands/format.js';
import {
  SUPPORTED_LANGUAGES,
  createStaffTranslator,
  loadLocaleResources,
} from '../../../src/locales.js';
import { VERBS, helpText } from '../../../src/engine/agent-commands/grammar.js';
import { isParseError, parseAgentCommand } from '../../../src/engine/agent-commands/parse.js';
import { slackLabels } from '../../../src/slack-labels.js';
import { ticket as ticketFixture } from '../http/fixtures.js';

/** One input per parse problem the grammar can report. */
const BAD_COMMANDS = [
  'help nope',
  'asign 42',
  'frobnicate',
  'list everything',
  'list mine please',
  'show',
  'show TK-42',
  'close 42 now',
  'reply 42',
  'note 42',
  'status 42',
  'status 42 sideways',
  'priority 42 extreme',
  'resolve 42',
  'resolve 42 maybe',
  'assign 42',
  'assign 42 <@>',
  'assign 42 nobody',
  'link 42',
  'link 42 colour=red',
  'link 42 order_ref=1 order_ref=2',
  'link 42 banana',
  'link 42 order_ref="open',
  'link 42 order_ref="a"b',
];

const missing: string[] = [];
const staff = createStaffTranslator({ onMissingKey: (lng, key) => missing.push(`${lng}:${key}`) });
const now = new Date('2026-03-05T12:00:00Z');
const minutes = (n: number) => new Date(now.getTime() + n * 60_000);

function leaves(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(leaves);
  return [];
}

/** Everything the notices, card and answers can say in `lang`, one string per text. */
function renderAll(lang: string): string[] {
  const t = staff.forLanguage(lang);
  const ticket = { number: 'TK-2026-00042', subject: 'Broken kettle', priority: 'high' as const };
  const out: string[] = [];
  for (const assigneeName of ['Anna', null]) {
    for (const rung of [RUNG_WARNING, RUNG_BREACH, RUNG_MANAGER, RUNG_SECOND_CALL]) {
      for (const bump of [null, { from: 'medium' as const, to: 'high' as const }]) {
        for (const dueAt of [minutes(12), minutes(-0.5), minutes(-200)]) {
          out.push(
            rungNoticeText({
              ticket: { ...ticket, assigneeName },
              firing: { target: 'first_response', dueAt, rung, audience: 'assignee' },
              now,
              bump,
              t,
            }),
          );
        }
      }
    }
  }
  out.push(
    breachWatcherText({
      ticket,
      breaches: [
        { target: 'first_response', dueAt: minutes(-0.5) },
        { target: 'resolution', dueAt: minutes(-3000) },
      ],
      now,
      t,
    }),
  );
  out.push(
    ...escalationActions({ ticketId: 't1', target: 'resolution', dueAt: now }, t).map(
      (a) => a.label,
    ),
  );
  out.push(targetLabel('first_response', t), targetLabel('resolution', t));
  for (const s of [30, 600, 3600, 3900, 86400, 90000]) out.push(formatDuration(s, t));
  const report = buildDailyReport({
    date: '2026-03-05',
    timezone: 'Asia/Kolkata',
    now,
    figures: [
      {
        groupId: 'g1',
        groupName: 'Returns',
        open: 1,
        overdue: 0,
        resolvedToday: 2,
        firstResponse: { count: 1, totalSeconds: 2700 },
        resolution: { count: 2, totalSeconds: 200_000 },
      },
      {
        groupId: null,
        groupName: null,
        open: 3,
        overdue: 1,
        resolvedToday: 0,
        firstResponse: { count: 0, totalSeconds: 0 },
        resolution: { count: 0, totalSeconds: 0 },
      },
    ],
  });
  out.push(dailyReportText(report, t));
  out.push(windowWarningText(ticketFixture(), now, 'Asia/Jakarta', t));
  out.push(...leaves(slackLabels(t)));
  const fmt: TicketFormat = { surface: 'slack', timeZone: 'Europe/Madrid', now, t };
  const full = ticketFixture({
    slaDueAt: minutes(90),
    slaBreached: true,
    resolution: { code: 'refund', notes: 'paid back', reference: null },
    approval: { status: 'pending', code: 'refund' },
    links: { order_ref: 'A-1' },
  } as never);
  const bare = ticketFixture({
    slaDueAt: null,
    assignee: null,
    customer: { id: 'c1', name: null },
    links: {},
  } as never);
  out.push(
    ticketSummary(full, fmt),
    ticketSummary(bare, fmt),
    ticketLine(full, fmt),
    ticketLine(bare, fmt),
  );
  out.push(helpText(undefined, t), ...VERBS.map((v) => helpText(v, t)));
  for (const line of BAD_COMMANDS) {
    const parsed = parseAgentCommand(line, { t });
    if (!isParseError(parsed)) throw new Error(`${line} parsed`);
    out.push(parsed.text);
  }
  return out;
}

describe('staff texts', () => {
  const english = renderAll('en');

  it.each(SUPPORTED_LANGUAGES)('%s: every text the code renders exists, filled in', (lang) => {
    missing.length = 0;
    const texts = renderAll(lang);
    expect(missing).toEqual([]);
    for (const text of texts) {
      expect(text.trim(), lang).not.toBe('');
      expect(text, lang).not.toMatch(/{{|}}/);
      // A raw key (`sla.warning`, `card.modal.title.note`) instead of a sentence.
      expect(text, lang).not.toMatch(/^[a-z_]+(\.[a-z_]+)+$/);
    }
    if (lang !== 'en') {
      // Translated, not English: at most the language-neutral bits (numbers, SKU, –) match.
      const same = texts.filter((text, i) => text === english[i]);
      expect(same.length / texts.length, lang).toBeLessThan(0.15);
    }
  });

  it("help in English is the grammar module's own help, word for word", () => {
    const en = staff.forLanguage('en');
    expect(helpText(undefined, en)).toBe(helpText());
    for (const verb of VERBS) expect(helpText(verb, en)).toBe(helpText(verb));
    expect(helpText('status', staff.forLanguage('es'))).toMatch(
      /^Uso: status <ref> <status>\nCambiar el estado \(new, /,
    );
  });

  it("parse errors in English are the grammar's own, word for word", () => {
    const en = staff.forLanguage('en');
    for (const line of BAD_COMMANDS) {
      const plain = parseAgentCommand(line);
      expect(isParseError(plain), line).toBe(true);
      expect(parseAgentCommand(line, { t: en }), line).toEqual(plain);
    }
    const es = parseAgentCommand('status 42 sideways', { t: staff.forLanguage('es') });
    expect(isParseError(es) && es.text).toBe(
      'Valor de estado desconocido: "sideways"; opciones: new, assigned, in_progress, awaiting_customer, resolved, closed\nUso: status <ref> <status>',
    );
  });

  it.each(SUPPORTED_LANGUAGES)('%s: every text equals what i18next itself renders', (lang) => {
    const t = staff.forLanguage(lang);
    const keys = new Set(
      [...flattenKeys(loadLocaleResources().en?.staff)].map((k) => k.replace(/_(one|other)$/, '')),
    );
    for (const key of keys) {
      const names = [...JSON.stringify(loadLocaleResources().en?.staff).matchAll(/{{(\w+)}}/g)].map(
        (m) => m[1]!,
      );
      const params: Record<string, string | number> = Object.fromEntries(
        names.map((n) => [n, `<${n}>`]),
      );
      for (const count of [undefined, 0, 1, 7]) {
        const p = count === undefined ? params : { ...params, count };
        expect(t(key, p), `${lang}:${key}`).toBe(
          staff.i18n.t(key, { ...p, lng: lang, ns: 'staff' }),
        );
      }
    }
  });

  it('reports a key English lacks', () => {
    missing.length = 0;
    staff.forLanguage('es')('sla.no_such_text');
    expect(missing).toEqual(['es:sla.no_such_text']);
  });

  it('reads the tenant setting, English by default', () => {
    expect(staffLanguage({})).toBe('en');
    expect(staffLanguage({ staff_language: 'zh' })).toBe('zh');
    expect(staff.forLanguage('es')('command.not_an_agent')).toBe('No eres agente de este equipo.');
    expect(staff.forLanguage('fr')('command.not_an_agent')).toBe(
      'You are not an agent of this team.',
    );
  });

  it('every literal staff key in src/ exists in en', async () => {
    const en = flattenKeys(loadLocaleResources().en?.staff);
    const sections = new Set([...en].map((k) => k.split('.')[0]));
    const files = (await readdir('src', { recursive: true }))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => path.join('src', f));
    const used = new Set<string>();
    for (const file of files) {
      for (const m of (await readFile(file, 'utf8')).matchAll(
        /\bt\(\s*'([a-z_]+(?:\.[a-z_]+)+)'/g,
      )) {
        if (sections.has(m[1]!.split('.')[0])) used.add(m[1]!);
      }
    }
    expect(used.size).toBeGreaterThan(60); // the scan finds the staff keys at all
    const exists = (key: string) => en.has(key) || en.has(`${key}_other`);
    expect([...used].filter((key) => !exists(key))).toEqual([]);
  });
});

function flattenKeys(tree: unknown, prefix = ''): Set<string> {
  const out = new Set<string>();
  if (tree && typeof tree === 'object') {
    for (const [k, v] of Object.entries(tree)) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (v && typeof v === 'object') flattenKeys(v, key).forEach((sub) => out.add(sub));
      else out.add(key);
    }
  }
  return out;
}
