/** The slice of a pino logger the Telegram adapter uses; a pino `Logger` satisfies it. */
export type TelegramLogFn = (obj: Record<string, unknown>, msg?: string) => void;

export interface TelegramLogger {
  debug: TelegramLogFn;
  info: TelegramLogFn;
  warn: TelegramLogFn;
  error: TelegramLogFn;
}

const noop: TelegramLogFn = () => undefined;

export const silentLogger: TelegramLogger = { debug: noop, info: noop, warn: noop, error: noop };
