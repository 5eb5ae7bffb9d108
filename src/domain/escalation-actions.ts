/**
 * The buttons on breach and manager pings (Acknowledge / Take over / Reassign): their action ids,
 * what an acknowledgement records, and the ladder reference a button carries as its value.
 */
import { SLA_TARGET_NAMES, type SlaTargetName } from './escalation-ladder.js';

/** Action ids of the buttons on breach and manager pings; platforms route them back by id. */
export const ESCALATION_ACTION_IDS = {
  acknowledge: 'sla_ack',
  take_over: 'sla_take_over',
  reassign: 'sla_reassign',
} as const;
export type EscalationActionKind = keyof typeof ESCALATION_ACTION_IDS;

/** What an acknowledgement records (`sla_escalations.acknowledgement`). */
export type Acknowledgement = 'acknowledged' | 'taken_over' | 'reassigned';

/** The ladder a button acts on. */
export interface LadderRef {
  ticketId: string;
  target: SlaTargetName;
  dueAt: Date;
}

const REF_SEPARATOR = '|';

/** A button's value: `<ticket id>|<target>|<due time, ISO>`. */
export function encodeLadderRef(ref: LadderRef): string {
  return [ref.ticketId, ref.target, ref.dueAt.toISOString()].join(REF_SEPARATOR);
}

export function decodeLadderRef(value: string): LadderRef | null {
  const [ticketId, target, due, ...rest] = value.split(REF_SEPARATOR);
  if (rest.length || !ticketId || !due) return null;
  if (!(SLA_TARGET_NAMES as readonly string[]).includes(target ?? '')) return null;
  if (!/^[0-9a-f-]{36}$/i.test(ticketId)) return null;
  const dueAt = new Date(due);
  if (Number.isNaN(dueAt.getTime())) return null;
  return { ticketId, target: target as SlaTargetName, dueAt };
}
