/** The handle `startEmbeddedPostgres` returns: where the server is, and how to stop it. */
import type { Logger } from 'pino';
import { DATABASE, databaseUrl } from './connection.js';
import { signal, stopPostmaster } from './postmaster-process.js';

export interface EmbeddedPostgres {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/parley` */
  url: string;
  port: number;
  /** pid of the postmaster. */
  pid: number;
  /** True when a server left running by a previous (killed) Parley process was adopted. */
  reused: boolean;
  /** Fast shutdown (SIGINT) and wait until the postmaster has exited. Idempotent. */
  stop(): Promise<void>;
}

export function serverHandle(
  port: number,
  pid: number,
  password: string,
  reused: boolean,
  log: Logger,
): EmbeddedPostgres {
  // Safety net for exits that skip stop(): a synchronous signal is all `exit` allows.
  const onExit = (): void => {
    signal(pid, 'SIGINT');
  };
  process.on('exit', onExit);
  let stopping: Promise<void> | undefined;
  return {
    url: databaseUrl(port, password, DATABASE),
    port,
    pid,
    reused,
    stop() {
      stopping ??= (async () => {
        process.removeListener('exit', onExit);
        await stopPostmaster(pid);
        log.info({ pid }, 'embedded PostgreSQL stopped');
      })();
      return stopping;
    },
  };
}
