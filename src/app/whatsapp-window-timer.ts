/**
 * WhatsApp's 24-hour customer-service window as a timer. When a WhatsApp customer writes, the
 * conversation's `window_warn_at` is set to (their message + 24 h − the tenant's warning
 * minutes, default 60). The sweep claims due conversations (`FOR UPDATE SKIP LOCKED`) and, when
 * the conversation has an open ticket and no agent has replied since the customer's last
 * message, tells the assignee (a direct message; with no assignee, the ticket's Slack thread)
 * when the window closes. Then it clears the timer; the customer's next message sets it again.
 */
import { localClockTime } from '../domain/local-time.js';
import type { Tenant, Ticket } from '../domain/records.js';
import { whatsappWindowWarningMinutes } from '../domain/timer-settings.js';
import { SERVICE_WINDOW_MS, serviceWindow } from '../domain/whatsapp-window.js';
import type { Stores } from '../ports/stores.js';
import type { WindowWarningDue } from '../ports/timer-stores.js';
import type { AppDeps } from './context.js';
import type { StaffT } from '../ports/staff-translator.js';
import { enqueueStaffNotice } from './staff-notices.js';
import { staffTextFor } from './staff-text.js';

/** Called where a WhatsApp customer message is recorded (the inbound pipeline's transaction). */
export async function scheduleWindowWarning(
  s: Stores,
  tenant: Tenant,
  conversationId: string,
  lastInboundAt: Date,
): Promise<void> {
  const minutes = whatsappWindowWarningMinutes(tenant.settings);
  const warnAt =
    minutes === null
      ? null
      : new Date(lastInboundAt.getTime() + SERVICE_WINDOW_MS - minutes * 60_000);
  await s.whatsappWindows.setWarnAt(tenant.id, conversationId, warnAt);
}

export function windowWarningText(
  ticket: Ticket,
  closesAt: Date,
  timeZone: string,
  t: StaffT,
): string {
  return t('notice.whatsapp_window', {
    number: ticket.number,
    time: localClockTime(closesAt, timeZone),
    timezone: timeZone,
  });
}

/** The open ticket whose replies go through this conversation, newest first. */
async function ticketOf(s: Stores, due: WindowWarningDue): Promise<Ticket | null> {
  const open = await s.tickets.listOpenForCustomer(due.tenantId, due.customerId, 20);
  return (
    open.find(
      (t) =>
        t.conversationId === due.conversationId ||
        (t.conversationId === null && t.channel === 'whatsapp'),
    ) ?? null
  );
}

type Outcome = 'warned' | 'skipped';

async function warnOne(
  deps: AppDeps,
  s: Stores,
  due: WindowWarningDue,
  tenant: Tenant | null,
  now: Date,
): Promise<Outcome> {
  if (!tenant || !due.lastInboundAt) return 'skipped';
  const window = serviceWindow(due.lastInboundAt, now);
  if (!window.open || !window.closesAt) return 'skipped';
  const ticket = await ticketOf(s, due);
  if (!ticket) return 'skipped';
  const replied = await s.whatsappWindows.agentRepliedSince(
    due.tenantId,
    { ticketId: ticket.id, conversationId: due.conversationId },
    due.lastInboundAt,
  );
  if (replied) return 'skipped';
  await enqueueStaffNotice(deps, s, {
    tenantId: due.tenantId,
    ticketId: ticket.id,
    audience: ticket.assignee
      ? { kind: 'agent', agentId: ticket.assignee.id }
      : { kind: 'ticket_thread', ticketId: ticket.id },
    text: windowWarningText(ticket, window.closesAt, tenant.timezone, staffTextFor(deps, tenant)),
    dedupeKey: `whatsapp-window:${due.conversationId}:${due.lastInboundAt.getTime()}`,
  });
  return 'warned';
}

export async function runWhatsappWindowWarnings(
  deps: AppDeps,
  limit = 100,
): Promise<{ warned: number; skipped: number }> {
  const result = await deps.uow.transaction(async (s) => {
    const now = deps.clock.now();
    const tenants = new Map<string, Tenant | null>();
    const counts = { warned: 0, skipped: 0 };
    for (const due of await s.whatsappWindows.claimDue(now, limit)) {
      if (!tenants.has(due.tenantId)) {
        tenants.set(due.tenantId, await s.tenants.findById(due.tenantId));
      }
      counts[await warnOne(deps, s, due, tenants.get(due.tenantId) ?? null, now)] += 1;
      await s.whatsappWindows.setWarnAt(due.tenantId, due.conversationId, null);
    }
    return counts;
  });
  if (result.warned > 0) deps.onOutboxWrite?.();
  return result;
}
