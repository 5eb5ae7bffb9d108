import { describe, expect, it } from 'vitest';
import {
  duration,
  localTime,
  relativeDue,
  userText,
} from '../../../../src/engine/agent-commands/format.js';
import { createStaffTranslator } from '../../../../src/locales.js';

const now = new Date('2026-03-05T12:00:00Z');
const t = createStaffTranslator().forLanguage('en');

describe('answer formatting', () => {
  it('writes durations compactly', () => {
    expect(duration(45 * 60_000, t)).toBe('45m');
    expect(duration(-(3 * 60 + 20) * 60_000, t)).toBe('3h 20m');
    expect(duration(2 * 3600_000, t)).toBe('2h');
    expect(duration(50 * 60 * 60_000, t)).toBe('2d 2h');
  });

  it('says due in or overdue by', () => {
    const f = { surface: 'cli' as const, timeZone: 'UTC', now, t };
    expect(relativeDue(new Date('2026-03-05T13:30:00Z'), f)).toBe('due in 1h 30m');
    expect(relativeDue(new Date('2026-03-05T11:15:00Z'), f)).toBe('overdue by 45m');
  });

  it('shows local time in the tenant zone, UTC when the zone is unknown', () => {
    expect(localTime(now, 'Asia/Kolkata')).toBe('2026-03-05 17:30 Asia/Kolkata');
    expect(localTime(now, 'Nowhere/Special')).toBe('2026-03-05 12:00 UTC');
  });

  it('escapes user text for Slack only', () => {
    const base = { timeZone: 'UTC', now, t };
    expect(userText('a <b> & c', { ...base, surface: 'slack' })).toBe('a &lt;b&gt; &amp; c');
    expect(userText('a <b> & c', { ...base, surface: 'telegram' })).toBe('a <b> & c');
  });
});
