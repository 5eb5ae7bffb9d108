/**
 * Fake Slack and Telegram servers wired as the team's notice platforms: notices get a
 * `staff:<platform>` row only for the platforms the configuration wires, so a test that counts
 * them wires the ones it expects. Spread `env` into `startTestParley`'s env and `channels` into
 * its channels (a short Slack pace: triage cards do not hold the outbox up).
 */
import { type FakeSlack, startFakeSlack } from '../fakes/slack-api.js';
import { type FakeTelegram, startFakeTelegram } from '../fakes/telegram-api.js';

export const STAFF_SLACK_TOKEN = 'xoxb-staff-platforms';
export const STAFF_TELEGRAM_TOKEN = '779:TEST-staff-platforms';
export const STAFF_MANAGER_CHANNEL = 'C0STAFFMGR';
export const STAFF_AGENTS_CHAT = '-1009876543210';

export interface FakeStaffPlatforms {
  env: Record<string, string>;
  channels: { slackPaceIntervalMs: number };
  slack?: FakeSlack;
  telegram?: FakeTelegram;
  close(): Promise<void>;
}

export async function startFakeStaffPlatforms(
  wire: { slack?: boolean; telegram?: boolean } = { slack: true, telegram: true },
): Promise<FakeStaffPlatforms> {
  const slack = wire.slack ? await startFakeSlack({ token: STAFF_SLACK_TOKEN }) : undefined;
  const telegram = wire.telegram
    ? await startFakeTelegram({ token: STAFF_TELEGRAM_TOKEN })
    : undefined;
  const env: Record<string, string> = {};
  if (slack) {
    Object.assign(env, {
      SLACK_BOT_TOKEN: STAFF_SLACK_TOKEN,
      SLACK_SIGNING_SECRET: 'staff-platforms-signing',
      SLACK_API_URL: slack.apiUrl,
      SLACK_TRIAGE_CHANNEL: 'C0STAFFTRI',
      SLACK_MANAGER_CHANNEL: STAFF_MANAGER_CHANNEL,
    });
  }
  if (telegram) {
    // Webhook mode without PUBLIC_URL: nothing is registered, nothing polls.
    Object.assign(env, {
      TELEGRAM_BOT_TOKEN: STAFF_TELEGRAM_TOKEN,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET: 'staff_platforms_secret',
      TELEGRAM_AGENT_CHAT_ID: STAFF_AGENTS_CHAT,
    });
  }
  return {
    env,
    channels: { slackPaceIntervalMs: 5 },
    ...(slack ? { slack } : {}),
    ...(telegram ? { telegram } : {}),
    async close() {
      await slack?.close();
      await telegram?.close();
    },
  };
}
