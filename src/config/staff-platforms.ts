/**
 * Which team-notice platforms (`staff:<platform>` outbox rows) a configuration wires.
 *
 * Decided from the configuration alone, never from what one process started: the web and worker
 * processes of a deployment share it, so a notice written by either has the same rows, and the
 * worker that delivers them has a messenger for each (`wireSlack`, `wireChannels` build theirs on
 * the same conditions).
 */
import type { Config } from './config-types.js';
import { channelStatus } from './channel-status.js';

/** Slack: a bot token, a triage channel, and a way to hear events (the start-up log's "on"). */
export function slackWired(config: Config): boolean {
  return channelStatus(config).some((c) => c.name === 'slack' && c.enabled);
}

/** Telegram, for team notices: the channel is on (the agents' chat and agents' DMs). */
export function telegramWired(config: Config): boolean {
  const status = channelStatus(config).find((c) => c.name === 'telegram');
  return Boolean(status?.enabled && config.telegram.botToken);
}

export function staffPlatformsOf(config: Config): ('slack' | 'telegram')[] {
  return [
    ...(slackWired(config) ? (['slack'] as const) : []),
    ...(telegramWired(config) ? (['telegram'] as const) : []),
  ];
}
