/**
 * The SLA sweep (job `sla:sweep`): claims tickets whose next check (`sla_checks`) has come, runs
 * each through the escalation ladder (src/domain/escalation-ladder.ts) and writes the outcome.
 *
 * Set-based, per batch of up to `batchSize` tickets, in one transaction: the claim (FOR UPDATE
 * SKIP LOCKED), the batch's fired rungs, the tenants' SLA policies, the team leads (only when a
 * breach rung fires), the watchers of breached tickets (told once if they asked for `sla`), then
 * one multi-row insert of new rungs (`ON CONFLICT DO NOTHING RETURNING`: only rungs that are
 * really new ping), one of outbox rows, one of audit events, one move of the checks and one
 * multi-row update of the tickets that changed (breaches). Several processes sweeping at once
 * take disjoint batches; a process that dies mid-batch rolls the whole batch back, and the next
 * sweep finds those tickets still due. So no rung fires twice and none is lost.
 *
 * Other writers only need to set `slaNextCheckAt` to a moment no later than the ticket's next
 * interesting one (now is always safe) whenever its SLA inputs change: the sweep re-derives
 * everything from the ticket and its rungs.
 */
import {
  type LadderDecision,
  type RungFiring,
  evaluateLadder,
} from '../domain/escalation-ladder.js';
import { resolveSlaPolicy } from '../domain/sla-policy.js';
import { DEFAULT_STAFF_LANGUAGE } from '../domain/staff-language.js';
import type { OutboxEnqueue } from '../ports/outbox.js';
import type { StaffT } from '../ports/staff-translator.js';
import type { SlaSweepTicket, SlaTicketUpdate, StoredRung } from '../ports/sla-stores.js';
import type { NewAuditEvent, Stores } from '../ports/stores.js';
import type { AppDeps } from './context.js';
import { eventDestinations, ticketEventRows } from './outbox-events.js';
import { breachWatcherText, pingRung } from './sla-notices.js';
import { staffTextOf } from './staff-text.js';
import { notifyWatchersOfBreach } from './watcher-notices.js';

export interface SlaSweepOptions {
  /** Tickets per transaction (default 500). */
  batchSize?: number;
  /** Batches per run at most (default 40); what is left waits for the next run. */
  maxBatches?: number;
  /** Batches in flight at once, each in its own transaction and connection (default 2). */
  concurrency?: number;
}

export interface SlaSweepResult {
  claimed: number;
  /** Rungs fired (each pings one or more people or channels). */
  fired: number;
  breached: number;
  bumped: number;
  batches: number;
}

const EMPTY: SlaSweepResult = { claimed: 0, fired: 0, breached: 0, bumped: 0, batches: 0 };

/** One sweep: what it claimed and did (all zeros when nothing was due). */
export async function runSlaSweep(
  deps: AppDeps,
  opts: SlaSweepOptions = {},
): Promise<SlaSweepResult> {
  const batchSize = opts.batchSize ?? 500;
  const maxBatches = opts.maxBatches ?? 40;
  const concurrency = Math.max(1, opts.concurrency ?? 2);
  // One instant for the whole run: every ticket handled gets a next check after it, so later
  // batches never claim a ticket this run already handled.
  const now = deps.clock.now();
  const total = { ...EMPTY };
  // The common case, nothing due: one indexed read, no transaction.
  if (!(await deps.uow.read.slaSweep.anyDue(now))) return total;
  // `concurrency` workers, each claiming and writing one batch after another on its own
  // connection (disjoint tickets: SKIP LOCKED). No worker waits for the others between batches, so
  // while one waits for a lock (the outbox's ordering keys, held to the other's commit) or its
  // commit, the other keeps the CPU busy. A batch that comes back short, or fails, stops the
  // workers from claiming more; they finish what they have before the run returns or throws, so
  // no batch of this run is still holding its tickets after it.
  let started = 0;
  let stop = false;
  const failures: unknown[] = [];
  const worker = async () => {
    while (!stop && started < maxBatches) {
      started += 1;
      try {
        const batch = await deps.uow.transaction((s) => sweepBatch(s, deps, now, batchSize));
        total.claimed += batch.claimed;
        total.fired += batch.fired;
        total.breached += batch.breached;
        total.bumped += batch.bumped;
        total.batches += batch.batches;
        if (batch.claimed < batchSize) stop = true;
      } catch (err) {
        failures.push(err);
        stop = true;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (failures.length > 0) throw failures[0];
  if (total.fired > 0 || total.breached > 0) deps.onOutboxWrite?.();
  return total;
}

const RETRY_MS = 3_600_000;
const SKIPPED: LadderDecision = {
  fire: [],
  breaches: [],
  bump: null,
  deferredUntil: null,
  nextCheckAt: null,
};

interface Evaluated {
  ticket: SlaSweepTicket;
  decision: LadderDecision;
}

const firingKey = (ticketId: string, f: { target: string; dueAt: Date; rung: number }) =>
  `${ticketId}|${f.target}|${f.dueAt.getTime()}|${f.rung}`;

async function sweepBatch(
  s: Stores,
  deps: AppDeps,
  now: Date,
  limit: number,
): Promise<SlaSweepResult> {
  const tickets = await s.slaSweep.claimDue(now, limit);
  if (tickets.length === 0) return EMPTY;
  const tenantIds = [...new Set(tickets.map((t) => t.tenantId))];
  const rungs = await s.slaSweep.rungsOf(tickets.map((t) => t.id));
  const policies = await s.slaSweep.policiesOf(tenantIds);
  const rungsByTicket = new Map<string, StoredRung[]>();
  for (const r of rungs) {
    const list = rungsByTicket.get(r.ticketId);
    if (list) list.push(r);
    else rungsByTicket.set(r.ticketId, [r]);
  }

  const evaluated: Evaluated[] = tickets.map((ticket) => {
    try {
      const policy = resolveSlaPolicy(policies.get(ticket.tenantId) ?? [], ticket);
      const fired = rungsByTicket.get(ticket.id) ?? [];
      return { ticket, decision: evaluateLadder({ ticket, policy, fired, now }) };
    } catch (err) {
      // One bad ticket (say, a calendar without working time) must not hold up the others.
      deps.logger.error({ err, ticketId: ticket.id }, 'SLA check failed; trying again in an hour');
      return { ticket, decision: { ...SKIPPED, nextCheckAt: new Date(now.getTime() + RETRY_MS) } };
    }
  });
  const needsLeads = evaluated.some((e) =>
    e.decision.fire.some((f) => f.audience === 'group_lead'),
  );
  const leads = needsLeads ? await s.slaSweep.leadsOf(tenantIds) : [];

  const inserted = await s.slaSweep.insertRungs(
    evaluated.flatMap(({ ticket, decision }) =>
      decision.fire.map((f) => ({
        tenantId: ticket.tenantId,
        ticketId: ticket.id,
        target: f.target,
        dueAt: f.dueAt,
        rung: f.rung,
        firedAt: now,
      })),
    ),
  );
  const isNew = new Set(inserted.map((r) => firingKey(r.ticketId, r)));
  const breached = evaluated.filter((e) => e.decision.breaches.length > 0).map((e) => e.ticket);
  const watchers = await s.slaSweep.watchersOf(breached);
  // A breach changes the ticket: the tenant's webhooks hear of it as of any other change.
  const updatedTo = new Map<string, string[]>();
  for (const ticket of breached) {
    if (updatedTo.has(ticket.tenantId)) continue;
    updatedTo.set(
      ticket.tenantId,
      await eventDestinations(s, deps, ticket.tenantId, 'ticket.updated'),
    );
  }
  // The staff language of each tenant that has something to say in this batch.
  const texts = new Map<string, StaffT>();
  for (const { ticket, decision } of evaluated) {
    if (texts.has(ticket.tenantId)) continue;
    if (decision.fire.length === 0 && decision.breaches.length === 0) continue;
    texts.set(ticket.tenantId, await staffTextOf(deps, s, ticket.tenantId));
  }

  const outbox: OutboxEnqueue[] = [];
  const collect: Pick<Stores, 'outbox'> = {
    outbox: { enqueue: async (row) => void outbox.push(row) },
  };
  const audits: NewAuditEvent[] = [];
  const updates: SlaTicketUpdate[] = [];
  const result = { ...EMPTY, claimed: tickets.length, batches: 1 };

  for (const { ticket, decision } of evaluated) {
    const t = texts.get(ticket.tenantId) ?? deps.staff.forLanguage(DEFAULT_STAFF_LANGUAGE);
    let stale = false;
    const pinged = new Set<string>();
    for (const firing of decision.fire) {
      if (!isNew.has(firingKey(ticket.id, firing))) {
        stale = true; // fired meanwhile by someone else: look again at the next sweep
        continue;
      }
      const notified = await pingRung(deps, collect, {
        ticket,
        firing,
        bump: decision.bump,
        leads,
        now,
        t,
      });
      for (const who of notified) pinged.add(who);
      audits.push(rungAudit(ticket, firing, notified, now));
      result.fired += 1;
    }
    if (decision.breaches.length > 0) {
      await notifyWatchersOfBreach(deps, collect, {
        ticket,
        breachKey: `${ticket.id}:${decision.breaches.map((b) => `${b.target}@${b.dueAt.getTime()}`).join(',')}`,
        text: breachWatcherText({ ticket, breaches: decision.breaches, now, t }),
        watchers,
        alreadyTold: new Set(
          [...pinged].filter((w) => w.startsWith('agent:')).map((w) => w.slice('agent:'.length)),
        ),
      });
      result.breached += decision.breaches.length;
      if (decision.bump) result.bumped += 1;
      const changes = breachChanges(ticket, decision);
      audits.push({
        tenantId: ticket.tenantId,
        entityType: 'ticket',
        entityId: ticket.id,
        ticketId: ticket.id,
        action: 'sla_breached',
        actorType: 'system',
        actorId: null,
        changes,
        createdAt: now,
      });
      // The card shows the change; watchers who asked for `sla` events were told above.
      outbox.push(
        ...ticketEventRows(updatedTo.get(ticket.tenantId) ?? deps.notifyDestinations, {
          type: 'ticket.updated',
          ticket,
          changes,
        }),
      );
    }
    updates.push(ticketUpdate(ticket, decision, stale, now));
  }

  await s.slaSweep.updateTickets(updates);
  await s.slaSweep.recordAll(audits);
  // Last: the outbox's ordering-key locks are held from here to commit.
  await s.slaSweep.enqueueAll(outbox);
  return result;
}

function rungAudit(
  ticket: SlaSweepTicket,
  firing: RungFiring,
  notified: string[],
  now: Date,
): NewAuditEvent {
  return {
    tenantId: ticket.tenantId,
    entityType: 'ticket',
    entityId: ticket.id,
    ticketId: ticket.id,
    action: 'sla_escalation',
    actorType: 'system',
    actorId: null,
    changes: {
      rung: { from: null, to: firing.rung },
      target: { from: null, to: firing.target },
      due_at: { from: null, to: firing.dueAt.toISOString() },
      notified: { from: null, to: notified },
    },
    createdAt: now,
  };
}

type Changes = Record<string, { from: unknown; to: unknown }>;

function breachChanges(ticket: SlaSweepTicket, decision: LadderDecision): Changes {
  const changes: Changes = {};
  for (const b of decision.breaches) {
    changes[`${b.target}_breached_at`] = { from: null, to: b.dueAt.toISOString() };
  }
  if (!ticket.slaBreached) changes.sla_breached = { from: false, to: true };
  const bump = decision.bump;
  if (bump) {
    changes.priority = { from: bump.from, to: bump.to };
    const iso = (d: Date | null) => d?.toISOString() ?? null;
    if (iso(bump.firstResponseDueAt) !== iso(ticket.firstResponseDueAt)) {
      changes.first_response_due_at = {
        from: iso(ticket.firstResponseDueAt),
        to: iso(bump.firstResponseDueAt),
      };
    }
    if (iso(bump.resolutionDueAt) !== iso(ticket.resolutionDueAt)) {
      changes.resolution_due_at = {
        from: iso(ticket.resolutionDueAt),
        to: iso(bump.resolutionDueAt),
      };
    }
  }
  return changes;
}

function ticketUpdate(
  ticket: SlaSweepTicket,
  decision: LadderDecision,
  stale: boolean,
  now: Date,
): SlaTicketUpdate {
  const { breaches, bump } = decision;
  const breachedAt = (target: 'first_response' | 'resolution', current: Date | null) =>
    current ?? breaches.find((b) => b.target === target)?.dueAt ?? null;
  return {
    tenantId: ticket.tenantId,
    id: ticket.id,
    nextCheckAt: stale ? new Date(now.getTime() + 1000) : decision.nextCheckAt,
    priority: bump?.to ?? ticket.priority,
    firstResponseDueAt: bump ? bump.firstResponseDueAt : ticket.firstResponseDueAt,
    resolutionDueAt: bump ? bump.resolutionDueAt : ticket.resolutionDueAt,
    slaDueAt: bump ? bump.slaDueAt : ticket.slaDueAt,
    slaBreached: ticket.slaBreached || breaches.length > 0,
    firstResponseBreachedAt: breachedAt('first_response', ticket.firstResponseBreachedAt),
    resolutionBreachedAt: breachedAt('resolution', ticket.resolutionBreachedAt),
    touchedAt: breaches.length > 0 || bump ? now : null,
  };
}
