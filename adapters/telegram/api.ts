/** One place that builds grammY's `Api` from the adapter's connection settings. */
import { Api } from 'grammy';

export interface TelegramConnection {
  token: string;
  /** e.g. `https://api.telegram.org` or a local fake; no trailing slash. */
  apiRoot: string;
  /** Defaults to the global `fetch`. */
  fetch?: typeof globalThis.fetch;
}

export function createTelegramApi(connection: TelegramConnection): Api {
  return new Api(connection.token, {
    apiRoot: trimSlash(connection.apiRoot),
    fetch: connection.fetch ?? globalThis.fetch,
  });
}

export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
