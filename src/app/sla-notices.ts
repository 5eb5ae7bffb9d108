/**
 * The escalation ladder's pings: who gets them, what they say (in the tenant's staff language,
 * `staff` namespace `sla.*`) and the buttons they carry. Breach and manager pings carry
 * Acknowledge / Take over / Reassign; the warning to the assignee carries none (answering the
 * customer is the acknowledgement).
 */
import {
  ESCALATION_ACTION_IDS,
  type LadderRef,
  encodeLadderRef,
} from '../domain/escalation-actions.js';
import {
  RUNG_BREACH,
  RUNG_MANAGER,
  RUNG_WARNING,
  type RungFiring,
  type SlaTargetName,
} from '../domain/escalation-ladder.js';
import type { Priority } from '../domain/vocabulary.js';
import type { TeamLead } from '../ports/sla-stores.js';
import type { StaffAction } from '../ports/staff-messenger.js';
import type { StaffT } from '../ports/staff-translator.js';
import type { Stores } from '../ports/stores.js';
import type { AppDeps } from './context.js';
import { type NoticeAudience, enqueueStaffNotice } from './staff-notices.js';

/** "45 s", "12 min", "3 h 5 min", "2 d 4 h" (English; `staff` keys `duration.*`). */
export function formatDuration(seconds: number, t: StaffT): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return t('duration.seconds', { s });
  const min = Math.floor(s / 60);
  if (min < 60) return t('duration.minutes', { min });
  const h = Math.floor(min / 60);
  if (h < 24) {
    return min % 60
      ? t('duration.hours_minutes', { h, min: min % 60 })
      : t('duration.hours', { h });
  }
  const d = Math.floor(h / 24);
  return h % 24 ? t('duration.days_hours', { d, h: h % 24 }) : t('duration.days', { d });
}

export interface NoticeTicket {
  number: string;
  subject: string;
  priority: Priority;
  assigneeName: string | null;
}

/** `TK-2026-00042 (high) “Broken kettle”`. */
function ticketPhrase(ticket: Pick<NoticeTicket, 'number' | 'subject' | 'priority'>, t: StaffT) {
  return t('sla.ticket', {
    number: ticket.number,
    priority: ticket.priority,
    subject: ticket.subject,
  });
}

/** `was due just now` / `is overdue by 12 min`. */
function latePhrase(overdueSeconds: number, t: StaffT): string {
  return overdueSeconds < 60
    ? t('sla.due_just_now')
    : t('sla.overdue_by', { duration: formatDuration(overdueSeconds, t) });
}

export function rungNoticeText(input: {
  ticket: NoticeTicket;
  firing: RungFiring;
  now: Date;
  bump: { from: Priority; to: Priority } | null;
  t: StaffT;
}): string {
  const { ticket, firing, now, bump, t } = input;
  const what = ticketPhrase(ticket, t);
  const target = targetLabel(firing.target, t);
  const secondsLeft = (firing.dueAt.getTime() - now.getTime()) / 1000;
  const late = latePhrase(-secondsLeft, t);
  const owner = ticket.assigneeName
    ? t('sla.assigned_to', { name: ticket.assigneeName })
    : t('sla.nobody_assigned');
  const params = { ticket: what, target, late, owner };
  switch (firing.rung) {
    case RUNG_WARNING:
      return t('sla.warning', { ticket: what, target, duration: formatDuration(secondsLeft, t) });
    case RUNG_BREACH:
      return bump
        ? t('sla.breach_raised', { ...params, from: bump.from, to: bump.to })
        : t('sla.breach', params);
    case RUNG_MANAGER:
      return t('sla.manager', params);
    default:
      return t('sla.second_call', params);
  }
}

/** What a watcher of a breached ticket reads (one line per target breached in this sweep). */
export function breachWatcherText(input: {
  ticket: Pick<NoticeTicket, 'number' | 'subject' | 'priority'>;
  breaches: readonly { target: SlaTargetName; dueAt: Date }[];
  now: Date;
  t: StaffT;
}): string {
  const { ticket, breaches, now, t } = input;
  const what = ticketPhrase(ticket, t);
  return breaches
    .map((b) =>
      t('sla.watcher_breach', {
        ticket: what,
        target: targetLabel(b.target, t),
        late: latePhrase((now.getTime() - b.dueAt.getTime()) / 1000, t),
      }),
    )
    .join('\n');
}

/** The buttons of a breach or manager ping; their value names the ladder. */
export function escalationActions(ref: LadderRef, t: StaffT): StaffAction[] {
  const value = encodeLadderRef(ref);
  return [
    { id: ESCALATION_ACTION_IDS.acknowledge, value, label: t('sla.action.acknowledge') },
    { id: ESCALATION_ACTION_IDS.take_over, value, label: t('sla.action.take_over') },
    { id: ESCALATION_ACTION_IDS.reassign, value, label: t('sla.action.reassign') },
  ];
}

export const targetLabel = (target: SlaTargetName, t: StaffT): string => t(`sla.target.${target}`);

/** The ticket as a ping needs it (an `SlaSweepTicket` has all of this). */
export interface PingTicket extends NoticeTicket {
  id: string;
  tenantId: string;
  groupId: string | null;
  assigneeId: string | null;
}

/**
 * Enqueues a fired rung's notices (one per audience, deduplicated per rung and audience);
 * returns who was notified, for the audit trail. Rung 0 goes to the assignee (or the ticket's
 * thread), rung 1 to the supervisors of the ticket's group (else the tenant's, else the manager
 * channel), rungs 2 and 3 to the manager channel.
 */
export async function pingRung(
  deps: Pick<AppDeps, 'staffPlatforms'>,
  s: Pick<Stores, 'outbox'>,
  input: {
    ticket: PingTicket;
    firing: RungFiring;
    /** This evaluation's priority bump, said in the breach ping. */
    bump: { from: Priority; to: Priority } | null;
    leads: readonly TeamLead[];
    now: Date;
    /** The ticket's tenant's staff texts. */
    t: StaffT;
  },
): Promise<string[]> {
  const { ticket, firing, bump, leads, now, t } = input;
  const audiences = audiencesFor(ticket, firing, leads);
  const text = rungNoticeText({
    ticket: { ...ticket, priority: bump?.to ?? ticket.priority },
    firing,
    now,
    bump: bump && firing.audience === 'group_lead' ? bump : null,
    t,
  });
  const ref = { ticketId: ticket.id, target: firing.target, dueAt: firing.dueAt };
  const actions = firing.audience === 'assignee' ? [] : escalationActions(ref, t);
  const actionsHint = actions.length
    ? t('notice.actions_hint', { actions: actions.map((a) => a.label).join(' · ') })
    : undefined;
  const ladderKey = `sla:${ticket.id}:${firing.target}:${firing.dueAt.getTime()}:${firing.rung}`;
  for (const audience of audiences) {
    await enqueueStaffNotice(deps, s, {
      tenantId: ticket.tenantId,
      ticketId: ticket.id,
      audience,
      text,
      actions,
      ...(actionsHint ? { actionsHint } : {}),
      dedupeKey: `${ladderKey}:${audienceLabel(audience)}`,
    });
  }
  return audiences.map(audienceLabel);
}

function audiencesFor(
  ticket: PingTicket,
  firing: RungFiring,
  leads: readonly TeamLead[],
): NoticeAudience[] {
  switch (firing.audience) {
    case 'assignee':
      return [
        ticket.assigneeId
          ? { kind: 'agent', agentId: ticket.assigneeId }
          : { kind: 'ticket_thread', ticketId: ticket.id },
      ];
    case 'group_lead': {
      const ofTenant = leads.filter((l) => l.tenantId === ticket.tenantId);
      const ofGroup = ticket.groupId
        ? ofTenant.filter((l) => l.groupIds.includes(ticket.groupId!))
        : [];
      const chosen = ofGroup.length > 0 ? ofGroup : ofTenant;
      // No supervisor at all: the breach still reaches someone.
      if (chosen.length === 0) return [{ kind: 'manager_channel' }];
      return chosen.map((l) => ({ kind: 'agent', agentId: l.agentId }));
    }
    case 'manager_channel':
      return [{ kind: 'manager_channel' }];
  }
}

function audienceLabel(audience: NoticeAudience): string {
  switch (audience.kind) {
    case 'agent':
      return `agent:${audience.agentId}`;
    case 'manager_channel':
      return 'manager_channel';
    case 'ticket_thread':
      return 'ticket_thread';
  }
}
