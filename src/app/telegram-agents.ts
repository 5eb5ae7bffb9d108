/**
 * The Telegram agents' group (TELEGRAM_AGENT_CHAT_ID) runs the same agent grammar as Slack's
 * `/ticket` and the CLI: one parser, one set of permissions. Its messages never reach the
 * customer bot. A command (`/ticket claim TK-2026-00042`, `/claim@ParleyBot 42`) is recorded like
 * any inbound event (deduplicated on Telegram's message id), run once, and answered in the group
 * through its own outbox row, so a failed answer is retried without running the command again.
 * Plain chatter between agents is ignored.
 */
import type { Tenant } from '../domain/records.js';
import { isParseError, parseAgentCommand } from '../engine/agent-commands/parse.js';
import type { InboundEvent } from '../ports/channel.js';
import type { OutboxRow, SendResult, Sender } from '../ports/outbox.js';
import type { AppDeps } from './context.js';
import { runAgentCommand } from './run-agent-command.js';
import { staffTextFor } from './staff-text.js';

export const AGENT_CHAT_DESTINATION = 'inbound:telegram-agents';

export async function recordAgentChatEvent(
  deps: AppDeps,
  tenant: Tenant,
  event: InboundEvent,
): Promise<void> {
  const line = commandLine(event);
  if (line === null) return; // chatter, photos, button taps: not for us
  await (deps.inbound ?? deps.uow.read.outbox).enqueue({
    tenantId: tenant.id,
    destination: AGENT_CHAT_DESTINATION,
    orderingKey: `agents:telegram:${event.chatId}`,
    dedupeKey: `in:telegram:${event.externalId}`,
    payload: { chat_id: event.chatId, user_id: event.from.id, line },
    maxAttempts: 5,
  });
  deps.onOutboxWrite?.();
}

/** The command as typed, or null for a message that is not one. Edits are not re-run. */
function commandLine(event: InboundEvent): string | null {
  if (event.kind !== 'text' && event.kind !== 'command') return null;
  const text = event.text?.trim();
  if (text?.startsWith('/')) return text;
  if (event.command) return `/${event.command.name} ${event.command.args}`.trim();
  return null;
}

/** Runs `inbound:telegram-agents` rows and queues the answer for the group. */
export function agentChatProcessor(deps: AppDeps): Sender {
  return {
    async send(row: OutboxRow): Promise<SendResult> {
      const chatId = String(row.payload.chat_id);
      const userId = String(row.payload.user_id);
      const line = String(row.payload.line);
      await deps.uow.transaction(async (s) => {
        const tenant = await s.tenants.findById(row.tenantId);
        if (!tenant) return;
        const text = await answer(deps, tenant, userId, line);
        await s.outbox.enqueue({
          tenantId: tenant.id,
          destination: 'customer:telegram',
          orderingKey: `agents:telegram:${chatId}:answers`,
          dedupeKey: `answer:${row.id}`,
          payload: { outbound: { channel: 'telegram', chatId, text } },
        });
      });
      deps.onOutboxWrite?.();
      return { ok: true };
    },
  };
}

async function answer(
  deps: AppDeps,
  tenant: Tenant,
  userId: string,
  line: string,
): Promise<string> {
  const parsed = parseAgentCommand(line, { t: staffTextFor(deps, tenant) });
  if (isParseError(parsed)) return parsed.text;
  const agents = await deps.uow.read.agents.list(tenant.id);
  const agent = agents.find((a) => a.telegramUserId === userId && a.active) ?? null;
  if (!agent && parsed.verb !== 'help') return staffTextFor(deps, tenant)('command.not_an_agent');
  const result = await runAgentCommand(
    deps,
    { tenant, agent, surface: 'telegram' },
    parsed,
    async (mention) => {
      if (mention.kind === 'email') return agents.find((a) => a.email === mention.email) ?? null;
      if (mention.kind === 'username')
        return agents.find((a) => a.name === mention.username) ?? null;
      return null;
    },
  );
  return result.text;
}
