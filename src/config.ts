/**
 * The environment, validated once at start-up into a typed `Config`.
 *
 * Variable names are part of the public contract (../shared/CONTRACT.md, "Running"). Empty or
 * blank values count as unset, so `VAR=` in a compose file or `.env` means "use the default".
 * Values are trimmed (a secret pasted with a trailing newline still works).
 *
 * The pieces live in ./config/; this file is the one place the rest of Parley imports them from.
 */
export {
  LOG_LEVELS,
  type Config,
  type LogLevel,
  type TelegramMode,
  type WhatsAppMode,
} from './config/config-types.js';
export { CONFIG_ENV_VARS, SECRET_ENV_VARS, type ConfigEnvVar } from './config/env-vars.js';
export { ConfigError, loadConfig, type ConfigIssue } from './config/load-config.js';
export { channelStatus, type ChannelName, type ChannelStatus } from './config/channel-status.js';
export { redactedConfig } from './config/redact.js';
export { slackWired, staffPlatformsOf, telegramWired } from './config/staff-platforms.js';
