import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CONFIG_ENV_VARS,
  ConfigError,
  channelStatus,
  loadConfig,
  redactedConfig,
  type ChannelName,
} from '../../src/config.js';

const statusOf = (env: NodeJS.ProcessEnv, name: ChannelName) => {
  const found = channelStatus(loadConfig(env)).find((s) => s.name === name);
  if (!found) throw new Error(`no status for ${name}`);
  return found;
};

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig defaults', () => {
  it('gives every default from an empty environment', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.host).toBe('0.0.0.0');
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir).toBe(path.resolve('./.data'));
    expect(path.isAbsolute(c.dataDir)).toBe(true);
    expect(c.logLevel).toBe('info');
    expect(c.publicUrl).toBeUndefined();
    expect(c.adminApiKey).toBeUndefined();
    expect(c.platformApiKey).toBeUndefined();
    expect(c.nodeEnv).toBe('development');
    expect(c.defaultTimezone).toBe('UTC');
    expect(c.shutdownTimeoutMs).toBe(10_000);
    expect(c.attachments.maxBytes).toBe(20_971_520);
    expect(c.outbox.maxAttempts).toBe(8);
    expect(c.rateLimit).toEqual({ perSecond: 20, burst: 100 });
    expect(c.telegram).toEqual({
      botToken: undefined,
      webhookSecret: undefined,
      apiRoot: 'https://api.telegram.org',
      mode: 'polling',
      agentChatId: undefined,
    });
    expect(c.slack.apiUrl).toBe('https://slack.com/api/');
    expect(c.whatsapp.mode).toBe('cloud');
    expect(c.whatsapp.graphUrl).toBe('https://graph.facebook.com/v21.0');
    expect(c.whatsapp.webSessionDir).toBe(path.join(c.dataDir, 'whatsapp-web'));
  });

  it('treats empty and blank strings as unset', () => {
    const env: NodeJS.ProcessEnv = {};
    for (const name of CONFIG_ENV_VARS) env[name] = name.length % 2 ? '' : '   ';
    expect(loadConfig(env)).toEqual(loadConfig({}));
  });

  it('reads process.env when called without arguments', () => {
    const attempt = (load: () => unknown) => {
      try {
        return load();
      } catch (error) {
        return error;
      }
    };
    expect(attempt(() => loadConfig())).toEqual(attempt(() => loadConfig(process.env)));
  });
});

describe('loadConfig values', () => {
  it('parses numbers, trims values and resolves DATA_DIR', () => {
    const c = loadConfig({
      PORT: ' 8080 ',
      DATA_DIR: '/var/lib/parley/',
      ATTACHMENT_MAX_BYTES: '1048576',
      OUTBOX_MAX_ATTEMPTS: '3',
      SHUTDOWN_TIMEOUT_MS: '0',
      RATE_LIMIT_PER_SECOND: '5',
      RATE_LIMIT_BURST: '50',
      LOG_LEVEL: 'DEBUG',
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      ADMIN_API_KEY: 'admin-key-0123456789\n',
    });
    expect(c.port).toBe(8080);
    expect(c.dataDir).toBe('/var/lib/parley');
    expect(c.attachments.maxBytes).toBe(1_048_576);
    expect(c.outbox.maxAttempts).toBe(3);
    expect(c.shutdownTimeoutMs).toBe(0);
    expect(c.rateLimit).toEqual({ perSecond: 5, burst: 50 });
    expect(c.logLevel).toBe('debug');
    expect(c.nodeEnv).toBe('production');
    expect(c.host).toBe('127.0.0.1');
    expect(c.adminApiKey).toBe('admin-key-0123456789');
  });

  it('prepares statements unless DATABASE_PREPARED_STATEMENTS is off', () => {
    expect(loadConfig({}).preparedStatements).toBe(true);
    expect(loadConfig({ DATABASE_PREPARED_STATEMENTS: 'off' }).preparedStatements).toBe(false);
    expect(configError({ DATABASE_PREPARED_STATEMENTS: 'no' }).message).toContain(
      'DATABASE_PREPARED_STATEMENTS',
    );
  });

  it('allows port 0 (ephemeral, for tests)', () => {
    expect(loadConfig({ PORT: '0' }).port).toBe(0);
  });

  it('normalises URLs: no trailing slash, except SLACK_API_URL which always has one', () => {
    const c = loadConfig({
      PUBLIC_URL: 'https://help.example.com/',
      TELEGRAM_API_ROOT: 'http://127.0.0.1:9001/',
      SLACK_API_URL: 'http://127.0.0.1:9002/api',
      WHATSAPP_GRAPH_URL: 'http://127.0.0.1:9003/v21.0//',
    });
    expect(c.publicUrl).toBe('https://help.example.com');
    expect(c.telegram.apiRoot).toBe('http://127.0.0.1:9001');
    expect(c.slack.apiUrl).toBe('http://127.0.0.1:9002/api/');
    expect(c.whatsapp.graphUrl).toBe('http://127.0.0.1:9003/v21.0');
    expect(loadConfig({ SLACK_API_URL: 'http://x/api/' }).slack.apiUrl).toBe('http://x/api/');
  });

  it('defaults TELEGRAM_MODE to webhook when PUBLIC_URL is set, else polling', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://a.example' }).telegram.mode).toBe('webhook');
    expect(loadConfig({}).telegram.mode).toBe('polling');
    expect(
      loadConfig({ PUBLIC_URL: 'https://a.example', TELEGRAM_MODE: 'polling' }).telegram.mode,
    ).toBe('polling');
    expect(loadConfig({ TELEGRAM_MODE: 'Webhook' }).telegram.mode).toBe('webhook');
  });

  it('validates the time zone with Intl, fixing only its case', () => {
    expect(loadConfig({ DEFAULT_TIMEZONE: 'Asia/Kolkata' }).defaultTimezone).toBe('Asia/Kolkata');
    expect(loadConfig({ DEFAULT_TIMEZONE: 'utc' }).defaultTimezone).toBe('UTC');
    expect(loadConfig({ DEFAULT_TIMEZONE: 'europe/berlin' }).defaultTimezone).toBe('Europe/Berlin');
  });

  it('maps every channel variable', () => {
    const c = loadConfig({
      TELEGRAM_BOT_TOKEN: '123:abc',
      TELEGRAM_WEBHOOK_SECRET: 'tg_secret-1',
      TELEGRAM_AGENT_CHAT_ID: '-1001234567890',
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 'sign',
      SLACK_TRIAGE_CHANNEL: 'C0TRIAGE',
      SLACK_MANAGER_CHANNEL: 'C0MANAGER',
      SLACK_APP_TOKEN: 'xapp-1',
      WHATSAPP_MODE: 'web',
      WHATSAPP_TOKEN: 'wa-token',
      WHATSAPP_PHONE_NUMBER_ID: '1098765',
      WHATSAPP_APP_SECRET: 'wa-secret',
      WHATSAPP_VERIFY_TOKEN: 'wa-verify',
    });
    expect(c.telegram).toMatchObject({
      botToken: '123:abc',
      webhookSecret: 'tg_secret-1',
      agentChatId: '-1001234567890',
    });
    expect(c.slack).toMatchObject({
      botToken: 'xoxb-1',
      signingSecret: 'sign',
      triageChannel: 'C0TRIAGE',
      managerChannel: 'C0MANAGER',
      appToken: 'xapp-1',
    });
    expect(c.whatsapp).toMatchObject({
      mode: 'web',
      token: 'wa-token',
      phoneNumberId: '1098765',
      appSecret: 'wa-secret',
      verifyToken: 'wa-verify',
    });
  });

  it('accepts postgres and postgresql URLs', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/parley' }).databaseUrl).toBe(
      'postgres://u:p@db:5432/parley',
    );
    expect(loadConfig({ DATABASE_URL: 'postgresql:///parley?host=/run/pg' }).databaseUrl).toBe(
      'postgresql:///parley?host=/run/pg',
    );
  });
});

describe('loadConfig errors', () => {
  it('lists every bad variable at once, in a readable message', () => {
    const error = configError({
      PORT: 'eighty',
      HOST: 'localhost',
      LOG_LEVEL: 'loud',
      PUBLIC_URL: 'not a url',
      ADMIN_API_KEY: 'short',
      PLATFORM_API_KEY: 'tiny',
      TELEGRAM_MODE: 'push',
      WHATSAPP_MODE: 'sms',
      DEFAULT_TIMEZONE: 'Mars/Olympus_Mons',
      OUTBOX_MAX_ATTEMPTS: '0',
      ATTACHMENT_MAX_BYTES: '1.5',
      RATE_LIMIT_BURST: '-1',
    });
    expect(error.issues.map((i) => i.variable).sort()).toEqual(
      [
        'PORT',
        'LOG_LEVEL',
        'PUBLIC_URL',
        'ADMIN_API_KEY',
        'PLATFORM_API_KEY',
        'TELEGRAM_MODE',
        'WHATSAPP_MODE',
        'DEFAULT_TIMEZONE',
        'OUTBOX_MAX_ATTEMPTS',
        'ATTACHMENT_MAX_BYTES',
        'RATE_LIMIT_BURST',
      ].sort(),
    );
    expect(error.message).toMatch(/^Invalid configuration \(11 problem\(s\)\):/);
    expect(error.message).toContain('  - PORT: must be a whole number, got "eighty"');
    expect(error.message).toContain('LOG_LEVEL: must be one of fatal, error, warn, info');
    expect(error.message).toContain('ADMIN_API_KEY: must be at least 16 characters');
    expect(error.message).toContain('OUTBOX_MAX_ATTEMPTS: must be between 1 and 100, got 0');
    expect(error.message).toContain('Mars/Olympus_Mons');
    expect(error.name).toBe('ConfigError');
  });

  it('rejects out-of-range ports and non-http URLs', () => {
    expect(configError({ PORT: '65536' }).message).toContain('PORT: must be between 0 and 65535');
    expect(configError({ TELEGRAM_API_ROOT: 'ftp://x' }).issues[0]?.variable).toBe(
      'TELEGRAM_API_ROOT',
    );
    expect(configError({ PUBLIC_URL: 'https://x.example/?a=1' }).message).toContain(
      'must not have a query',
    );
    expect(configError({ SLACK_API_URL: 'slack.com/api' }).issues[0]?.variable).toBe(
      'SLACK_API_URL',
    );
  });

  it('checks Telegram-specific formats', () => {
    expect(configError({ TELEGRAM_WEBHOOK_SECRET: 'has space' }).issues[0]?.variable).toBe(
      'TELEGRAM_WEBHOOK_SECRET',
    );
    expect(configError({ TELEGRAM_BOT_TOKEN: '123/abc' }).issues[0]?.variable).toBe(
      'TELEGRAM_BOT_TOKEN',
    );
    expect(configError({ TELEGRAM_AGENT_CHAT_ID: 'my group' }).issues[0]?.variable).toBe(
      'TELEGRAM_AGENT_CHAT_ID',
    );
    expect(loadConfig({ TELEGRAM_AGENT_CHAT_ID: '@support_agents' }).telegram.agentChatId).toBe(
      '@support_agents',
    );
  });

  it('never echoes secret values', () => {
    const error = configError({
      ADMIN_API_KEY: 'sekrit1',
      PLATFORM_API_KEY: 'sekrit2',
      DATABASE_URL: 'mysql://root:sekrit3@db/x',
      TELEGRAM_WEBHOOK_SECRET: 'sekrit 4',
    });
    expect(error.issues).toHaveLength(4);
    expect(error.message).not.toMatch(/sekrit/);
  });
});

describe('channelStatus', () => {
  it('has all four channels; webchat is always on at /chat', () => {
    const list = channelStatus(loadConfig({}));
    expect(list.map((s) => s.name)).toEqual(['telegram', 'slack', 'whatsapp', 'webchat']);
    expect(list.at(-1)).toEqual({ name: 'webchat', enabled: true, reason: 'on at /chat' });
    for (const s of list) expect(s.reason).toMatch(s.enabled ? /^on\b/ : /^off: /);
  });

  it('explains Telegram', () => {
    expect(statusOf({}, 'telegram')).toEqual({
      name: 'telegram',
      enabled: false,
      reason: 'off: TELEGRAM_BOT_TOKEN is not set',
    });
    expect(statusOf({ TELEGRAM_BOT_TOKEN: '1:a', TELEGRAM_MODE: 'webhook' }, 'telegram')).toEqual({
      name: 'telegram',
      enabled: false,
      reason: 'off: webhook mode needs TELEGRAM_WEBHOOK_SECRET',
    });
    expect(
      statusOf({ TELEGRAM_BOT_TOKEN: '1:a', PUBLIC_URL: 'https://x.example' }, 'telegram').reason,
    ).toBe('off: webhook mode needs TELEGRAM_WEBHOOK_SECRET');
    const polling = statusOf(
      { TELEGRAM_BOT_TOKEN: '1:a', TELEGRAM_AGENT_CHAT_ID: '-100' },
      'telegram',
    );
    expect(polling).toEqual({ name: 'telegram', enabled: true, reason: 'on (polling)' });
    const webhook = statusOf(
      {
        TELEGRAM_BOT_TOKEN: '1:a',
        TELEGRAM_WEBHOOK_SECRET: 's',
        PUBLIC_URL: 'https://x.example',
        TELEGRAM_AGENT_CHAT_ID: '-100',
      },
      'telegram',
    );
    expect(webhook).toEqual({
      name: 'telegram',
      enabled: true,
      reason: 'on (webhook at /webhooks/telegram)',
    });
    const unregistered = statusOf(
      { TELEGRAM_BOT_TOKEN: '1:a', TELEGRAM_WEBHOOK_SECRET: 's', TELEGRAM_MODE: 'webhook' },
      'telegram',
    );
    expect(unregistered.enabled).toBe(true);
    expect(unregistered.reason).toContain('PUBLIC_URL is not set');
    expect(unregistered.reason).toContain('TELEGRAM_AGENT_CHAT_ID is not set');
  });

  it('explains Slack', () => {
    expect(statusOf({}, 'slack').reason).toBe('off: SLACK_BOT_TOKEN is not set');
    const noSecret = statusOf({ SLACK_BOT_TOKEN: 'xoxb-1' }, 'slack');
    expect(noSecret.enabled).toBe(false);
    expect(noSecret.reason).toMatch(/^off: SLACK_SIGNING_SECRET is not set/);
    const full = {
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 'sign',
      SLACK_TRIAGE_CHANNEL: 'C1',
      SLACK_MANAGER_CHANNEL: 'C2',
    };
    expect(statusOf(full, 'slack')).toEqual({
      name: 'slack',
      enabled: true,
      reason: 'on (events at /slack/events)',
    });
    expect(
      statusOf({ ...full, SLACK_SIGNING_SECRET: '', SLACK_APP_TOKEN: 'xapp-1' }, 'slack'),
    ).toEqual({
      name: 'slack',
      enabled: true,
      reason: 'on (Socket Mode)',
    });
    const noTriage = statusOf({ ...full, SLACK_TRIAGE_CHANNEL: '' }, 'slack');
    // Without it nothing of Slack is wired (no cards, no commands, no notices): the log says so.
    expect(noTriage.enabled).toBe(false);
    expect(noTriage.reason).toBe('off: SLACK_TRIAGE_CHANNEL is not set (where ticket cards go)');
  });

  it('explains WhatsApp', () => {
    expect(statusOf({}, 'whatsapp').reason).toBe('off: WHATSAPP_TOKEN is not set');
    expect(statusOf({ WHATSAPP_TOKEN: 't', WHATSAPP_PHONE_NUMBER_ID: '1' }, 'whatsapp')).toEqual({
      name: 'whatsapp',
      enabled: false,
      reason:
        'off: Cloud API mode needs WHATSAPP_APP_SECRET and WHATSAPP_VERIFY_TOKEN (WHATSAPP_APP_SECRET and WHATSAPP_VERIFY_TOKEN are not set)',
    });
    const cloud = {
      WHATSAPP_TOKEN: 't',
      WHATSAPP_PHONE_NUMBER_ID: '1',
      WHATSAPP_APP_SECRET: 's',
      WHATSAPP_VERIFY_TOKEN: 'v',
    };
    expect(statusOf(cloud, 'whatsapp')).toEqual({
      name: 'whatsapp',
      enabled: true,
      reason: 'on (Cloud API, webhook at /webhooks/whatsapp)',
    });
    const web = statusOf({ WHATSAPP_MODE: 'web', DATA_DIR: '/srv/parley' }, 'whatsapp');
    expect(web.enabled).toBe(true);
    expect(web.reason).toBe('on (WhatsApp Web; session under /srv/parley/whatsapp-web)');
  });
});

describe('redactedConfig', () => {
  const secrets = {
    DATABASE_URL: 'postgres://parley:db-password-1@db:5432/parley',
    ADMIN_API_KEY: 'admin-secret-0123456789',
    PLATFORM_API_KEY: 'platform-secret-0123456789',
    TELEGRAM_BOT_TOKEN: '123:telegram-token-secret',
    TELEGRAM_WEBHOOK_SECRET: 'telegram-webhook-secret',
    SLACK_BOT_TOKEN: 'xoxb-slack-bot-secret',
    SLACK_SIGNING_SECRET: 'slack-signing-secret',
    SLACK_APP_TOKEN: 'xapp-slack-app-secret',
    WHATSAPP_TOKEN: 'whatsapp-token-secret',
    WHATSAPP_APP_SECRET: 'whatsapp-app-secret',
    WHATSAPP_VERIFY_TOKEN: 'whatsapp-verify-secret',
  };

  it('replaces every secret with *** and keeps the rest', () => {
    const config = loadConfig({ ...secrets, SLACK_TRIAGE_CHANNEL: 'C0TRIAGE' });
    const redacted = redactedConfig(config);
    const text = JSON.stringify(redacted);
    expect(text).not.toMatch(/secret|password-1/);
    expect(redacted.adminApiKey).toBe('***');
    expect(redacted.telegram.botToken).toBe('***');
    expect(redacted.whatsapp.verifyToken).toBe('***');
    expect(redacted.databaseUrl).toBe('postgres://parley:***@db:5432/parley');
    expect(redacted.slack.triageChannel).toBe('C0TRIAGE');
    expect(redacted.port).toBe(config.port);
    // the original is untouched
    expect(config.slack.botToken).toBe('xoxb-slack-bot-secret');
  });

  it('leaves unset secrets unset, so logs show what is missing', () => {
    const redacted = redactedConfig(loadConfig({}));
    expect(redacted.adminApiKey).toBeUndefined();
    expect(redacted.databaseUrl).toBeUndefined();
  });

  it('redacts a password given as a query parameter', () => {
    const redacted = redactedConfig(
      loadConfig({ DATABASE_URL: 'postgresql://db/parley?user=u&password=hunter2' }),
    );
    expect(redacted.databaseUrl).not.toContain('hunter2');
  });
});

describe('contract', () => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const contractPath = path.resolve(here, '../../../shared/CONTRACT.md');

  it.skipIf(!existsSync(contractPath))(
    'reads every environment variable the contract names',
    () => {
      const text = readFileSync(contractPath, 'utf8');
      const running = text.slice(
        text.indexOf('## Running'),
        text.indexOf('\n## ', text.indexOf('## Running') + 1),
      );
      const named = [...running.matchAll(/`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)`/g)].map((m) => m[1]);
      expect(named.length).toBeGreaterThan(20);
      const known: readonly string[] = CONFIG_ENV_VARS;
      expect(named.filter((name) => !known.includes(name as string))).toEqual([]);
    },
  );
});
