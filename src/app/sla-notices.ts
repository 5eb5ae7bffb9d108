/**
 * The escalation ladder's pings: who gets them, what they say (agent-facing, English like the
 * Slack card) and the buttons they carry. Breach and manager pings carry Acknowledge / Take over / Reassign; the
 * warning to the assignee carries none (answering the customer is the acknowledgement).
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
import type { Stores } from '../ports/stores.js';
import { type NoticeAudience, enqueueStaffNotice } from './staff-notices.js';

const TARGET_LABELS: Record<SlaTargetName, string> = {
  first_response: 'first response',
  resolution: 'resolution',
};

/** "45 s", "12 min", "3 h 5 min", "2 d 4 h". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

export interface NoticeTicket {
  number: string;
  subject: string;
  priority: Priority;
  assigneeName: string | null;
}

export function rungNoticeText(input: {
  ticket: NoticeTicket;
  firing: RungFiring;
  now: Date;
  bump: { from: Priority; to: Priority } | null;
}): string {
  const { ticket, firing, now, bump } = input;
  const what = `${ticket.number} (${ticket.priority}) “${ticket.subject}”`;
  const target = TARGET_LABELS[firing.target];
  const secondsLeft = (firing.dueAt.getTime() - now.getTime()) / 1000;
  const late =
    secondsLeft > -60 ? 'was due just now' : `is overdue by ${formatDuration(-secondsLeft)}`;
  const owner = ticket.assigneeName ? `Assigned to ${ticket.assigneeName}.` : 'Nobody is assigned.';
  switch (firing.rung) {
    case RUNG_WARNING:
      return `⏰ ${what}: ${target} due in ${formatDuration(secondsLeft)}.`;
    case RUNG_BREACH: {
      const raised = bump ? ` Priority raised from ${bump.from} to ${bump.to}.` : '';
      return `🚨 SLA breached: ${what}: ${target} ${late}. ${owner}${raised}`;
    }
    case RUNG_MANAGER:
      return `🚨 Escalation: ${what}: ${target} ${late} and the team lead has not acknowledged. ${owner}`;
    default:
      return `🚨 Second call: ${what}: ${target} ${late}, still not acknowledged. ${owner}`;
  }
}

/** What a watcher of a breached ticket reads (one line per target breached in this sweep). */
export function breachWatcherText(input: {
  ticket: Pick<NoticeTicket, 'number' | 'subject' | 'priority'>;
  breaches: readonly { target: SlaTargetName; dueAt: Date }[];
  now: Date;
}): string {
  const { ticket, breaches, now } = input;
  const what = `${ticket.number} (${ticket.priority}) “${ticket.subject}”`;
  return breaches
    .map((b) => {
      const overdue = (now.getTime() - b.dueAt.getTime()) / 1000;
      const late = overdue < 60 ? 'was due just now' : `is overdue by ${formatDuration(overdue)}`;
      return `👁 SLA breached on a ticket you watch: ${what}: ${TARGET_LABELS[b.target]} ${late}.`;
    })
    .join('\n');
}

/** The buttons of a breach or manager ping; their value names the ladder. */
export function escalationActions(ref: LadderRef): StaffAction[] {
  const value = encodeLadderRef(ref);
  return [
    { id: ESCALATION_ACTION_IDS.acknowledge, value, label: 'Acknowledge' },
    { id: ESCALATION_ACTION_IDS.take_over, value, label: 'Take over' },
    { id: ESCALATION_ACTION_IDS.reassign, value, label: 'Reassign' },
  ];
}

export const targetLabel = (target: SlaTargetName): string => TARGET_LABELS[target];

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
  s: Pick<Stores, 'outbox'>,
  input: {
    ticket: PingTicket;
    firing: RungFiring;
    /** This evaluation's priority bump, said in the breach ping. */
    bump: { from: Priority; to: Priority } | null;
    leads: readonly TeamLead[];
    now: Date;
  },
): Promise<string[]> {
  const { ticket, firing, bump, leads, now } = input;
  const audiences = audiencesFor(ticket, firing, leads);
  const text = rungNoticeText({
    ticket: { ...ticket, priority: bump?.to ?? ticket.priority },
    firing,
    now,
    bump: bump && firing.audience === 'group_lead' ? bump : null,
  });
  const ref = { ticketId: ticket.id, target: firing.target, dueAt: firing.dueAt };
  const actions = firing.audience === 'assignee' ? [] : escalationActions(ref);
  const ladderKey = `sla:${ticket.id}:${firing.target}:${firing.dueAt.getTime()}:${firing.rung}`;
  for (const audience of audiences) {
    await enqueueStaffNotice(s, {
      tenantId: ticket.tenantId,
      ticketId: ticket.id,
      audience,
      text,
      actions,
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
