/**
 * Messages to the team (not to customers): SLA warnings and escalations, daily reports, WhatsApp
 * window warnings. Each platform (Slack, the Telegram agents' chat) implements it; actions render
 * as buttons where the platform has them.
 */
import type { CardRef } from './agent-workspace.js';

/** The team's notice platforms (`staff:<platform>` outbox destinations). */
export type StaffPlatform = 'slack' | 'telegram';

export interface StaffAction {
  /** The platform's action id, e.g. `sla_ack` (the Slack adapter routes it back to a use case). */
  id: string;
  value: string;
  label: string;
}

export interface StaffMessage {
  text: string;
  actions: readonly StaffAction[];
  /** The actions named for a platform without buttons, e.g. `(Acknowledge · …: in Slack or with /ticket)`. */
  actionsHint?: string;
}

export interface StaffMessenger {
  /** A direct message to a person, by the platform's user id. */
  toUser(userId: string, message: StaffMessage): Promise<void>;
  /** A post in a channel or group chat. */
  toChannel(channelId: string, message: StaffMessage): Promise<void>;
  /** A reply in a ticket's thread (platforms with ticket threads only). */
  toThread?(ref: CardRef, message: StaffMessage): Promise<void>;
}
