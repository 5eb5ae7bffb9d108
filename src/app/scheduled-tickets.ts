/**
 * Scheduled tickets (purchase journeys): open a ticket at a future time, e.g. a service check-in
 * six months after an appliance purchase and a warranty follow-up at one year.
 *
 * - Idempotent on the caller's external key: the same key with the same body answers the
 *   existing schedule; a different body is 409 `external_key_reused`.
 * - The ticket body is checked now (same schema as `POST /tickets` at the edge, the tenant's
 *   vocabulary and photo rule here), so mistakes surface today, not in six months.
 * - Cancellable until opened.
 * - The sweep claims due rows (`FOR UPDATE SKIP LOCKED`) and opens each through the normal
 *   create-ticket use case with the idempotency key `scheduled:<id>`: if Parley dies after the
 *   ticket committed but before the row was marked, the row is still `scheduled`, and the retry
 *   gets the same ticket back instead of a second one. Failures count attempts with back-off;
 *   the fifth failure marks the row `failed` with the error.
 */
import { SYSTEM_ACTOR, actorRef, isEngineer } from '../domain/actor.js';
import { ParleyError, conflict, forbidden, invalid, notFound } from '../domain/errors.js';
import { assertCategory, assertPhotoRule, assertPriority } from '../domain/tenant-vocabulary.js';
import type { Stores } from '../ports/stores.js';
import type { ScheduledTicket, ScheduledTicketStatus } from '../ports/timer-stores.js';
import type { AppDeps, RequestContext } from './context.js';
import { createTicket } from './create-ticket.js';
import type { CreateTicketInput } from './inputs.js';
import { prepareAttachments } from './store-attachments.js';
import { vocabularyOf } from './tenant-policy.js';
import { isUuid } from '../domain/uuid.js';

export const MAX_SCHEDULED_ATTEMPTS = 5;
/** The furthest ahead a ticket may be scheduled. */
const MAX_AHEAD_MS = 5 * 366 * 24 * 3_600_000;

export interface ScheduleTicketInput {
  external_key: string;
  run_at: Date;
  ticket: CreateTicketInput;
}

export interface ListScheduledInput {
  status?: ScheduledTicketStatus[] | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

/** JSON with sorted keys and no `undefined`: equal bodies give equal strings. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : v,
  );
}

function assertMayManage(ctx: RequestContext): void {
  if (ctx.actor.type === 'customer' || isEngineer(ctx.actor)) {
    throw forbidden('Only agents and integrations may schedule tickets');
  }
}

async function audit(
  s: Stores,
  ctx: RequestContext,
  row: ScheduledTicket,
  action: string,
  at: Date,
) {
  const who = actorRef(ctx.actor);
  await s.audit.record({
    tenantId: row.tenantId,
    entityType: 'scheduled_ticket',
    entityId: row.id,
    action,
    actorType: who.actor_type,
    actorId: who.actor_id,
    changes: { status: { from: action === 'created' ? null : 'scheduled', to: row.status } },
    createdAt: at,
  });
}

export async function scheduleTicket(
  deps: AppDeps,
  ctx: RequestContext,
  input: ScheduleTicketInput,
): Promise<{ scheduled: ScheduledTicket; created: boolean }> {
  assertMayManage(ctx);
  const now = deps.clock.now();
  if (input.run_at.getTime() <= now.getTime()) {
    throw invalid('run_at must be in the future', [
      { path: 'run_at', message: 'Not in the future' },
    ]);
  }
  if (input.run_at.getTime() - now.getTime() > MAX_AHEAD_MS) {
    throw invalid('run_at may be at most 5 years ahead', [{ path: 'run_at', message: 'Too far' }]);
  }
  const vocab = vocabularyOf(ctx.tenant);
  assertCategory(vocab, input.ticket.category);
  assertPriority(vocab, input.ticket.priority ?? vocab.default_priority);
  assertPhotoRule({
    vocab,
    category: input.ticket.category,
    attachments: input.ticket.attachments,
  });
  // Decodes and checks the files now (content-addressed: storing them again later is a no-op).
  await prepareAttachments(deps.files, input.ticket.attachments);

  const ticket = JSON.parse(JSON.stringify(input.ticket)) as Record<string, unknown>;
  return deps.uow.transaction(async (s) => {
    const inserted = await s.scheduledTickets.insert({
      tenantId: ctx.tenant.id,
      externalKey: input.external_key,
      runAt: input.run_at,
      ticket,
      at: now,
    });
    if (inserted) {
      await audit(s, ctx, inserted, 'created', now);
      return { scheduled: inserted, created: true };
    }
    const existing = await s.scheduledTickets.findByKey(ctx.tenant.id, input.external_key);
    if (!existing) throw new Error('scheduled ticket vanished after a key conflict');
    const same =
      existing.runAt.getTime() === input.run_at.getTime() &&
      canonical(existing.ticket) === canonical(ticket);
    if (!same) {
      throw conflict(
        `external_key "${input.external_key}" is already scheduled with a different body`,
        'external_key_reused',
      );
    }
    return { scheduled: existing, created: false };
  });
}

/** By id (a UUID) or, failing that, by external key. */
async function findScheduled(
  s: Stores,
  tenantId: string,
  idOrKey: string,
  forUpdate = false,
): Promise<ScheduledTicket> {
  const opts = { forUpdate };
  const byId = isUuid(idOrKey)
    ? await s.scheduledTickets.findById(tenantId, idOrKey.toLowerCase(), opts)
    : null;
  const found = byId ?? (await s.scheduledTickets.findByKey(tenantId, idOrKey, opts));
  if (!found) throw notFound(`scheduled ticket ${idOrKey}`);
  return found;
}

export async function getScheduledTicket(
  deps: AppDeps,
  ctx: RequestContext,
  idOrKey: string,
): Promise<ScheduledTicket> {
  if (ctx.actor.type === 'customer') throw forbidden('Customers may not read schedules');
  return findScheduled(deps.uow.read, ctx.tenant.id, idOrKey);
}

export async function cancelScheduledTicket(
  deps: AppDeps,
  ctx: RequestContext,
  idOrKey: string,
): Promise<ScheduledTicket> {
  assertMayManage(ctx);
  return deps.uow.transaction(async (s) => {
    const now = deps.clock.now();
    // Waits for a sweep that is opening it right now, then sees `opened`.
    const row = await findScheduled(s, ctx.tenant.id, idOrKey, true);
    if (row.status === 'cancelled') return row;
    if (row.status === 'opened') {
      throw conflict('This scheduled ticket was already opened', 'scheduled_ticket_opened');
    }
    const cancelled = await s.scheduledTickets.update(
      row.tenantId,
      row.id,
      { status: 'cancelled' },
      now,
    );
    await audit(s, ctx, cancelled, 'cancelled', now);
    return cancelled;
  });
}

interface Cursor {
  r: string;
  i: string;
}

function decodeCursor(cursor: string): { runAt: Date; id: string } {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Cursor;
    const runAt = new Date(c.r);
    if (typeof c.i !== 'string' || !isUuid(c.i) || Number.isNaN(runAt.getTime())) throw 0;
    return { runAt, id: c.i };
  } catch {
    throw invalid('Invalid cursor', [{ path: 'cursor', message: 'Not a cursor from this list' }]);
  }
}

const encodeCursor = (row: ScheduledTicket): string =>
  Buffer.from(JSON.stringify({ r: row.runAt.toISOString(), i: row.id } satisfies Cursor)).toString(
    'base64url',
  );

export async function listScheduledTickets(
  deps: AppDeps,
  ctx: RequestContext,
  input: ListScheduledInput,
): Promise<{ data: ScheduledTicket[]; nextCursor: string | null }> {
  if (ctx.actor.type === 'customer') throw forbidden('Customers may not read schedules');
  const limit = input.limit ?? 50;
  const rows = await deps.uow.read.scheduledTickets.list(
    ctx.tenant.id,
    input.status ? { status: input.status } : {},
    { limit: limit + 1, ...(input.cursor ? { after: decodeCursor(input.cursor) } : {}) },
  );
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  return { data, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

export interface ScheduledSweepResult {
  opened: number;
  retrying: number;
  failed: number;
}

function describeError(err: unknown): string {
  if (err instanceof ParleyError) return `${err.code}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

/** The sweep: opens due scheduled tickets, each once, in batches (at most `maxBatches`). */
export async function runScheduledTickets(
  deps: AppDeps,
  opts: { limit?: number; maxBatches?: number } = {},
): Promise<ScheduledSweepResult> {
  const limit = opts.limit ?? 20;
  const result: ScheduledSweepResult = { opened: 0, retrying: 0, failed: 0 };
  for (let batch = 0; batch < (opts.maxBatches ?? 5); batch += 1) {
    if ((await openBatch(deps, limit, result)) < limit) break;
  }
  return result;
}

/** One claim and its rows, in one transaction; returns how many rows it claimed. */
async function openBatch(
  deps: AppDeps,
  limit: number,
  result: ScheduledSweepResult,
): Promise<number> {
  return deps.uow.transaction(async (s) => {
    const now = deps.clock.now();
    const due = await s.scheduledTickets.claimDue(now, limit);
    for (const row of due) {
      const attempts = row.attempts + 1;
      try {
        const tenant = await s.tenants.findById(row.tenantId);
        if (!tenant) throw new Error('tenant not found');
        // Its own transaction; the key makes a retry after a crash return the same ticket.
        const ticket = await createTicket(
          deps,
          { tenant, actor: SYSTEM_ACTOR },
          row.ticket as unknown as CreateTicketInput,
          { idempotencyKey: `scheduled:${row.id}` },
        );
        await s.scheduledTickets.update(
          row.tenantId,
          row.id,
          { status: 'opened', ticketId: ticket.id, error: null, attempts },
          now,
        );
        result.opened += 1;
      } catch (err) {
        const failed = attempts >= MAX_SCHEDULED_ATTEMPTS;
        await s.scheduledTickets.update(
          row.tenantId,
          row.id,
          { attempts, error: describeError(err), ...(failed ? { status: 'failed' as const } : {}) },
          now,
        );
        if (failed) result.failed += 1;
        else result.retrying += 1;
        deps.logger.warn(
          { err, tenantId: row.tenantId, scheduledTicketId: row.id, attempts },
          failed ? 'scheduled ticket failed' : 'scheduled ticket will be retried',
        );
      }
    }
    return due.length;
  });
}
