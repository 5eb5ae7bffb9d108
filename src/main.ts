/** The process entry point: configuration, start, and a clean shutdown on SIGTERM/SIGINT. */
import { pino } from 'pino';
import { ConfigError, loadConfig } from './config.js';
import { startParley } from './parley.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = pino({
    level: config.logLevel,
    redact: {
      paths: ['*.authorization', '*.password', '*.token', '*.api_key', 'req.headers.authorization'],
      censor: '***',
    },
  });
  const parley = await startParley(config, { logger });

  let signals = 0;
  const shutdown = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error('shutdown took too long: exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs + 15_000);
    timer.unref();
    parley.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `Parley failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
