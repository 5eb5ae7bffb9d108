/**
 * Choosing the port: the one asked for, else the one the previous run used (`postgres.port`),
 * else 5433, else any free one.
 */
import { readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { HOST } from './connection.js';

const DEFAULT_PORT = 5433;

export async function choosePort(dataDir: string, requested: number | undefined): Promise<number> {
  const remembered = await readPort(dataDir);
  const candidates = [
    requested !== undefined && requested > 0 ? requested : undefined,
    remembered,
    requested === undefined ? DEFAULT_PORT : undefined,
  ];
  for (const port of candidates) {
    if (port !== undefined && (await isPortFree(port))) return port;
  }
  return freePort();
}

async function readPort(dataDir: string): Promise<number | undefined> {
  try {
    const port = Number((await readFile(path.join(dataDir, 'postgres.port'), 'utf8')).trim());
    return Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
  } catch {
    return undefined;
  }
}

export async function writePort(dataDir: string, port: number): Promise<void> {
  await writeFile(path.join(dataDir, 'postgres.port'), `${port}\n`);
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: HOST, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: HOST, exclusive: true }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
