/**
 * Opening a ticket: validate against the tenant's vocabulary and rules, find or merge the
 * customer, take the next number, compute SLA due times and the claim window, and record the
 * ticket, its first message, attachments, audit event and outbox rows in one transaction.
 */
import { createHash } from 'node:crypto';
import { actorRef } from '../domain/actor.js';
import { evaluateClaimWindow } from '../domain/claim-window.js';
import { conflict } from '../domain/errors.js';
import type { Ticket, TicketLinks } from '../domain/records.js';
import { computeSlaDue } from '../domain/sla-clock.js';
import { nextSlaDue } from '../domain/sla-targets.js';
import { assertCategory, assertPhotoRule, assertPriority } from '../domain/tenant-vocabulary.js';
import { formatTicketNumber, yearInTimeZone } from '../domain/ticket-number.js';
import type { Stores } from '../ports/stores.js';
import type { AppDeps, RequestContext } from './context.js';
import { setTicketGroup } from './auto-assign.js';
import { resolveCustomer } from './customers.js';
import type { CreateTicketInput } from './inputs.js';
import { enqueueTicketEvent } from './outbox-events.js';
import { prepareAttachments, recordAttachments } from './store-attachments.js';
import { loadSlaPolicy } from './sla-policies.js';
import { vocabularyOf } from './tenant-policy.js';

const IDEMPOTENCY_SCOPE = 'POST /tickets';

function requestHash(input: CreateTicketInput): string {
  return createHash('sha256').update(JSON.stringify(input)).digest('hex');
}

export async function createTicket(
  deps: AppDeps,
  ctx: RequestContext,
  input: CreateTicketInput,
  opts: { idempotencyKey?: string } = {},
): Promise<Ticket> {
  const { tenant } = ctx;
  const vocab = vocabularyOf(tenant);
  assertCategory(vocab, input.category);
  const priority = input.priority ?? vocab.default_priority;
  assertPriority(vocab, priority);
  assertPhotoRule({ vocab, category: input.category, attachments: input.attachments });
  const prepared = await prepareAttachments(deps.files, input.attachments);

  const ticket = await deps.uow.transaction(async (s) => {
    const now = deps.clock.now();
    if (opts.idempotencyKey) {
      const hash = requestHash(input);
      const earlier = await s.idempotency.claim(
        tenant.id,
        IDEMPOTENCY_SCOPE,
        opts.idempotencyKey,
        hash,
        now,
      );
      if (earlier) return replay(s, ctx, earlier, hash);
    }
    const created = await openTicket(s, deps, ctx, input, priority, prepared, now);
    if (opts.idempotencyKey) {
      await s.idempotency.complete(tenant.id, IDEMPOTENCY_SCOPE, opts.idempotencyKey, 201, {
        ticket_id: created.id,
      });
    }
    return created;
  });
  deps.onOutboxWrite?.();
  return ticket;
}

async function replay(
  s: Stores,
  ctx: RequestContext,
  earlier: { requestHash: string; body: unknown },
  hash: string,
): Promise<Ticket> {
  if (earlier.requestHash !== hash) {
    throw conflict(
      'This Idempotency-Key was already used with a different request',
      'idempotency_key_reused',
    );
  }
  const ticketId = (earlier.body as { ticket_id?: string } | null)?.ticket_id;
  const ticket = ticketId ? await s.tickets.findById(ctx.tenant.id, ticketId) : null;
  if (!ticket) throw conflict('The request with this Idempotency-Key did not complete');
  return ticket;
}

async function openTicket(
  s: Stores,
  deps: AppDeps,
  ctx: RequestContext,
  input: CreateTicketInput,
  priority: Ticket['priority'],
  prepared: Awaited<ReturnType<typeof prepareAttachments>>,
  now: Date,
): Promise<Ticket> {
  const { tenant } = ctx;
  const customer = await resolveCustomer(s, ctx, input.customer, now);
  const channel = input.channel ?? 'api';
  const ticket = await insertTicket(
    s,
    deps,
    ctx,
    { ...input, priority, channel, customerId: customer.id },
    now,
  );
  if (input.description || prepared.length > 0) {
    const message = await s.messages.insert({
      tenantId: tenant.id,
      ticketId: ticket.id,
      authorType: 'customer',
      authorId: customer.id,
      body: input.description ?? '',
      internal: false,
      channel,
      createdAt: now,
    });
    await recordAttachments(
      s,
      { tenantId: tenant.id, ticketId: ticket.id, messageId: message?.id ?? null },
      prepared,
    );
  }
  return ticket;
}

export interface NewTicketFields {
  subject: string;
  description?: string | undefined;
  category: string;
  priority: Ticket['priority'];
  kind?: Ticket['kind'] | undefined;
  channel: Ticket['channel'];
  customerId: string;
  links?: TicketLinks | undefined;
  delivery_date?: string | undefined;
  conversationId?: string | null;
}

/**
 * Numbers, SLA due times, claim window, the row, its audit event and outbox events: what every
 * new ticket gets, whether it came through the API or a chat. Runs in the caller's transaction.
 * The due times follow the policy of the ticket's group (from routing), category and customer
 * tier, counted in its business calendar; the SLA sweep looks at the ticket straight away.
 */
export async function insertTicket(
  s: Stores,
  deps: AppDeps,
  ctx: RequestContext,
  fields: NewTicketFields,
  now: Date,
): Promise<Ticket> {
  const { tenant } = ctx;
  const year = yearInTimeZone(now, tenant.timezone);
  const seq = await s.tickets.nextSequence(tenant.id, year);
  const groupName = tenant.settings.routing?.[fields.category];
  const group = groupName ? await s.assignment.findGroupByName(tenant.id, groupName) : null;
  const policy = await loadSlaPolicy(s, tenant, {
    groupId: group?.id ?? null,
    category: fields.category,
    customerId: fields.customerId,
  });
  const due = computeSlaDue({ start: now, priority: fields.priority, policy });
  const claim = evaluateClaimWindow({
    deliveryDate: fields.delivery_date ?? null,
    raisedAt: now,
    timeZone: tenant.timezone,
    graceDays: tenant.settings.claim_window_grace_days ?? 0,
  });
  const ticket = await s.tickets.insert({
    tenantId: tenant.id,
    number: formatTicketNumber(year, seq),
    subject: fields.subject,
    description: fields.description ?? null,
    status: 'new',
    priority: fields.priority,
    category: fields.category,
    kind: fields.kind ?? 'b2c',
    channel: fields.channel,
    customerId: fields.customerId,
    assigneeId: null,
    links: fields.links ?? {},
    deliveryDate: fields.delivery_date ?? null,
    withinPolicyWindow: claim.within_policy_window,
    daysLate: claim.days_late,
    firstResponseDueAt: due.first_response_due_at,
    resolutionDueAt: due.resolution_due_at,
    slaDueAt: nextSlaDue({ ...due, first_response_at: null, status: 'new' }),
    slaNextCheckAt: now,
    conversationId: fields.conversationId ?? null,
    createdAt: now,
  });
  const who = actorRef(ctx.actor);
  await s.audit.record({
    tenantId: tenant.id,
    entityType: 'ticket',
    entityId: ticket.id,
    ticketId: ticket.id,
    action: 'created',
    actorType: who.actor_type,
    actorId: who.actor_id,
    changes: {
      status: { from: null, to: ticket.status },
      priority: { from: null, to: ticket.priority },
      category: { from: null, to: ticket.category },
    },
    createdAt: now,
  });
  await enqueueTicketEvent(s, deps, { type: 'ticket.created', ticket });
  if (group) return setTicketGroup(s, deps, ticket, group.id, now);
  return ticket;
}
