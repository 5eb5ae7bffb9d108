/** What every use case gets: its ports, and who is asking on behalf of which tenant. */
import type { WebhookTargets } from './webhook-targets.js';
import type { Actor } from '../domain/actor.js';
import type { Clock } from '../domain/clock.js';
import type { Tenant } from '../domain/records.js';
import type {
  ConversationState,
  FlowContext,
  FlowEffect,
  FlowInput,
  StepResult,
  TicketSummary,
} from '../engine/flow-types.js';
import type { AgentPresence } from '../ports/agent-presence.js';
import type { AttachmentStorage } from '../ports/attachment-storage.js';
import type { StaffPlatform } from '../ports/staff-messenger.js';
import type { StaffTranslator } from '../ports/staff-translator.js';
import type { Translator } from '../ports/translator.js';
import type { AuthCache } from './auth-cache.js';
import type { Logger } from '../ports/logger.js';
import type { UnitOfWork } from '../ports/stores.js';
import type { OutboxWriter } from '../ports/outbox.js';

export interface AppDeps {
  uow: UnitOfWork;
  clock: Clock;
  files: AttachmentStorage;
  logger: Logger;
  /** Internal outbox destinations wired at start-up (e.g. `slack`); empty until channels exist. */
  notifyDestinations: readonly string[];
  /**
   * The team-notice platforms the configuration wires (the same in every process of a
   * deployment): notices are written only for these (src/app/staff-notices.ts).
   */
  staffPlatforms: readonly StaffPlatform[];
  /** Called after a commit that enqueued outbox rows, so the dispatcher need not wait a poll. */
  onOutboxWrite?: () => void;
  /** Called after a tenant's settings changed (caches of the tenant forget it). */
  onTenantChanged?: () => void;
  /** Recent API-key authentications (see auth-cache.ts); absent = look up every time. */
  authCache?: AuthCache;
  /** What the team reads (notices, cards, command answers), in the tenant's `staff_language`. */
  staff: StaffTranslator;
  /** The customer-facing bot: flow engine and translations. Needed by the chat channels. */
  bot?: BotDeps;
  /**
   * Where webhooks record inbound events: a group-committing writer on its own small pool, so
   * concurrent webhooks share commits and a busy dispatcher cannot starve them. Absent: the
   * unit of work's outbox, one statement per event.
   */
  inbound?: OutboxWriter;
  /** Agents' Slack presence (when Slack is wired), for `slack_presence_availability`. */
  presence?: AgentPresence;
  /** The tenants' outbound webhook subscriptions (cached); absent: none are delivered. */
  webhookTargets?: WebhookTargets;
  /** Told after each commit that held a customer message over the inbound flood limit (metrics). */
  inboundFloodObserver?: InboundFloodObserver;
}

export interface InboundFloodObserver {
  /** `tripped`: this message started a hold (the customer went over the limit). */
  held(channel: string, tripped: boolean): void;
}

export interface BotDeps {
  translator: Translator;
  step(state: ConversationState, input: FlowInput, ctx: FlowContext): StepResult;
  /** "Was this solved?" for a resolved ticket. */
  csatQuestion(ticket: TicketSummary): Extract<FlowEffect, { type: 'say' }>;
  /** An unanswered flow: remind once, then expire. */
  remind(state: ConversationState, ctx: FlowContext): StepResult;
  expire(state: ConversationState): StepResult;
  /** WhatsApp template used for agent replies outside the 24-hour window (tenant setting wins). */
  whatsappTemplate?: { name: string; language: string };
}

export interface RequestContext {
  tenant: Tenant;
  actor: Actor;
}
