/**
 * Storage for Parley's timers: auto-close, the daily queue report, scheduled tickets and the
 * WhatsApp window warning. Every `claim…` locks what it returns (`FOR UPDATE SKIP LOCKED`, or an
 * insert that conflicts) until the caller's transaction ends, so several processes sweeping at
 * once never take the same row.
 */
import type { Tenant } from '../domain/records.js';

export interface AutoCloseStore {
  /**
   * Resolved tickets whose tenant's auto-close delay has passed at `at`, oldest resolution first,
   * locked (SKIP LOCKED). Tenants with auto-close off (`auto_close_after_hours: null`) are skipped.
   */
  claimDue(at: Date, limit: number): Promise<{ tenantId: string; ticketId: string }[]>;
  /**
   * Clears the conversation's pending CSAT question when it is about `ticketId`. Returns `busy`
   * when the conversation is locked by someone else (a customer message being handled right now),
   * so the caller can leave the ticket for the next sweep instead of waiting on the lock.
   */
  clearCsatQuestion(
    tenantId: string,
    conversationId: string,
    ticketId: string,
    at: Date,
  ): Promise<'cleared' | 'none' | 'busy'>;
}

export interface QueueFigures {
  /** The agent group; null = tickets in no group. */
  groupId: string | null;
  groupName: string | null;
  open: number;
  overdue: number;
  resolvedToday: number;
  /** Of the tickets resolved today: how many had a first response, and its total time. */
  firstResponse: { count: number; totalSeconds: number };
  /** Of the tickets resolved today: time from creation to resolution. */
  resolution: { count: number; totalSeconds: number };
}

export interface StoredDailyReport {
  tenantId: string;
  date: string;
  sentAt: Date;
  report: Record<string, unknown>;
}

export interface DailyReportStore {
  /** Every tenant (the sweep decides, per time zone and setting, whose report is due). */
  listTenants(): Promise<Tenant[]>;
  find(tenantId: string, date: string): Promise<StoredDailyReport | null>;
  /**
   * Inserts the (tenant, date) row. Returns false when it exists already: another process sent
   * that day's report (a concurrent insert waits for the other transaction, then conflicts).
   */
  claim(
    tenantId: string,
    date: string,
    report: Record<string, unknown>,
    at: Date,
  ): Promise<boolean>;
  /** Per agent group (every group of the tenant, plus tickets in no group). */
  queueFigures(
    tenantId: string,
    window: { now: Date; dayStart: Date; dayEnd: Date },
  ): Promise<QueueFigures[]>;
}

export type ScheduledTicketStatus = 'scheduled' | 'opened' | 'cancelled' | 'failed';

export interface ScheduledTicket {
  id: string;
  tenantId: string;
  externalKey: string;
  runAt: Date;
  /** The `POST /tickets` body, as validated at scheduling time. */
  ticket: Record<string, unknown>;
  status: ScheduledTicketStatus;
  ticketId: string | null;
  error: string | null;
  attempts: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface ScheduledTicketStore {
  /** Inserts unless the external key exists; null then (the caller reads the existing one). */
  insert(input: {
    tenantId: string;
    externalKey: string;
    runAt: Date;
    ticket: Record<string, unknown>;
    at: Date;
  }): Promise<ScheduledTicket | null>;
  findById(
    tenantId: string,
    id: string,
    opts?: { forUpdate?: boolean },
  ): Promise<ScheduledTicket | null>;
  findByKey(
    tenantId: string,
    externalKey: string,
    opts?: { forUpdate?: boolean },
  ): Promise<ScheduledTicket | null>;
  /** By `run_at`, then id; `after` is the last row of the previous page. */
  list(
    tenantId: string,
    filter: { status?: ScheduledTicketStatus[] },
    page: { limit: number; after?: { runAt: Date; id: string } },
  ): Promise<ScheduledTicket[]>;
  /**
   * Due rows of every tenant (status `scheduled`, `run_at <= at`, past their retry back-off),
   * earliest first, locked (SKIP LOCKED).
   */
  claimDue(at: Date, limit: number): Promise<ScheduledTicket[]>;
  update(
    tenantId: string,
    id: string,
    patch: Partial<Pick<ScheduledTicket, 'status' | 'ticketId' | 'error' | 'attempts'>>,
    at: Date,
  ): Promise<ScheduledTicket>;
}

export interface WindowWarningDue {
  tenantId: string;
  conversationId: string;
  customerId: string;
  lastInboundAt: Date | null;
}

export interface WhatsappWindowStore {
  /** Sets (or clears, with null) when the conversation's window warning is due. */
  setWarnAt(tenantId: string, conversationId: string, at: Date | null): Promise<void>;
  /** Conversations whose warning is due, earliest first, locked (SKIP LOCKED). */
  claimDue(at: Date, limit: number): Promise<WindowWarningDue[]>;
  /** Whether an agent's public reply on the ticket or conversation was written at or after `since`. */
  agentRepliedSince(
    tenantId: string,
    refs: { ticketId: string; conversationId: string },
    since: Date,
  ): Promise<boolean>;
}
