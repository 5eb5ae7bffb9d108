/**
 * Watchers hear of a ticket's updates where they asked to (issue 4): each watcher's `notify`
 * says `slack_dm` (default on), `telegram` (default off) and which `events` (default all:
 * status, assignment, customer_message, note, sla; customer messages held by the inbound flood
 * limit come as one summary per hold). The person who made the change is not told
 * about it; nor is a watcher told twice for one change. Notices are staff notices, written in
 * the change's transaction.
 */
import type { Ticket, Watcher } from '../domain/records.js';
import type { StaffT } from '../ports/staff-translator.js';
import type { Stores } from '../ports/stores.js';
import type { AppDeps } from './context.js';
import { type StaffPlatform, enqueueStaffNotice } from './staff-notices.js';
import { staffTextOf } from './staff-text.js';

export type WatcherEvent = 'status' | 'assignment' | 'customer_message' | 'note' | 'sla';

export interface TicketEventForWatchers {
  type: string;
  ticket: Ticket;
  messageId?: string;
  changes?: Record<string, unknown>;
  /** The agent who made the change (not notified). */
  actorAgentId?: string | null;
  /** `ticket.messages_held`: the summary of customer messages held by the flood limit. */
  summary?: string;
}

const SNIPPET = 280;

function platformsOf(w: Watcher): StaffPlatform[] {
  const out: StaffPlatform[] = [];
  if (w.notify.slack_dm !== false) out.push('slack');
  if (w.notify.telegram === true) out.push('telegram');
  return out;
}

function wants(w: Watcher, kind: WatcherEvent): boolean {
  const events = w.notify.events;
  return !Array.isArray(events) || events.includes(kind);
}

const change = (changes: Record<string, unknown> | undefined, key: string) =>
  changes?.[key] as { from: unknown; to: unknown } | undefined;

/** What happened, in one line per kind (in the staff language), or nothing worth telling. */
async function describe(
  s: Stores,
  event: TicketEventForWatchers,
  text: () => Promise<StaffT>,
): Promise<Array<{ kind: WatcherEvent; text: string }>> {
  const ticket = event.ticket;
  const head = `${ticket.number} ${ticket.subject}`;
  const out: Array<{ kind: WatcherEvent; text: string }> = [];
  const status = change(event.changes, 'status');
  if (status) {
    const t = await text();
    out.push({
      kind: 'status',
      text: t('watch.status', { head, from: String(status.from), to: String(status.to) }),
    });
  }
  if (change(event.changes, 'assignee_id')) {
    const t = await text();
    out.push({
      kind: 'assignment',
      text: ticket.assignee
        ? t('watch.assigned', { head, name: ticket.assignee.name })
        : t('watch.unassigned', { head }),
    });
  }
  if (event.type === 'ticket.messages_held' && event.summary) {
    out.push({ kind: 'customer_message', text: event.summary });
  }
  if (event.type === 'ticket.message' && event.messageId) {
    const m = await s.messages.findById(ticket.tenantId, event.messageId);
    const body = m?.body ? `${m.body.slice(0, SNIPPET)}${m.body.length > SNIPPET ? '…' : ''}` : '';
    if (m?.authorType === 'customer') {
      const t = await text();
      out.push({
        kind: 'customer_message',
        text: body
          ? t('watch.customer_wrote', { head, body })
          : t('watch.customer_wrote_nothing', { head }),
      });
    } else if (m?.authorType === 'agent' && m.internal) {
      const t = await text();
      out.push({
        kind: 'note',
        text: body ? t('watch.note', { head, body }) : t('watch.note_empty', { head }),
      });
    }
  }
  return out;
}

export async function notifyWatchers(
  s: Stores,
  deps: Pick<AppDeps, 'staff' | 'staffPlatforms'>,
  event: TicketEventForWatchers,
): Promise<void> {
  if (event.type === 'ticket.created') return; // nobody watches a ticket before it exists
  const watchers = await s.watchers.listForTicket(event.ticket.tenantId, event.ticket.id);
  if (watchers.length === 0) return;
  let t: Promise<StaffT> | undefined;
  const lines = await describe(s, event, () => (t ??= staffTextOf(deps, s, event.ticket.tenantId)));
  if (lines.length === 0) return;
  const told = new Set<string>();
  for (const w of watchers) {
    if (w.agentId === event.actorAgentId || told.has(w.agentId)) continue;
    const mine = lines.filter((l) => wants(w, l.kind));
    const platforms = platformsOf(w);
    if (mine.length === 0 || platforms.length === 0) continue;
    told.add(w.agentId);
    await enqueueStaffNotice(deps, s, {
      tenantId: event.ticket.tenantId,
      ticketId: event.ticket.id,
      audience: { kind: 'agent', agentId: w.agentId },
      text: mine.map((l) => l.text).join('\n'),
      platforms,
    });
  }
}

/** What the SLA sweep tells watchers of a breached ticket. */
export interface BreachForWatchers {
  ticket: { id: string; tenantId: string };
  /** One key per breach set (the notice is written once per watcher and key). */
  breachKey: string;
  text: string;
  watchers: readonly Watcher[];
  /** Agents the escalation ladder pings for this breach already (not told twice). */
  alreadyTold: ReadonlySet<string>;
}

/**
 * Watchers who asked for `sla` events hear that the ticket breached. Only `s.outbox` is used, so
 * the sweep can collect the rows and write them in one statement. Returns how many were told.
 */
export async function notifyWatchersOfBreach(
  deps: Pick<AppDeps, 'staffPlatforms'>,
  s: Pick<Stores, 'outbox'>,
  breach: BreachForWatchers,
): Promise<number> {
  const { ticket } = breach;
  let told = 0;
  for (const w of breach.watchers) {
    if (w.ticketId !== ticket.id || breach.alreadyTold.has(w.agentId) || !wants(w, 'sla')) continue;
    const platforms = platformsOf(w);
    if (platforms.length === 0) continue;
    await enqueueStaffNotice(deps, s, {
      tenantId: ticket.tenantId,
      ticketId: ticket.id,
      audience: { kind: 'agent', agentId: w.agentId },
      text: breach.text,
      platforms,
      dedupeKey: `sla-watch:${breach.breachKey}:${w.agentId}`,
    });
    told += 1;
  }
  return told;
}
