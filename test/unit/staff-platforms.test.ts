import { describe, expect, it } from 'vitest';
import { loadConfig, staffPlatformsOf } from '../../src/config.js';

const slack = {
  SLACK_BOT_TOKEN: 'xoxb-1',
  SLACK_SIGNING_SECRET: 'signing',
  SLACK_TRIAGE_CHANNEL: 'C0TRIAGE',
};
const telegram = {
  TELEGRAM_BOT_TOKEN: '1:abc',
  TELEGRAM_MODE: 'webhook',
  TELEGRAM_WEBHOOK_SECRET: 'secret',
};
const platforms = (env: Record<string, string>) => staffPlatformsOf(loadConfig(env));

describe('staffPlatformsOf', () => {
  it('is empty when nothing is configured', () => {
    expect(platforms({})).toEqual([]);
  });

  it('lists Slack and Telegram when each is configured', () => {
    expect(platforms(slack)).toEqual(['slack']);
    expect(platforms(telegram)).toEqual(['telegram']);
    expect(platforms({ ...slack, ...telegram })).toEqual(['slack', 'telegram']);
  });

  it('is the same for every role of one configuration', () => {
    for (const role of ['all', 'web', 'worker']) {
      expect(platforms({ ...slack, ...telegram, PARLEY_ROLE: role })).toEqual([
        'slack',
        'telegram',
      ]);
    }
  });

  it('leaves Slack out without a triage channel or a way to hear events (Parley does not wire it)', () => {
    const { SLACK_TRIAGE_CHANNEL: _t, ...noTriage } = slack;
    expect(platforms(noTriage)).toEqual([]);
    const { SLACK_SIGNING_SECRET: _s, ...noSecret } = slack;
    expect(platforms(noSecret)).toEqual([]);
    expect(platforms({ ...noSecret, SLACK_APP_TOKEN: 'xapp-1' })).toEqual(['slack']);
  });

  it('leaves Telegram out when its channel is off (webhook mode without a secret)', () => {
    const { TELEGRAM_WEBHOOK_SECRET: _s, ...noSecret } = telegram;
    expect(platforms(noSecret)).toEqual([]);
    expect(platforms({ ...noSecret, TELEGRAM_MODE: 'polling' })).toEqual(['telegram']);
  });
});
