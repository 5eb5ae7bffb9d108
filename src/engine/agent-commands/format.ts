/**
 * Short, surface-neutral texts about tickets for agent command answers. Plain text that reads
 * well as Slack mrkdwn: on Slack, ticket numbers are bold and user content is escaped
 * (`&`, `<`, `>`); elsewhere it is left as is.
 */
import { LINK_KEYS, type Ticket } from '../../domain/records.js';

export type AnswerSurface = 'slack' | 'telegram' | 'cli';

export interface TicketFormat {
  surface: AnswerSurface;
  /** The tenant's time zone (IANA), for due times. */
  timeZone: string;
  now: Date;
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
export function duration(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours}h ${minutes % 60}m` : `${hours}h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days}d ${hours % 24}h` : `${days}d`;
}

/** `due in 3h 20m` / `overdue by 45m`. */
export function relativeDue(due: Date, f: TicketFormat): string {
  const ms = due.getTime() - f.now.getTime();
  return ms < 0 ? `overdue by ${duration(ms)}` : `due in ${duration(ms)}`;
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
  return t.assignee ? userText(t.assignee.name, f) : 'unassigned';
}

/** One line for lists: `TK-2026-00042 · in_progress · high · Broken kettle · anna · due in 3h`. */
export function ticketLine(t: Ticket, f: TicketFormat): string {
  const due = t.slaDueAt ? relativeDue(t.slaDueAt, f) : 'no SLA due';
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
  return set.length ? set.join(', ') : 'none';
}

interface ApprovalView {
  status?: string;
  code?: string;
}

/** `show`: the ticket at a glance. */
export function ticketSummary(t: Ticket, f: TicketFormat): string {
  const lines = [
    `${strong(t.number, f)} ${userText(t.subject, f)}`,
    `Status: ${t.status} · Priority: ${t.priority} · Category: ${t.category} · Channel: ${t.channel}`,
    `Assignee: ${assigneeName(t, f)}`,
    `Customer: ${userText(t.customer.name ?? 'unnamed', f)}`,
    t.slaDueAt
      ? `SLA due: ${localTime(t.slaDueAt, f.timeZone)} (${relativeDue(t.slaDueAt, f)})${t.slaBreached ? ' · breached' : ''}`
      : `SLA due: none${t.slaBreached ? ' · breached' : ''}`,
    `Links: ${linkList(t, f)}`,
  ];
  if (t.resolution) {
    const notes = t.resolution.notes ? ` — ${userText(t.resolution.notes, f)}` : '';
    lines.push(`Resolution: ${t.resolution.code}${notes}`);
  }
  const approval = pendingApproval(t);
  if (approval) lines.push(`Approval: ${approval} pending a supervisor`);
  return lines.join('\n');
}

/** The resolution code waiting for a supervisor's approval, if any. */
export function pendingApproval(t: Ticket): string | null {
  const approval = t.approval as ApprovalView | null | undefined;
  return approval?.status === 'pending' ? (approval.code ?? 'resolution') : null;
}
