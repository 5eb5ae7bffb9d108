import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from '../../../src/storage/embedded-postgres.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const modulePath = path.join(repoRoot, 'src/storage/embedded-postgres.ts');
const logger = pino({ level: 'silent' });

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function tempDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'parley-ep-test-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function start(dataDir: string, port?: number): Promise<EmbeddedPostgres> {
  const server = await startEmbeddedPostgres({ dataDir, port, logger, throwaway: true });
  cleanups.push(() => server.stop());
  return server;
}

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

/** Running and not a zombie: an orphaned postmaster is reaped by pid 1, if at all. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const procStat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return procStat.charAt(procStat.lastIndexOf(')') + 2) !== 'Z';
  } catch {
    return false;
  }
}

function occupyPort(): Promise<net.Server & { port: number }> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      cleanups.push(() => new Promise((done) => server.close(done)));
      resolve(Object.assign(server, { port: (server.address() as net.AddressInfo).port }));
    });
  });
}

describe('startEmbeddedPostgres', () => {
  it('keeps data across a restart, on the port it chose when the preferred one was busy', async () => {
    const dataDir = await tempDataDir();
    const busy = await occupyPort();

    const first = await start(dataDir, busy.port);
    expect(first.reused).toBe(false);
    expect(first.port).not.toBe(busy.port);
    expect(first.url).toMatch(/^postgres:\/\/postgres:[0-9a-f]+@127\.0\.0\.1:\d+\/parley$/);
    expect((await readFile(path.join(dataDir, 'postgres.port'), 'utf8')).trim()).toBe(
      String(first.port),
    );
    expect((await stat(path.join(dataDir, 'postgres.password'))).mode & 0o777).toBe(0o600);
    await query(first.url, `CREATE TABLE kept (value text); INSERT INTO kept VALUES ('hello')`);
    await first.stop();
    expect(isRunning(first.pid)).toBe(false);

    const second = await start(dataDir, busy.port);
    expect(second.port).toBe(first.port);
    expect(second.url).toBe(first.url);
    expect(await query(second.url, 'SELECT value FROM kept')).toEqual([{ value: 'hello' }]);

    // Signal handling is Parley's: the package's async-exit-hook listeners were removed.
    const fromPackage = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
    const hook = fromPackage('async-exit-hook') as { hookedEvents(): string[] };
    expect(hook.hookedEvents()).toEqual([]);
  });

  it('adopts the server a SIGKILLed process left running, and stop() stops it', async () => {
    const dataDir = await tempDataDir();
    const script = `
      import { pino } from 'pino';
      const { startEmbeddedPostgres } = await import(${JSON.stringify(pathToFileURL(modulePath).href)});
      const server = await startEmbeddedPostgres({
        dataDir: ${JSON.stringify(dataDir)}, port: 0, logger: pino({ level: 'silent' }),
        throwaway: true,
      });
      process.stdout.write(JSON.stringify({ url: server.url, pid: server.pid }) + '\\n');
      setInterval(() => {}, 60_000);
    `;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '--eval', script],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    cleanups.push(async () => child.kill('SIGKILL'));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const orphan = await new Promise<{ url: string; pid: number }>((resolve, reject) => {
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(JSON.parse(out.slice(0, out.indexOf('\n'))));
      });
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.once('exit', (code) => reject(new Error(`child exited (${code}): ${err}`)));
    });
    // Whatever happens below, do not leave the orphan running.
    cleanups.push(async () => isRunning(orphan.pid) && process.kill(orphan.pid, 'SIGKILL'));
    await query(orphan.url, `CREATE TABLE survived (value int); INSERT INTO survived VALUES (42)`);

    child.kill('SIGKILL');
    await exited;
    expect(isRunning(orphan.pid)).toBe(true);

    const adopted = await start(dataDir);
    expect(adopted.reused).toBe(true);
    expect(adopted.pid).toBe(orphan.pid);
    expect(adopted.url).toBe(orphan.url);
    expect(await query(adopted.url, 'SELECT value FROM survived')).toEqual([{ value: 42 }]);

    await adopted.stop();
    expect(isRunning(orphan.pid)).toBe(false);
    await expect(stat(path.join(dataDir, 'postgres', 'postmaster.pid'))).rejects.toThrow();

    // And the next start is a normal one again.
    const restarted = await start(dataDir);
    expect(restarted.reused).toBe(false);
    expect(await query(restarted.url, 'SELECT value FROM survived')).toEqual([{ value: 42 }]);
  });
});
