/** Parley's Telegram channel in webhook mode against a fake Bot API, for tests. */

/** The environment that wires the channel (token, webhook secret, fake Bot API root, mode). */
export function telegramWebhookEnv(token: string, secret: string, apiRoot: string) {
  return {
    TELEGRAM_BOT_TOKEN: token,
    TELEGRAM_WEBHOOK_SECRET: secret,
    TELEGRAM_API_ROOT: apiRoot,
    TELEGRAM_MODE: 'webhook',
  };
}

/** Delivers `update` to Parley's webhook at `baseUrl` as Telegram does, with its secret token. */
export function postTelegramWebhook(
  baseUrl: string,
  secret: string,
  update: unknown,
): Promise<Response> {
  return fetch(`${baseUrl}/webhooks/telegram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
    body: JSON.stringify(update),
  });
}
