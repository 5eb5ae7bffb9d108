/**
 * Starts and stops the HTTP server. `close()` stops accepting connections, lets in-flight
 * requests finish (closing keep-alive sockets as they go idle), and after `drainTimeoutMs`
 * destroys whatever is left — what SIGTERM needs.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export interface RunningServer {
  /** `http://host:port`, with the real port when started on port 0. */
  url: string;
  server: Server;
  close(): Promise<void>;
}

export interface ListenOptions {
  /** Default 10 s. */
  drainTimeoutMs?: number;
  /** Default 65 s: longer than common load balancer idle timeouts. */
  keepAliveTimeoutMs?: number;
}

function urlOf(address: AddressInfo): string {
  const host =
    address.address === '::' || address.address === '0.0.0.0'
      ? 'localhost'
      : address.family === 'IPv6'
        ? `[${address.address}]`
        : address.address;
  return `http://${host}:${address.port}`;
}

export function startHttpServer(
  app: Express,
  port: number,
  host?: string,
  options: ListenOptions = {},
): Promise<RunningServer> {
  const server = createServer(app);
  server.keepAliveTimeout = options.keepAliveTimeoutMs ?? 65_000;
  server.headersTimeout = server.keepAliveTimeout + 1_000;
  const drainTimeoutMs = options.drainTimeoutMs ?? 10_000;

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve, reject) => {
      const sweep = setInterval(() => server.closeIdleConnections(), 100);
      const deadline = setTimeout(() => server.closeAllConnections(), drainTimeoutMs);
      sweep.unref();
      deadline.unref();
      server.close((err) => {
        clearInterval(sweep);
        clearTimeout(deadline);
        if (err) reject(err);
        else resolve();
      });
      server.closeIdleConnections();
    });
    return closing;
  };

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const onListening = () => {
      server.off('error', reject);
      resolve({ url: urlOf(server.address() as AddressInfo), server, close });
    };
    if (host === undefined) server.listen(port, onListening);
    else server.listen(port, host, onListening);
  });
}
