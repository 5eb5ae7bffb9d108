/**
 * One PostgreSQL server per test run: `DATABASE_URL` when set, else an embedded server in a
 * fresh temp dir on a free port. A template database with the migrations applied is built once;
 * each test file clones it (see test-database.ts), which takes milliseconds.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pino } from 'pino';
import type { TestProject } from 'vitest/node';
import {
  createDatabase,
  defaultMigrationsFolder,
  runMigrations,
} from '../../src/storage/database.js';
import {
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from '../../src/storage/embedded-postgres.js';
import { databaseUrlFor } from './test-database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The server's `parley` (or DATABASE_URL's) database; use it for admin statements only. */
    databaseUrl: string;
    /** Migrated database to clone with `CREATE DATABASE ... TEMPLATE`. */
    templateDatabase: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = performance.now();
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'warn' });
  let server: EmbeddedPostgres | undefined;
  let tempDir: string | undefined;
  let url = process.env.DATABASE_URL;
  if (!url) {
    tempDir = await mkdtemp(path.join(tmpdir(), `parley-test-${process.pid}-`));
    server = await startEmbeddedPostgres({
      dataDir: tempDir,
      port: 0,
      logger,
      throwaway: true,
    });
    url = server.url;
  }
  // A shared external server may serve several runs at once: give each its own template.
  const templateDatabase = server
    ? 'parley_template'
    : `parley_template_${randomBytes(4).toString('hex')}`;

  const teardown = async (): Promise<void> => {
    try {
      if (!server && url) await dropDatabase(url, templateDatabase);
    } finally {
      await server?.stop();
      if (tempDir) await rm(tempDir, { recursive: true, force: true });
    }
  };

  try {
    await createTemplate(url, templateDatabase);
  } catch (error) {
    await teardown();
    throw error;
  }
  project.provide('databaseUrl', url);
  project.provide('templateDatabase', templateDatabase);
  logger.info(
    { ms: Math.round(performance.now() - started), embedded: Boolean(server) },
    'test database ready',
  );
  return teardown;
}

async function createTemplate(url: string, name: string): Promise<void> {
  await admin(url, async (client) => {
    const quoted = client.escapeIdentifier(name);
    await client.query(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${quoted}`);
  });
  if (existsSync(path.join(defaultMigrationsFolder, 'meta', '_journal.json'))) {
    const database = createDatabase(databaseUrlFor(url, name), { max: 1 });
    try {
      await runMigrations(database.db);
    } finally {
      await database.close();
    }
  }
  // Nobody may connect to the template: cloning fails while it has sessions.
  await admin(url, (client) =>
    client.query(`ALTER DATABASE ${client.escapeIdentifier(name)} WITH ALLOW_CONNECTIONS false`),
  );
}

async function dropDatabase(url: string, name: string): Promise<void> {
  await admin(url, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`),
  );
}

async function admin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'parley-test' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
