/**
 * Setting up a Parley under test through its REST API: an admin-key client, and the tight SLA
 * (urgent: first response 4 s, resolution 12 s) plus a supervisor with a Telegram id that make
 * escalation rungs fire within seconds of an urgent ticket.
 */

/** `/api/v1` with the admin key; throws on anything but 2xx; the parsed JSON answer. */
export async function adminApi(
  url: string,
  adminKey: string,
  method: string,
  route: string,
  body?: unknown,
): Promise<any> {
  const res = await fetch(`${url}/api/v1${route}`, {
    method,
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${route}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Urgent tickets breach within seconds, so their escalation ladders climb during a run. */
export async function configureEscalations(
  url: string,
  adminKey: string,
  leadTelegramId: string,
): Promise<void> {
  await adminApi(url, adminKey, 'PUT', '/sla-policy', {
    targets: {
      urgent: { first_response_seconds: 4, resolution_seconds: 12 },
      high: { first_response_seconds: 3_600, resolution_seconds: 86_400 },
      medium: { first_response_seconds: 14_400, resolution_seconds: 172_800 },
      low: { first_response_seconds: 86_400, resolution_seconds: 604_800 },
    },
    calendar: null,
    pause_when_awaiting_customer: false,
    escalation: { climb_after_seconds: 60, warning_ratio: 0.5 },
  });
  await adminApi(url, adminKey, 'POST', '/agents', {
    name: 'Lead Crash',
    role: 'supervisor',
    telegram_user_id: leadTelegramId,
  });
}

/**
 * The load drives each simulated customer far faster than a person types (dozens of messages a
 * minute), which the per-customer flood limit would hold: the benches measure delivery, so they
 * turn it off (`inbound_flood_limit: null`); its own tests live in
 * test/integration/channels/inbound-flood.test.ts.
 */
export async function liftFloodLimit(url: string, adminKey: string): Promise<void> {
  await adminApi(url, adminKey, 'PATCH', '/settings', { inbound_flood_limit: null });
}
