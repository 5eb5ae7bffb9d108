/**
 * The inbox: a webhook only records the event (one insert, deduplicated on the channel's message
 * id) and answers; the bot's work happens right after, off the request path, in order per chat.
 * It rides on the outbox's queue (`inbound:<channel>` rows, ordered per chat, retried with
 * backoff, failures visible), so there is one claiming mechanism for all queued work.
 */
import type { Tenant } from '../../domain/records.js';
import type { InboundEvent } from '../../ports/channel.js';
import type { OutboxRow, SendResult, Sender } from '../../ports/outbox.js';
import type { AppDeps } from '../context.js';
import { handleInbound } from './handle-inbound.js';

export const inboundDestination = (channel: string): string => `inbound:${channel}`;

/** Durably records one inbound event; redelivery of the same message id records nothing. */
export async function recordInbound(
  deps: AppDeps,
  tenant: Tenant,
  event: InboundEvent,
): Promise<void> {
  // One INSERT statement is atomic on its own: no BEGIN/COMMIT round trips on the webhook path.
  await (deps.inbound ?? deps.uow.read.outbox).enqueue({
    tenantId: tenant.id,
    destination: inboundDestination(event.channel),
    orderingKey: `chat:${event.channel}:${event.chatId}`,
    dedupeKey: `in:${event.channel}:${event.externalId}`,
    payload: { event: { ...event, sentAt: event.sentAt.toISOString() } },
    maxAttempts: 12,
  });
  deps.onOutboxWrite?.();
}

/** The row's lease ran out and another claim took it over: this attempt must not count. */
class ClaimLost extends Error {
  constructor(id: number) {
    super(`inbound row ${id} was claimed again before this attempt finished`);
  }
}

function eventOf(row: OutboxRow): InboundEvent {
  const raw = row.payload.event as InboundEvent & { sentAt: string };
  return { ...raw, sentAt: new Date(raw.sentAt) };
}

/**
 * Processes `inbound:*` rows: the whole bot pipeline for one event. `current` is the process's
 * cached tenant (the webhooks' own: read at most once a second, forgotten at once when this
 * process changes the settings), so a settings change (categories, the flood limit…) applies
 * to the next message here, and within a second in other processes; rows of another tenant are
 * read per event (one primary-key lookup).
 */
export function inboundProcessor(deps: AppDeps, current?: () => Promise<Tenant>): Sender {
  const tenantOf = async (id: string): Promise<Tenant | null> => {
    const cached = current ? await current() : null;
    return cached?.id === id ? cached : deps.uow.read.tenants.findById(id);
  };
  return {
    async send(row: OutboxRow): Promise<SendResult> {
      const tenant = await tenantOf(row.tenantId);
      if (!tenant) return { ok: false, error: `tenant ${row.tenantId} not found`, permanent: true };
      const claim = { id: row.id, attempts: row.attempts };
      let recorded = false;
      try {
        // The row is marked done in the event's own transaction: one commit, and a claim that
        // was lost (lease expired, claimed again elsewhere) rolls the work back instead of
        // doing it twice.
        await handleInbound(deps, tenant, eventOf(row), {
          async within(s, now) {
            if (!s.outbox.complete) return;
            if (!(await s.outbox.complete(claim, now))) throw new ClaimLost(row.id);
            recorded = true;
          },
        });
        return { ok: true, recorded };
      } catch (err) {
        if (err instanceof ClaimLost) {
          deps.logger.warn({ outboxId: row.id }, 'inbound event claimed again elsewhere');
          return { ok: false, error: err.message };
        }
        deps.logger.error({ err, outboxId: row.id }, 'inbound event failed; it will be retried');
        return { ok: false, error: err instanceof Error ? err.message : String(err) };
      }
    },
  };
}
