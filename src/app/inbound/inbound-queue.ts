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

function eventOf(row: OutboxRow): InboundEvent {
  const raw = row.payload.event as InboundEvent & { sentAt: string };
  return { ...raw, sentAt: new Date(raw.sentAt) };
}

/** Processes `inbound:*` rows: the whole bot pipeline for one event. */
export function inboundProcessor(deps: AppDeps): Sender {
  const tenants = new Map<string, Tenant>();
  return {
    async send(row: OutboxRow): Promise<SendResult> {
      let tenant = tenants.get(row.tenantId);
      if (!tenant) {
        const found = await deps.uow.read.tenants.findById(row.tenantId);
        if (!found)
          return { ok: false, error: `tenant ${row.tenantId} not found`, permanent: true };
        tenant = found;
        tenants.set(row.tenantId, tenant);
      }
      try {
        await handleInbound(deps, tenant, eventOf(row));
        return { ok: true };
      } catch (err) {
        deps.logger.error({ err, outboxId: row.id }, 'inbound event failed; it will be retried');
        return { ok: false, error: err instanceof Error ? err.message : String(err) };
      }
    },
  };
}
