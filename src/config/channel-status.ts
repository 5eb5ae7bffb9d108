/** Channel status: what the configuration allows, in words an operator understands. */
import type { Config } from './config-types.js';

export type ChannelName = 'telegram' | 'slack' | 'whatsapp' | 'webchat';

export interface ChannelStatus {
  name: ChannelName;
  enabled: boolean;
  /** Starts with "on" or "off", then why. */
  reason: string;
}

/** Joins variable names: "A", "A and B", "A, B and C". */
function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function missing(entries: ReadonlyArray<[string, string | undefined]>): string[] {
  return entries.filter(([, value]) => value === undefined).map(([name]) => name);
}

const notSet = (names: readonly string[]): string =>
  `${listNames(names)} ${names.length === 1 ? 'is' : 'are'} not set`;

function telegramStatus(config: Config): ChannelStatus {
  const t = config.telegram;
  const off = (why: string): ChannelStatus => ({
    name: 'telegram',
    enabled: false,
    reason: `off: ${why}`,
  });
  if (!t.botToken) return off('TELEGRAM_BOT_TOKEN is not set');
  const notes: string[] = [];
  let reason: string;
  if (t.mode === 'webhook') {
    if (!t.webhookSecret) return off('webhook mode needs TELEGRAM_WEBHOOK_SECRET');
    reason = 'on (webhook at /webhooks/telegram)';
    if (!config.publicUrl) {
      notes.push('PUBLIC_URL is not set, so the webhook is not registered with Telegram');
    }
  } else {
    reason = 'on (polling)';
  }
  if (!t.agentChatId) notes.push("no agents' group (TELEGRAM_AGENT_CHAT_ID is not set)");
  return { name: 'telegram', enabled: true, reason: [reason, ...notes].join('; ') };
}

function slackStatus(config: Config): ChannelStatus {
  const s = config.slack;
  const off = (why: string): ChannelStatus => ({
    name: 'slack',
    enabled: false,
    reason: `off: ${why}`,
  });
  if (!s.botToken) return off('SLACK_BOT_TOKEN is not set');
  let reason: string;
  if (s.appToken) {
    reason = 'on (Socket Mode)';
  } else {
    if (!s.signingSecret) {
      return off('SLACK_SIGNING_SECRET is not set (needed to verify /slack/events)');
    }
    reason = 'on (events at /slack/events)';
  }
  // Every ticket is a thread under its card, posted to the triage channel by default: without
  // one, nothing of Slack is wired (src/config/staff-platforms.ts, wireSlack).
  if (!s.triageChannel) return off('SLACK_TRIAGE_CHANNEL is not set (where ticket cards go)');
  const notes: string[] = [];
  if (!s.managerChannel) notes.push('no escalation channel (SLACK_MANAGER_CHANNEL is not set)');
  return { name: 'slack', enabled: true, reason: [reason, ...notes].join('; ') };
}

function whatsappStatus(config: Config): ChannelStatus {
  const w = config.whatsapp;
  if (w.mode === 'web') {
    return {
      name: 'whatsapp',
      enabled: true,
      reason: `on (WhatsApp Web; session under ${w.webSessionDir})`,
    };
  }
  if (!w.token) {
    return { name: 'whatsapp', enabled: false, reason: 'off: WHATSAPP_TOKEN is not set' };
  }
  const absent = missing([
    ['WHATSAPP_PHONE_NUMBER_ID', w.phoneNumberId],
    ['WHATSAPP_APP_SECRET', w.appSecret],
    ['WHATSAPP_VERIFY_TOKEN', w.verifyToken],
  ]);
  if (absent.length > 0) {
    return {
      name: 'whatsapp',
      enabled: false,
      reason: `off: Cloud API mode needs ${listNames(absent)} (${notSet(absent)})`,
    };
  }
  return {
    name: 'whatsapp',
    enabled: true,
    reason: 'on (Cloud API, webhook at /webhooks/whatsapp)',
  };
}

/** Which channels the configuration turns on, and why each is on or off. */
export function channelStatus(config: Config): ChannelStatus[] {
  return [
    telegramStatus(config),
    slackStatus(config),
    whatsappStatus(config),
    { name: 'webchat', enabled: true, reason: 'on at /chat' },
  ];
}
