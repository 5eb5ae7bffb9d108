/**
 * The team's notice channels: Slack (DMs, the manager channel, ticket threads; actions as
 * buttons) and the Telegram agents' chat (text only: its buttons would arrive as customer
 * callbacks). Notices are written only for the platforms the configuration wires
 * (`AppDeps.staffPlatforms`); `staff:<platform>` senders are always registered, so rows of a
 * platform no longer wired (written under another configuration) are marked done, not failed.
 */
import { renderStaffMessage } from '../adapters/slack/staff-message.js';
import type { SlackWebClient } from '../adapters/slack/web-client.js';
import { staffDestination, staffNoticeSender } from './app/staff-notices.js';
import type { AppDeps } from './app/context.js';
import type { Config } from './config.js';
import type { ChannelSender } from './ports/channel.js';
import type { Sender } from './ports/outbox.js';
import type { StaffMessage, StaffMessenger } from './ports/staff-messenger.js';

/** `paced(key, call)` takes Slack's per-channel turn (about one message per second). */
export function slackStaffMessenger(
  client: SlackWebClient,
  paced: <T>(channel: string, run: () => Promise<T>) => Promise<T>,
): StaffMessenger {
  const post = (channel: string, message: StaffMessage, threadTs?: string) =>
    paced(channel, async () => {
      await client.postMessage({
        channel,
        ...renderStaffMessage(message),
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
    });
  return {
    // chat.postMessage to a user id lands in the app's DM with that user.
    toUser: (userId, message) => post(userId, message),
    toChannel: (channelId, message) => post(channelId, message),
    toThread: (ref, message) => post(ref.channel, message, ref.ts),
  };
}

/** Notices written before hints were (English, as they were then). */
const englishHint = (message: StaffMessage) =>
  `(${message.actions.map((a) => a.label).join(' · ')}: in Slack or with /ticket)`;

function plainText(message: StaffMessage): string {
  const hint = message.actions.length ? `\n${message.actionsHint ?? englishHint(message)}` : '';
  return `${message.text}${hint}`;
}

export function telegramStaffMessenger(sender: ChannelSender): StaffMessenger {
  const send = async (chatId: string, message: StaffMessage) => {
    await sender.send({ channel: 'telegram', chatId, text: plainText(message) });
  };
  return { toUser: send, toChannel: send };
}

export function staffSenders(
  deps: AppDeps,
  config: Config,
  messengers: { slack?: StaffMessenger | undefined; telegram?: StaffMessenger | undefined },
): Record<string, Sender> {
  // Both come from the same configuration: a wired platform without a messenger is a bug here.
  for (const platform of deps.staffPlatforms) {
    if (!messengers[platform]) throw new Error(`staff platform ${platform} has no messenger`);
  }
  return {
    [staffDestination('slack')]: staffNoticeSender(deps, {
      platform: 'slack',
      messenger: messengers.slack ?? null,
      managerChannel: config.slack.managerChannel,
    }),
    [staffDestination('telegram')]: staffNoticeSender(deps, {
      platform: 'telegram',
      messenger: messengers.telegram ?? null,
      managerChannel: config.telegram.agentChatId,
    }),
  };
}
