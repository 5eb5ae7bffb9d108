/**
 * A whole Parley (same wiring as `npm start`) on an isolated test database, listening on an
 * ephemeral port, with a small JSON client for the REST API.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import type { Clock } from '../../src/domain/clock.js';
import { type ParleyOptions, type RunningParley, startParley } from '../../src/parley.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export const ADMIN_KEY = 'test-admin-key-0123456789abcdef';
export const PLATFORM_KEY = 'test-platform-key-0123456789abcdef';

export interface TestParley extends RunningParley {
  database: TestDatabase;
  api: ApiClient;
  close(): Promise<void>;
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export type ApiClient = (
  method: string,
  path: string,
  opts?: { key?: string | null; body?: unknown; headers?: Record<string, string>; raw?: string },
) => Promise<ApiResponse>;

export function apiClient(baseUrl: string, defaultKey: string): ApiClient {
  return async (method, urlPath, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    const key = opts.key === undefined ? defaultKey : opts.key;
    if (key) headers.authorization = `Bearer ${key}`;
    let body: string | undefined = opts.raw;
    if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    const res = await fetch(`${baseUrl}${urlPath}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed as any, headers: res.headers };
  };
}

export async function startTestParley(
  opts: ParleyOptions & {
    env?: Record<string, string>;
    clock?: Clock;
    /** Join another Parley's test database (a second process on the same data); left open on close. */
    database?: TestDatabase;
  } = {},
): Promise<TestParley> {
  const { database: joined, ...parleyOptions } = opts;
  const database = joined ?? (await createTestDatabase());
  const dataDir = await mkdtemp(path.join(tmpdir(), 'parley-app-'));
  const config = loadConfig({
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    ADMIN_API_KEY: ADMIN_KEY,
    PLATFORM_API_KEY: PLATFORM_KEY,
    RATE_LIMIT_PER_SECOND: '10000',
    RATE_LIMIT_BURST: '10000',
    // Tests share a busy machine: shedding on event-loop delay would turn a slow CI runner into
    // random 503s. The shedding tests set the limits they exercise.
    OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '0',
    ...opts.env,
  });
  const parley = await startParley(config, {
    logger: pino({ level: 'silent' }),
    scheduler: false, // tests run sweeps with `jobs.runNow` under a moved clock
    ...parleyOptions,
  });
  return {
    ...parley,
    database,
    api: apiClient(`${parley.url}/api/v1`, ADMIN_KEY),
    async close() {
      await parley.stop();
      if (!joined) await database.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
