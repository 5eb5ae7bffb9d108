/**
 * Storage for the SLA sweep and its escalation ladder. The sweep works set-based: one claim per
 * batch (`FOR UPDATE SKIP LOCKED` on the due tickets), one read per kind of data for the whole
 * batch, one multi-row write per table. Everything runs in the caller's transaction, so a process
 * that dies mid-batch leaves the batch's tickets, rungs and notices exactly as they were.
 */
import type { Acknowledgement } from '../domain/escalation-actions.js';
import type { FiredRung, SlaTargetName } from '../domain/escalation-ladder.js';
import type { Watcher } from '../domain/records.js';
import type { SlaPolicyRecord } from '../domain/sla-policy.js';
import type { Priority, TicketStatus } from '../domain/vocabulary.js';
import type { OutboxEnqueue } from './outbox.js';
import type { NewAuditEvent } from './stores.js';

/** A claimed ticket: what the ladder, the policy and the notices need. */
export interface SlaSweepTicket {
  id: string;
  tenantId: string;
  number: string;
  subject: string;
  status: TicketStatus;
  priority: Priority;
  category: string;
  groupId: string | null;
  assigneeId: string | null;
  assigneeName: string | null;
  customerTier: string | null;
  createdAt: Date;
  firstResponseAt: Date | null;
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  slaDueAt: Date | null;
  slaPausedAt: Date | null;
  slaBreached: boolean;
  firstResponseBreachedAt: Date | null;
  resolutionBreachedAt: Date | null;
}

export interface StoredRung extends FiredRung {
  ticketId: string;
  acknowledgedBy: string | null;
  acknowledgement: Acknowledgement | null;
}

export interface NewRung {
  tenantId: string;
  ticketId: string;
  target: SlaTargetName;
  dueAt: Date;
  rung: number;
  firedAt: Date;
}

/** An active supervisor and the agent groups they belong to. */
export interface TeamLead {
  tenantId: string;
  agentId: string;
  groupIds: string[];
}

/**
 * One ticket after a sweep: its next check (always written), and its SLA columns, written only
 * when `touchedAt` is set (a breach or a priority bump; otherwise they are what was claimed).
 */
export interface SlaTicketUpdate {
  tenantId: string;
  id: string;
  nextCheckAt: Date | null;
  priority: Priority;
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  slaDueAt: Date | null;
  slaBreached: boolean;
  firstResponseBreachedAt: Date | null;
  resolutionBreachedAt: Date | null;
  /**
   * Something visible changed (breach, priority): `updated_at` moves to this time. Null: the
   * ticket's own row is left alone and only its check moves.
   */
  touchedAt: Date | null;
}

export interface SlaSweepStore {
  /** Whether any ticket's check is due at `at` (one indexed read; nothing is locked). */
  anyDue(at: Date): Promise<boolean>;
  /**
   * Tickets of every tenant whose next check (`sla_checks`) is at or before `at`, earliest
   * first, at most `limit`; the tickets locked (FOR UPDATE SKIP LOCKED) until the transaction
   * ends, which also holds off every other writer of their checks.
   */
  claimDue(at: Date, limit: number): Promise<SlaSweepTicket[]>;
  /** Every fired rung of these tickets. */
  rungsOf(ticketIds: readonly string[]): Promise<StoredRung[]>;
  /** SLA policy records per tenant (tenants without records are absent). */
  policiesOf(tenantIds: readonly string[]): Promise<Map<string, SlaPolicyRecord[]>>;
  /** The watchers of these tickets (each pair is a tenant and one of its tickets). */
  watchersOf(tickets: readonly { tenantId: string; id: string }[]): Promise<Watcher[]>;
  /** Active supervisors of these tenants, with their groups. */
  leadsOf(tenantIds: readonly string[]): Promise<TeamLead[]>;
  /**
   * Inserts the rungs; returns those that were new (a rung already recorded for the same ticket,
   * target, due time and rung is skipped), so only new rungs ping.
   */
  insertRungs(rungs: readonly NewRung[]): Promise<NewRung[]>;
  /** Outbox rows in one statement (same semantics as `OutboxWriter.enqueue`, per row). */
  enqueueAll(rows: readonly OutboxEnqueue[]): Promise<void>;
  recordAll(events: readonly NewAuditEvent[]): Promise<void>;
  /** Moves (or, when null, removes) each ticket's check; rewrites the tickets touched. */
  updateTickets(updates: readonly SlaTicketUpdate[]): Promise<void>;
}

export interface SlaEscalationStore {
  /**
   * Acknowledges the unacknowledged rungs of one ladder (target and due time), or of every ladder
   * of the ticket when `ladder` is null. Returns the rungs acknowledged now.
   */
  acknowledge(input: {
    tenantId: string;
    ticketId: string;
    ladder: { target: SlaTargetName; dueAt: Date } | null;
    by: string | null;
    how: Acknowledgement;
    at: Date;
  }): Promise<StoredRung[]>;
}
