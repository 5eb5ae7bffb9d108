/** Shared helpers for the Telegram adapter tests: fixture files and a recording logger. */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TelegramLogger } from '../../../../adapters/telegram/index.js';

export const FIXTURE_DIR = fileURLToPath(
  new URL('../../../../../shared/fixtures/telegram/', import.meta.url),
);

export function fixtureNames(): string[] {
  return readdirSync(FIXTURE_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort();
}

/** The exact file bytes, as Telegram would POST them. */
export function fixtureBytes(name: string): Buffer {
  return readFileSync(`${FIXTURE_DIR}${name}`);
}

export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(fixtureBytes(name).toString('utf8')) as Record<string, unknown>;
}

export interface LogEntry {
  level: keyof TelegramLogger;
  obj: Record<string, unknown>;
  msg: string | undefined;
}

export function recordingLogger(): { logger: TelegramLogger; entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at =
    (level: LogEntry['level']) =>
    (obj: Record<string, unknown>, msg?: string): void => {
      entries.push({ level, obj, msg });
    };
  return {
    entries,
    logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
  };
}
