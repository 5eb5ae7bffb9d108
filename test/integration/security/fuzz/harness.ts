/**
 * One Parley with every channel on (Telegram webhook, WhatsApp Cloud, Slack, web chat) against
 * the fake platforms, for the fuzz tests, with the signing each webhook expects.
 */
import { createHmac } from 'node:crypto';
import { signSlackRequest } from '../../../../adapters/slack/verify.js';
import { type FakeGraph, startFakeGraph } from '../../../fakes/graph-api.js';
import { type FakeSlack, startFakeSlack } from '../../../fakes/slack-api.js';
import { type FakeTelegram, startFakeTelegram } from '../../../fakes/telegram-api.js';
import { type TestParley, startTestParley } from '../../../support/test-parley.js';
import { telegramWebhookEnv } from '../../../support/telegram-env.js';

export const SECRETS = {
  telegramToken: '4242:FUZZ-telegram-token',
  telegramSecret: 'fuzz_tg_secret_0123456789',
  whatsappToken: 'EAAG-fuzz-whatsapp-token',
  whatsappAppSecret: 'fuzz-whatsapp-app-secret',
  whatsappVerify: 'fuzz-verify-token',
  whatsappPhoneNumberId: '100000000000002',
  slackToken: 'xoxb-fuzz-token',
  slackSigning: 'fuzz-slack-signing-secret',
  slackTriage: 'C0FUZZTRIAGE',
  /** The agents' Telegram supergroup (agent commands from Telegram). */
  telegramAgentChat: '-1001000000009',
} as const;

const GENEROUS = { ratePerSecond: 10_000, burst: 10_000 };

export interface FuzzParley {
  parley: TestParley;
  telegram: FakeTelegram;
  slack: FakeSlack;
  graph: FakeGraph;
  close(): Promise<void>;
}

export async function startFuzzParley(): Promise<FuzzParley> {
  const telegram = await startFakeTelegram({ token: SECRETS.telegramToken });
  const slack = await startFakeSlack({ token: SECRETS.slackToken });
  const graph = await startFakeGraph({ token: SECRETS.whatsappToken });
  const parley = await startTestParley({
    channels: {
      slackPaceIntervalMs: 5,
      webchatLimits: {
        sessionsPerIp: GENEROUS,
        messagesPerSession: GENEROUS,
        messagesPerIp: GENEROUS,
        pollsPerSession: GENEROUS,
      },
    },
    env: {
      ...telegramWebhookEnv(SECRETS.telegramToken, SECRETS.telegramSecret, telegram.apiRoot),
      TELEGRAM_AGENT_CHAT_ID: SECRETS.telegramAgentChat,
      WHATSAPP_MODE: 'cloud',
      WHATSAPP_TOKEN: SECRETS.whatsappToken,
      WHATSAPP_PHONE_NUMBER_ID: SECRETS.whatsappPhoneNumberId,
      WHATSAPP_APP_SECRET: SECRETS.whatsappAppSecret,
      WHATSAPP_VERIFY_TOKEN: SECRETS.whatsappVerify,
      WHATSAPP_GRAPH_URL: graph.baseUrl,
      SLACK_BOT_TOKEN: SECRETS.slackToken,
      SLACK_SIGNING_SECRET: SECRETS.slackSigning,
      SLACK_API_URL: slack.apiUrl,
      SLACK_TRIAGE_CHANNEL: SECRETS.slackTriage,
      SLACK_THREAD_REPLIES: 'customer', // agents' thread replies reach the customer
    },
  });
  return {
    parley,
    telegram,
    slack,
    graph,
    async close() {
      await parley.close();
      await Promise.all([telegram.close(), slack.close(), graph.close()]);
    },
  };
}

export const whatsappSignature = (body: string | Buffer) =>
  `sha256=${createHmac('sha256', SECRETS.whatsappAppSecret).update(body).digest('hex')}`;

export function slackHeaders(body: string | Buffer, contentType: string): Record<string, string> {
  const ts = Math.floor(Date.now() / 1000);
  return {
    'content-type': contentType,
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': signSlackRequest(SECRETS.slackSigning, ts, body),
  };
}
