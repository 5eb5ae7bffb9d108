/**
 * Keeps each ticket's Slack card and thread in step with the ticket: `slack` outbox rows (one
 * ordering key per ticket) post the card on creation (in its group's channel, else triage), update it in place on every change, and
 * put customer messages, replies and notes into its thread, and mark agents' replies as sent,
 * delivered or failed (delivery-marks.ts). Messages that came from Slack are not echoed back.
 */
import type { Message, Ticket } from '../domain/records.js';
import {
  type AgentWorkspace,
  type CardRef,
  type ReplyMode,
  type TicketCardData,
} from '../ports/agent-workspace.js';
import type { OutboxRow, SendResult, Sender } from '../ports/outbox.js';
import type { AppDeps } from './context.js';
import { DELIVERY_MARK_EMOJI, DELIVERY_MARK_TYPE, type DeliveryMark } from './delivery-marks.js';
import { staffLanguage } from '../domain/staff-language.js';
import type { StaffT } from '../ports/staff-translator.js';
import { workspaceFailure } from './staff-notices.js';

export const SLACK_DESTINATION = 'slack';

export interface SlackSyncOptions {
  triageChannel: string;
  replyMode: ReplyMode;
}

export function cardData(ticket: Ticket, now: Date, language?: string): TicketCardData {
  return {
    ...(language ? { language } : {}),
    number: ticket.number,
    subject: ticket.subject,
    customerName: ticket.customer.name,
    channel: ticket.channel,
    category: ticket.category,
    priority: ticket.priority,
    status: ticket.status,
    assigneeName: ticket.assignee?.name ?? null,
    slaDueAt: ticket.slaDueAt?.toISOString() ?? null,
    breached: ticket.slaBreached || (ticket.slaDueAt !== null && ticket.slaDueAt < now),
    links: ticket.links,
  };
}

function threadText(message: Message, t: StaffT): string | null {
  const body =
    message.body ||
    (message.attachments.length
      ? `[${message.attachments.map((a) => a.fileName).join(', ')}]`
      : '');
  if (!body) return null;
  switch (message.authorType) {
    case 'customer':
      return t('thread.customer', { body });
    case 'agent':
      return message.internal ? t('thread.note', { body }) : t('thread.reply', { body });
    case 'system':
      return message.internal ? `:information_source: ${body}` : null;
    case 'bot':
      return null;
  }
}

export function slackSyncSender(
  deps: AppDeps,
  workspace: AgentWorkspace,
  opts: SlackSyncOptions,
): Sender {
  /** The queue's own channel when its group has one, else the triage channel. The card stays
   * where it was first posted (its thread is the conversation), even if the group changes. */
  async function cardChannel(ticket: Ticket): Promise<string> {
    if (!ticket.groupId) return opts.triageChannel;
    const group = await deps.uow.read.assignment.findGroup(ticket.tenantId, ticket.groupId);
    return group?.slackChannelId ?? opts.triageChannel;
  }

  async function ensureCard(
    ticket: Ticket,
    language: string,
  ): Promise<{ ref: CardRef; created: boolean }> {
    const existing = await deps.uow.read.slackCards.findByTicket(ticket.tenantId, ticket.id);
    if (existing) return { ref: existing, created: false };
    const ref = await workspace.postCard(
      await cardChannel(ticket),
      cardData(ticket, deps.clock.now(), language),
      opts.replyMode,
    );
    await deps.uow.read.slackCards.save(ticket.tenantId, { ticketId: ticket.id, ...ref });
    return { ref, created: true };
  }

  /** A delivery mark on the reply's message in Slack; none when the reply never got there. */
  async function markDelivery(row: OutboxRow): Promise<SendResult> {
    const mark = row.payload.mark as DeliveryMark;
    const emoji = DELIVERY_MARK_EMOJI[mark];
    const ref = await deps.uow.read.messages.findWorkspaceRef(
      row.tenantId,
      String(row.payload.message_id),
    );
    if (!emoji || !ref) return { ok: true };
    await workspace.markMessage(ref, emoji);
    return { ok: true };
  }

  return {
    async send(row: OutboxRow): Promise<SendResult> {
      try {
        if (row.payload.type === DELIVERY_MARK_TYPE) return await markDelivery(row);
        const ticketId = String(row.payload.ticket_id);
        const ticket = await deps.uow.read.tickets.findById(row.tenantId, ticketId);
        if (!ticket) return { ok: true };
        // The card and thread lines are rendered now, in the tenant's staff language.
        const tenant = await deps.uow.read.tenants.findById(row.tenantId);
        const language = staffLanguage(tenant?.settings ?? {});
        const { ref, created } = await ensureCard(ticket, language);
        if (!created && row.payload.type !== 'ticket.message') {
          const card = cardData(ticket, deps.clock.now(), language);
          await workspace.updateCard(ref, card, opts.replyMode);
        }
        if (row.payload.type === 'ticket.message' && row.payload.origin !== 'slack') {
          const message = await deps.uow.read.messages.findById(
            row.tenantId,
            String(row.payload.message_id),
          );
          const text = message ? threadText(message, deps.staff.forLanguage(language)) : null;
          if (message && text) {
            const copy = await workspace.postInThread(ref, text);
            // A reply written elsewhere (/ticket reply, Reply modal, API): its delivery marks go
            // on this copy. Same ordering key as the marks, so it is known before they come.
            if (message.authorType === 'agent' && !message.internal) {
              await deps.uow.read.messages.setWorkspaceRef(row.tenantId, message.id, {
                channel: ref.channel,
                ts: copy.ts,
              });
            }
          }
        }
        return { ok: true };
      } catch (err) {
        return workspaceFailure(err);
      }
    },
  };
}
