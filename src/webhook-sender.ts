/**
 * Delivers `webhook:<subscription id>` outbox rows: the ticket event, with the ticket (and the
 * message) as the API shows them now, POSTed to the subscriber's URL and signed
 * (`X-Parley-Signature`, src/app/webhook-signature.ts). Outcomes: 2xx delivered; 408, 425, 429
 * and 5xx or no answer retried with the outbox's backoff; 410 Gone switches the subscription off;
 * any other answer fails the row for good (visible in the outbox). Redirects are not followed.
 */
import { webhookSignature } from './app/webhook-signature.js';
import { subscriptionOfDestination, webhookUrlProblem } from './domain/webhook-events.js';
import type { AppDeps } from './app/context.js';
import { presentMessage, presentTicket } from './http/presenters.js';
import type { OutboxRow, SendResult, Sender } from './ports/outbox.js';

const RETRIED = new Set([408, 425, 429]);

export function webhookSender(
  deps: AppDeps,
  opts: { timeoutMs: number; allowHttp: boolean; fetch?: typeof fetch },
): Sender {
  const doFetch = opts.fetch ?? fetch;
  return {
    async send(row: OutboxRow): Promise<SendResult> {
      const subscriptionId = subscriptionOfDestination(row.destination) ?? '';
      const read = deps.uow.read;
      const subscription = await read.webhookSubscriptions.find(row.tenantId, subscriptionId);
      if (!subscription) return { ok: false, error: 'subscription removed', permanent: true };
      if (!subscription.active) {
        return { ok: false, error: 'subscription switched off', permanent: true };
      }
      const problem = webhookUrlProblem(subscription.url, opts.allowHttp);
      if (problem) return { ok: false, error: `the URL is refused: ${problem}`, permanent: true };
      const url = new URL(subscription.url);
      const body = JSON.stringify(await deliveryBody(deps, row));
      const now = Math.floor(deps.clock.now().getTime() / 1000);
      let res: Response;
      try {
        res = await doFetch(url, {
          method: 'POST',
          redirect: 'manual',
          signal: AbortSignal.timeout(opts.timeoutMs),
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Parley-Webhooks/1',
            'x-parley-event': String(row.payload.type),
            'x-parley-delivery': String(row.id),
            'x-parley-signature': webhookSignature(subscription.secret, now, body),
          },
          body,
        });
        await res.arrayBuffer().catch(() => undefined); // free the connection
      } catch (err) {
        return { ok: false, error: `no answer: ${err instanceof Error ? err.message : err}` };
      }
      if (res.status >= 200 && res.status < 300) return { ok: true };
      const error = `${subscription.url} answered HTTP ${res.status}`;
      if (res.status === 410) {
        await read.webhookSubscriptions.disable(row.tenantId, subscription.id, error);
        deps.webhookTargets?.forget(row.tenantId);
        return { ok: false, error, permanent: true };
      }
      if (res.status >= 500 || RETRIED.has(res.status)) {
        const retryAfter = Number(res.headers.get('retry-after'));
        return {
          ok: false,
          error,
          ...(Number.isFinite(retryAfter) && retryAfter > 0
            ? { retryAfterMs: Math.min(retryAfter, 3600) * 1000 }
            : {}),
        };
      }
      return { ok: false, error, permanent: true };
    },
  };
}

async function deliveryBody(deps: AppDeps, row: OutboxRow): Promise<Record<string, unknown>> {
  const p = row.payload;
  const read = deps.uow.read;
  const ticket = row.ticketId ? await read.tickets.findById(row.tenantId, row.ticketId) : null;
  const messageId = typeof p.message_id === 'string' ? p.message_id : null;
  const message = messageId ? await read.messages.findById(row.tenantId, messageId) : null;
  return {
    delivery_id: String(row.id),
    type: p.type,
    delivered_at: deps.clock.now().toISOString(),
    ticket: ticket ? presentTicket(ticket) : { id: row.ticketId, number: p.number },
    ...(message ? { message: presentMessage(message) } : {}),
    ...(p.changes ? { changes: p.changes } : {}),
  };
}
