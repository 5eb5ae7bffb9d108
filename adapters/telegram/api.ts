/** One place that builds grammY's `Api` from the adapter's connection settings. */
import { Api } from 'grammy';

export interface TelegramConnection {
  token: string;
  /** e.g. `https://api.telegram.org` or a local fake; no trailing slash. */
  apiRoot: string;
  /** Defaults to the global `fetch`. */
  fetch?: typeof globalThis.fetch;
  /**
   * Longest wait for one API call (default 10 s; grammY's own default is 500 s, so a Telegram
   * that accepts the connection and never answers would hold an outbox row for minutes). A call
   * that times out fails as a network error and is retried.
   */
  timeoutMs?: number;
  /** Longest wait for one file download (default 120 s). */
  downloadTimeoutMs?: number;
}

export const DEFAULT_TELEGRAM_TIMEOUT_MS = 10_000;
export const DEFAULT_TELEGRAM_DOWNLOAD_TIMEOUT_MS = 120_000;

export function createTelegramApi(connection: TelegramConnection): Api {
  return new Api(connection.token, {
    apiRoot: trimSlash(connection.apiRoot),
    fetch: connection.fetch ?? globalThis.fetch,
    timeoutSeconds: (connection.timeoutMs ?? DEFAULT_TELEGRAM_TIMEOUT_MS) / 1000,
  });
}

export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
