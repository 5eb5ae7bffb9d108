/**
 * The inbound pipeline: one customer event from any channel, handled in one transaction —
 * dedupe on (channel, external id), find or create the customer and the conversation, record the
 * message, run one step of the bot, carry out its effects — or, over the customer's flood limit,
 * put the message on their ticket without announcing it (inbound-flood.ts). The adapter answers
 * the platform only after the event is recorded, so an acknowledged message is always in the
 * database.
 */
import type { Actor } from '../../domain/actor.js';
import type { Customer, Tenant } from '../../domain/records.js';
import type { InboundEvent } from '../../ports/channel.js';
import type { Conversation, Stores } from '../../ports/stores.js';
import type { AppDeps, BotDeps, RequestContext } from '../context.js';
import { resolveCustomer } from '../customers.js';
import { lookUpReceipt, receiptCodeOf } from '../receipt-links.js';
import { appendToTicket, applyFlowEffects } from './flow-effects.js';
import { customerOf, flowInputOf, messageBody } from './inbound-event.js';
import { enqueueMediaDownloads } from './inbound-media.js';
import { loadFlowContext } from './flow-context.js';
import { scheduleWindowWarning } from '../whatsapp-window-timer.js';
import { checkInboundFlood, holdInboundMessage } from './inbound-flood.js';
import { enqueueDeliveryMark, markFor } from '../delivery-marks.js';
import { deferConversationWrites } from './conversation-writes.js';

/** `held`: recorded and on the ticket, but over the flood limit (not announced, no bot step). */
export type InboundOutcome = 'recorded' | 'held' | 'duplicate' | 'receipt' | 'ignored';

/** An abandoned flow is reminded once after this long, then expires after the same again. */
export const FLOW_REMINDER_MS = 30 * 60_000;

export interface HandleInboundOptions {
  /** More work for the event's transaction, run last before commit (the queue's own mark). */
  within?: (s: Stores, now: Date) => Promise<void>;
}

export async function handleInbound(
  deps: AppDeps,
  tenant: Tenant,
  event: InboundEvent,
  opts: HandleInboundOptions = {},
): Promise<InboundOutcome> {
  const bot = deps.bot;
  if (!bot) throw new Error('handleInbound needs the bot (deps.bot)');
  if (event.kind === 'status') return recordReceipt(deps, tenant, event, opts);
  let tripped = false; // this message started a flood hold (told to the metrics after commit)
  const outcome = await deps.uow.transaction(async (tx) => {
    const now = deps.clock.now();
    const system: Actor = { type: 'system' };
    const ctx: RequestContext = { tenant, actor: system };
    const customer = await resolveCustomer(tx, ctx, customerOf(event), now);
    const language = bot.translator.pickLanguage({
      ...(event.from.languageCode ? { telegramLanguageCode: event.from.languageCode } : {}),
      ...(event.from.phone ? { phone: event.from.phone } : {}),
    });
    const conversation = await tx.conversations.lockOrCreate(
      tenant.id,
      event.channel,
      event.chatId,
      {
        customerId: customer.id,
        language: customer.language ?? language,
      },
    );
    // The conversation is locked: its changes below are merged into one UPDATE at the end.
    const writes = deferConversationWrites(tx, tenant.id, conversation.id);
    const scope: LockedScope = { deps, bot, tenant, event, customer, conversation, now };
    const result = await handleLocked(writes.stores, scope);
    await writes.flush();
    await opts.within?.(tx, now);
    tripped = scope.tripped ?? false;
    return result;
  });
  deps.onOutboxWrite?.();
  if (outcome === 'held') deps.inboundFloodObserver?.held(event.channel, tripped);
  return outcome;
}

/** What the inbound transaction knows once the customer and the conversation are found. */
interface LockedScope {
  deps: AppDeps;
  bot: BotDeps;
  tenant: Tenant;
  event: InboundEvent;
  customer: Customer;
  conversation: Conversation;
  now: Date;
  /** Set when this message started a flood hold. */
  tripped?: boolean;
}

/** Records the message and runs the bot's step, under the conversation's row lock. */
async function handleLocked(s: Stores, scope: LockedScope): Promise<InboundOutcome> {
  const { deps, bot, tenant, event, customer, conversation, now } = scope;
  if (event.kind === 'blocked') {
    await s.conversations.update(
      tenant.id,
      conversation.id,
      { blocked: event.blocked ?? true },
      now,
    );
    return 'ignored' as const;
  }
  const message = await s.messages.insert({
    tenantId: tenant.id,
    ticketId: null,
    conversationId: conversation.id,
    authorType: 'customer',
    authorId: customer.id,
    body: messageBody(event),
    internal: false,
    channel: event.channel,
    externalId: event.externalId,
    createdAt: now,
  });
  if (!message) return 'duplicate' as const;
  const actor: Actor = { type: 'customer', id: customer.id };
  await s.conversations.update(
    tenant.id,
    conversation.id,
    { lastInboundAt: event.sentAt, blocked: false, customerId: customer.id },
    now,
  );
  if (event.channel === 'whatsapp') {
    await scheduleWindowWarning(s, tenant, conversation.id, event.sentAt);
  }
  const live = { ...conversation, customerId: customer.id, lastInboundAt: event.sentAt };

  const hold = await checkInboundFlood(s, tenant, live, now);
  if (hold) {
    await enqueueMediaDownloads(s, deps, bot, live, event, message.id, now, { held: true });
    const held = { tenant, conversation: live, messageId: message.id, actor, now };
    await holdInboundMessage(s, deps, bot, held, hold);
    scope.tripped = hold.startsHold;
    return 'held' as const;
  }
  const refused = await enqueueMediaDownloads(s, deps, bot, live, event, message.id, now);
  if (event.kind === 'edit') {
    await threadIntoOpenTicket(s, deps, live, message.id, actor, now);
    return 'recorded' as const;
  }
  if (refused && !event.text) return 'recorded' as const;

  const code = await receiptCodeOf(s, event, now);
  const receipt = code ? await lookUpReceipt(s, tenant.id, code, now) : null;
  if (receipt) live.data = { ...live.data, receipt };
  const flowCtx = await loadFlowContext(s, deps, tenant, live, now);
  const state = { flow: live.flow, step: live.step, data: live.data, language: live.language };
  const result = bot.step(state, flowInputOf(event), flowCtx);
  // The receipt rides along until the flow it started ends.
  if (flowCtx.receipt && result.state.flow && !result.state.data.receipt) {
    result.state.data = { ...result.state.data, receipt: flowCtx.receipt };
  }
  await applyFlowEffects(
    s,
    deps,
    bot,
    { tenant, conversation: live, messageId: message.id, actor, state: result.state, now },
    result.effects,
  );
  await s.conversations.update(
    tenant.id,
    conversation.id,
    {
      flow: result.state.flow,
      step: result.state.step,
      data: result.state.data,
      language: result.state.language,
      remindAt: result.state.flow ? new Date(now.getTime() + FLOW_REMINDER_MS) : null,
      remindedAt: null,
    },
    now,
  );
  return 'recorded' as const;
}

/** An edit (or any message outside the bot) goes into the customer's newest open ticket. */
async function threadIntoOpenTicket(
  s: Stores,
  deps: AppDeps,
  conversation: { tenantId: string; customerId: string },
  messageId: string,
  actor: Actor,
  now: Date,
): Promise<void> {
  const [open] = await s.tickets.listOpenForCustomer(
    conversation.tenantId,
    conversation.customerId,
    1,
  );
  if (!open) return;
  await appendToTicket(s, deps, open, messageId, actor, now);
}

async function recordReceipt(
  deps: AppDeps,
  tenant: Tenant,
  event: InboundEvent,
  opts: HandleInboundOptions,
): Promise<InboundOutcome> {
  const status = event.status;
  if (!status) {
    if (opts.within) await deps.uow.transaction((s) => opts.within!(s, deps.clock.now()));
    return 'ignored';
  }
  let marked = false;
  await deps.uow.transaction(async (s) => {
    const found = await s.messages.applyDeliveryReceipt(
      tenant.id,
      event.channel,
      status.messageExternalId,
      status.status,
      status.error ? `${status.error}${status.errorCode ? ` (${status.errorCode})` : ''}` : null,
    );
    if (found?.ticketId && status.status === 'failed') {
      await s.tickets.update(tenant.id, found.ticketId, {
        lastDeliveryError: status.error ?? 'delivery failed',
        updatedAt: deps.clock.now(),
      });
    }
    const mark = markFor(status.status);
    if (found?.ticketId && found.authorType === 'agent' && mark) {
      marked = await enqueueDeliveryMark(
        s,
        deps.notifyDestinations,
        { tenantId: tenant.id, ticketId: found.ticketId, messageId: found.id },
        mark,
      );
    }
    await opts.within?.(s, deps.clock.now());
  });
  if (marked) deps.onOutboxWrite?.();
  return 'recorded';
}

export type { BotDeps };
