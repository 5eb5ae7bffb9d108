/**
 * Notices to the team: SLA warnings and escalations, daily reports, WhatsApp window warnings.
 *
 * A notice is one outbox row per wired staff platform (`staff:slack`, `staff:telegram`; wired =
 * `AppDeps.staffPlatforms`, from the configuration), written in the caller's transaction, so a
 * retry on one platform never repeats the other, and a crash between the change and the send
 * loses nothing. A platform that is not wired gets no row. Each platform's sender resolves the
 * audience when it delivers (the agent's Slack or Telegram id, the manager channel, the ticket's
 * Slack thread); an audience the platform cannot reach (no Slack id, no manager channel set) is
 * skipped, not retried, and so are rows of a platform that is no longer wired.
 */
import type { OutboxRow, SendResult, Sender } from '../ports/outbox.js';
import {
  type StaffAction,
  type StaffMessenger,
  type StaffPlatform,
} from '../ports/staff-messenger.js';
import { WorkspaceApiError } from '../ports/agent-workspace.js';
import type { Stores } from '../ports/stores.js';
import type { AppDeps } from './context.js';

export type { StaffPlatform };
export const STAFF_PLATFORMS: readonly StaffPlatform[] = ['slack', 'telegram'];
export const staffDestination = (platform: StaffPlatform) => `staff:${platform}`;

export type NoticeAudience =
  /** A direct message to one agent (their slack_user_id / telegram_user_id). */
  | { kind: 'agent'; agentId: string }
  /** SLACK_MANAGER_CHANNEL, and the Telegram agents' chat (TELEGRAM_AGENT_CHAT_ID). */
  | { kind: 'manager_channel' }
  /** The ticket's Slack thread (Slack only). */
  | { kind: 'ticket_thread'; ticketId: string };

export interface StaffNotice {
  tenantId: string;
  ticketId?: string;
  audience: NoticeAudience;
  text: string;
  actions?: StaffAction[];
  /** How a platform without buttons names the actions (Telegram), in the staff language. */
  actionsHint?: string;
  /** Enqueueing the same key twice keeps the first notice only (per platform). */
  dedupeKey?: string;
  /** Only these platforms (an agent's own preferences); default: every platform that fits. */
  platforms?: readonly StaffPlatform[];
}

function platformsFor(audience: NoticeAudience): readonly StaffPlatform[] {
  return audience.kind === 'ticket_thread' ? ['slack'] : STAFF_PLATFORMS;
}

function audienceKey(audience: NoticeAudience): string {
  switch (audience.kind) {
    case 'agent':
      return `agent:${audience.agentId}`;
    case 'manager_channel':
      return 'managers';
    case 'ticket_thread':
      return `ticket:${audience.ticketId}`;
  }
}

/**
 * Writes the notice's outbox rows in the caller's transaction, one per wired platform that fits.
 * Only `s.outbox` is used, so a batch (the SLA sweep) can collect the rows and write them in one
 * statement.
 */
export async function enqueueStaffNotice(
  deps: Pick<AppDeps, 'staffPlatforms'>,
  s: Pick<Stores, 'outbox'>,
  notice: StaffNotice,
): Promise<void> {
  const wanted = platformsFor(notice.audience).filter(
    (p) => deps.staffPlatforms.includes(p) && (!notice.platforms || notice.platforms.includes(p)),
  );
  for (const platform of wanted) {
    await s.outbox.enqueue({
      tenantId: notice.tenantId,
      ticketId: notice.ticketId ?? null,
      destination: staffDestination(platform),
      // One audience's notices arrive in the order they were written.
      orderingKey: `staff:${platform}:${audienceKey(notice.audience)}`,
      dedupeKey: notice.dedupeKey ? `staff:${platform}:${notice.dedupeKey}` : null,
      payload: {
        type: 'staff.notice',
        audience: notice.audience,
        text: notice.text,
        actions: notice.actions ?? [],
        ...(notice.actionsHint ? { actions_hint: notice.actionsHint } : {}),
        ...(notice.ticketId ? { ticket_id: notice.ticketId } : {}),
      },
    });
  }
}

export interface StaffSenderOptions {
  platform: StaffPlatform;
  /**
   * Null when the platform is not wired: no rows are written for it then, and rows written
   * before (another configuration) are marked sent without a call.
   */
  messenger: StaffMessenger | null;
  /** The manager channel (Slack channel id or Telegram chat id), if configured. */
  managerChannel?: string | undefined;
}

function isAudience(value: unknown): value is NoticeAudience {
  const kind = (value as { kind?: unknown } | null)?.kind;
  return kind === 'agent' || kind === 'manager_channel' || kind === 'ticket_thread';
}

/** Delivers `staff:<platform>` rows. */
export function staffNoticeSender(deps: AppDeps, opts: StaffSenderOptions): Sender {
  const { platform, messenger } = opts;

  async function deliver(row: OutboxRow, m: StaffMessenger): Promise<void> {
    const audience = row.payload.audience;
    if (!isAudience(audience)) return;
    const message = {
      text: String(row.payload.text ?? ''),
      actions: Array.isArray(row.payload.actions) ? (row.payload.actions as StaffAction[]) : [],
      ...(typeof row.payload.actions_hint === 'string'
        ? { actionsHint: row.payload.actions_hint }
        : {}),
    };
    switch (audience.kind) {
      case 'agent': {
        const agent = await deps.uow.read.agents.findById(row.tenantId, audience.agentId);
        const userId = platform === 'slack' ? agent?.slackUserId : agent?.telegramUserId;
        if (agent?.active && userId) await m.toUser(userId, message);
        return;
      }
      case 'manager_channel':
        if (opts.managerChannel) await m.toChannel(opts.managerChannel, message);
        return;
      case 'ticket_thread': {
        const card = await deps.uow.read.slackCards.findByTicket(row.tenantId, audience.ticketId);
        if (card && m.toThread) await m.toThread(card, message);
        return;
      }
    }
  }

  return {
    async send(row) {
      if (!messenger) return { ok: true };
      try {
        await deliver(row, messenger);
        return { ok: true };
      } catch (err) {
        return workspaceFailure(err);
      }
    },
  };
}

/** A send that threw, as the outbox's result: a workspace's retry-after and permanence kept. */
export function workspaceFailure(err: unknown): SendResult {
  if (err instanceof WorkspaceApiError) {
    return {
      ok: false,
      error: err.message,
      ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}),
      ...(err.permanent ? { permanent: true } : {}),
    };
  }
  return { ok: false, error: err instanceof Error ? err.message : String(err) };
}
