/** Shared by the SLA integration tests: what the sweep wrote, and a signed Slack button click. */
import { signSlackRequest } from '../../../adapters/slack/verify.js';
import type { Clock } from '../../../src/domain/clock.js';
import { sharedFixture } from '../../support/chat-driver.js';

export interface Queryable {
  query: (sql: string, values?: unknown[]) => Promise<{ rows: any[] }>;
}

export interface StaffRow {
  destination: string;
  audience: { kind: string; agentId?: string; ticketId?: string };
  text: string;
  actions: { id: string; value: string; label: string }[];
}

/** The ladder's staff notices of a ticket on one platform, oldest first (other notices left out). */
export async function staffRows(
  db: Queryable,
  ticketId: string,
  platform: 'slack' | 'telegram' = 'slack',
): Promise<StaffRow[]> {
  const { rows } = await db.query(
    `select destination, payload from outbox
      where ticket_id = $1 and destination = $2 and dedupe_key like $3 order by id`,
    [ticketId, `staff:${platform}`, `staff:${platform}:sla:%`],
  );
  return rows.map((r) => ({
    destination: r.destination,
    audience: r.payload.audience,
    text: r.payload.text,
    actions: r.payload.actions,
  }));
}

export interface RungRow {
  target: string;
  rung: number;
  due_at: Date;
  fired_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  acknowledgement: string | null;
}

export async function rungRows(db: Queryable, ticketId: string): Promise<RungRow[]> {
  const { rows } = await db.query(
    `select target, rung, due_at, fired_at, acknowledged_at, acknowledged_by, acknowledgement
       from sla_escalations where ticket_id = $1 order by fired_at, target, rung`,
    [ticketId],
  );
  return rows;
}

export async function ticketIdOf(db: Queryable, number: string): Promise<string> {
  const { rows } = await db.query('select id from tickets where number = $1', [number]);
  return rows[0].id;
}

/** POSTs a block_actions payload (one button) to /slack/events, signed at the app's clock time. */
export async function clickSlackButton(opts: {
  url: string;
  signingSecret: string;
  clock: Clock;
  user: string;
  action: { action_id: string; value: string };
  responseUrl: string;
}): Promise<number> {
  const payload = sharedFixture('slack/block_actions.json');
  payload.user = { ...payload.user, id: opts.user };
  payload.actions = [{ ...opts.action, block_id: 'x', type: 'button', action_ts: '1' }];
  payload.response_url = opts.responseUrl;
  const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const ts = Math.floor(opts.clock.now().getTime() / 1000);
  const res = await fetch(`${opts.url}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': signSlackRequest(opts.signingSecret, ts, body),
    },
    body,
  });
  await res.text();
  return res.status;
}
