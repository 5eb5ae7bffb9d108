/** The environment that wires Parley's Telegram channel in webhook mode to a fake Bot API. */
export function telegramWebhookEnv(token: string, secret: string, apiRoot: string) {
  return {
    TELEGRAM_BOT_TOKEN: token,
    TELEGRAM_WEBHOOK_SECRET: secret,
    TELEGRAM_API_ROOT: apiRoot,
    TELEGRAM_MODE: 'webhook',
  };
}
