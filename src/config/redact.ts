/** Redaction for logs. */
import type { Config } from './config-types.js';

const REDACTED = '***';
const hide = (value: string | undefined): string | undefined =>
  value === undefined ? undefined : REDACTED;

/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`; unparsable → `***`. */
function redactDatabaseUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    if (url.password) url.password = REDACTED;
    const password = url.searchParams.get('password');
    if (password !== null) url.searchParams.set('password', REDACTED);
    return url.toString();
  } catch {
    return REDACTED;
  }
}

/** A copy of the config safe to log: every secret is `'***'` (unset ones stay undefined). */
export function redactedConfig(config: Config): Config {
  return {
    ...config,
    databaseUrl: redactDatabaseUrl(config.databaseUrl),
    adminApiKey: hide(config.adminApiKey),
    platformApiKey: hide(config.platformApiKey),
    attachments: { ...config.attachments },
    outbox: { ...config.outbox },
    rateLimit: { ...config.rateLimit },
    telegram: {
      ...config.telegram,
      botToken: hide(config.telegram.botToken),
      webhookSecret: hide(config.telegram.webhookSecret),
    },
    slack: {
      ...config.slack,
      botToken: hide(config.slack.botToken),
      signingSecret: hide(config.slack.signingSecret),
      appToken: hide(config.slack.appToken),
    },
    whatsapp: {
      ...config.whatsapp,
      token: hide(config.whatsapp.token),
      appSecret: hide(config.whatsapp.appSecret),
      verifyToken: hide(config.whatsapp.verifyToken),
    },
  };
}
