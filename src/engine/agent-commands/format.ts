/**
 * Short, surface-neutral texts about tickets for agent command answers, in the tenant's staff
 * language (`staff` keys `ticket.*`, `compact.*`). Plain text that reads well as Slack mrkdwn:
 * on Slack, ticket numbers are bold and user content is escaped (`&`, `<`, `>`); elsewhere it is
 * left as is. Vocabulary values (statuses, priorities, codes) stay as agents type them.
 */
import { LINK_KEYS, type Ticket } from '../../domain/records.js';
import type { StaffT } from '../../ports/staff-translator.js';

export type AnswerSurface = 'slack' | 'telegram' | 'cli';

export interface TicketFormat {
  surface: AnswerSurface;
  /** The tenant's time zone (IANA), for due times. */
  timeZone: string;
  now: Date;
  /** The team's texts (the tenant's staff language). */
  t: StaffT;
}

/** Bold on Slack, plain elsewhere. */
export function strong(text: string, f: TicketFormat): string {
  return f.surface === 'slack' ? `*${text}*` : text;
}

/** User-entered text (subjects, names, references), escaped for Slack. */
export function userText(text: string, f: TicketFormat): string {
  return f.surface === 'slack'
    ? text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    : text;
}

/** `3h 20m`, `45m`, `2d 4h`. */
export function duration(ms: number, t: StaffT): string {
  const m = Math.round(Math.abs(ms) / 60_000);
  if (m < 60) return t('compact.minutes', { m });
  const h = Math.floor(m / 60);
  if (h < 48)
    return m % 60 ? t('compact.hours_minutes', { h, m: m % 60 }) : t('compact.hours', { h });
  const d = Math.floor(h / 24);
  return h % 24 ? t('compact.days_hours', { d, h: h % 24 }) : t('compact.days', { d });
}

/** `due in 3h 20m` / `overdue by 45m`. */
export function relativeDue(due: Date, f: TicketFormat): string {
  const ms = due.getTime() - f.now.getTime();
  return f.t(ms < 0 ? 'ticket.overdue_by' : 'ticket.due_in', { duration: duration(ms, f.t) });
}

/** `2026-03-05 14:00 Europe/Berlin` (UTC when the zone is unknown). */
export function localTime(date: Date, timeZone: string): string {
  let zone = timeZone;
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = dateParts(date, zone);
  } catch {
    zone = 'UTC';
    parts = dateParts(date, zone);
  }
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')} ${zone}`;
}

function dateParts(date: Date, timeZone: string): Intl.DateTimeFormatPart[] {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
}

function assigneeName(t: Ticket, f: TicketFormat): string {
  return t.assignee ? userText(t.assignee.name, f) : f.t('ticket.unassigned');
}

/** One line for lists: `TK-2026-00042 · in_progress · high · Broken kettle · anna · due in 3h`. */
export function ticketLine(t: Ticket, f: TicketFormat): string {
  const due = t.slaDueAt ? relativeDue(t.slaDueAt, f) : f.t('ticket.no_sla_due');
  return [
    strong(t.number, f),
    t.status,
    t.priority,
    userText(t.subject, f),
    assigneeName(t, f),
    due,
  ].join(' · ');
}

/** The set links as `order_ref=A-1, batch_ref=B7`, or `none`. */
export function linkList(t: Ticket, f: TicketFormat): string {
  const set = LINK_KEYS.filter((k) => t.links[k]).map(
    (k) => `${k}=${userText(t.links[k] ?? '', f)}`,
  );
  return set.length ? set.join(', ') : f.t('ticket.no_links');
}

interface ApprovalView {
  status?: string;
  code?: string;
}

/** `show`: the ticket at a glance. */
export function ticketSummary(t: Ticket, f: TicketFormat): string {
  const breached = t.slaBreached ? f.t('ticket.breached') : '';
  const lines = [
    `${strong(t.number, f)} ${userText(t.subject, f)}`,
    f.t('ticket.facts', {
      status: t.status,
      priority: t.priority,
      category: t.category,
      channel: t.channel,
    }),
    f.t('ticket.assignee', { name: assigneeName(t, f) }),
    f.t('ticket.customer', { name: userText(t.customer.name ?? f.t('ticket.unnamed'), f) }),
    (t.slaDueAt
      ? f.t('ticket.sla_due', {
          due: localTime(t.slaDueAt, f.timeZone),
          relative: relativeDue(t.slaDueAt, f),
        })
      : f.t('ticket.sla_due_none')) + breached,
    f.t('ticket.links', { links: linkList(t, f) }),
  ];
  if (t.resolution) {
    const code = t.resolution.code;
    lines.push(
      t.resolution.notes
        ? f.t('ticket.resolution_notes', { code, notes: userText(t.resolution.notes, f) })
        : f.t('ticket.resolution', { code }),
    );
  }
  const approval = pendingApproval(t, f);
  if (approval) lines.push(f.t('ticket.approval', { code: approval }));
  return lines.join('\n');
}

/** The resolution code waiting for a supervisor's approval, if any. */
export function pendingApproval(t: Ticket, f: Pick<TicketFormat, 't'>): string | null {
  const approval = t.approval as ApprovalView | null | undefined;
  return approval?.status === 'pending' ? (approval.code ?? f.t('ticket.approval_default')) : null;
}
