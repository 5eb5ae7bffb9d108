/**
 * Wires Parley together: database (external or embedded), migrations, the default tenant, the
 * use cases' ports, the outbox dispatcher and the HTTP server. `main.ts` calls this; integration
 * tests call it too, so they run the same wiring as production.
 */
import { randomBytes } from 'node:crypto';
import { pino, type Logger } from 'pino';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { type ChannelOverrides, wireChannels } from './wire-channels.js';
import { wireSlack } from './wire-slack.js';
import { staffSenders } from './wire-staff.js';
import { createAppDeps } from './app-deps.js';
import type { AppDeps } from './app/context.js';
import { createLogSender } from './app/log-sender.js';
import { deliveryFailureNotifier } from './app/delivery-failure-notice.js';
import { deliveryMarker } from './app/delivery-marks.js';
import { createOutboxDispatcher, type OutboxDispatcher } from './app/outbox-dispatcher.js';
import { startDispatchThread } from './dispatch-thread.js';
import { ensureDefaultTenant } from './app/tenants.js';
import { type Config, channelStatus, redactedConfig } from './config.js';
import { type Clock, systemClock } from './domain/clock.js';
import type { OutboxRow, Sender } from './ports/outbox.js';
import { createHttpApp, startHttpServer } from './http/server.js';
import { inboundFloodMetrics } from './http/metrics.js';
import { createChannelPaceStore } from './storage/channel-pace-store.js';
import { webhookSender } from './webhook-sender.js';
import { subscriptionOfDestination } from './domain/webhook-events.js';
import { createDatabase, runMigrations } from './storage/database.js';
import { startEmbeddedPostgres } from './storage/embedded-postgres.js';
import { createOutboxQueue } from './storage/outbox-store.js';
import {
  announceIngestBusy,
  createOutboxNotifier,
  listenForSignals,
  publishWebchatReply,
  type SignalHandlers,
} from './storage/outbox-signal.js';
import { sweepJobs } from './jobs/index.js';
import { type Scheduler, runJobNow, startScheduler } from './jobs/scheduler.js';

export const PARLEY_VERSION = '0.1.0';

/** A web process says "webhooks are waiting" at most this often… */
const INGEST_BUSY_EVERY_MS = 100;
/** …and a worker holds new claims this long after each (three missed announcements: quiet). */
const INGEST_BUSY_HOLD_MS = 300;

export interface ParleyOptions {
  logger?: Logger;
  clock?: Clock;
  /** Extra outbox senders by destination (tests, and channels as they arrive). */
  senders?: Record<string, Sender>;
  /** Internal notification destinations (e.g. `slack`) that ticket events fan out to. */
  notifyDestinations?: string[];
  /** Run the outbox dispatcher loop (default true). */
  dispatcher?: boolean;
  /** Run the scheduled sweeps (SLA, auto-close, reminders, reports; default true). */
  scheduler?: boolean;
  /** Tests: a fetch for platform clients, a fake WhatsApp Web client. */
  channels?: ChannelOverrides;
}

export interface RunningParley {
  url: string;
  /** The database it runs on (the embedded server's, when it started one). */
  databaseUrl: string;
  /** What this thread runs: `web` under PARLEY_DISPATCH_THREAD=on (the thread is the worker). */
  role: Config['role'];
  deps: AppDeps;
  dispatcher: OutboxDispatcher;
  /** The scheduled sweeps; `runNow(name)` runs one in this process. */
  jobs: Pick<Scheduler, 'runNow'>;
  logger: Logger;
  /** Graceful: stop taking requests and finish in-flight ones, stop the dispatcher, close the pool, stop an embedded PostgreSQL. */
  stop(): Promise<void>;
}

export async function startParley(
  config: Config,
  options: ParleyOptions = {},
): Promise<RunningParley> {
  if (config.role === 'all' && config.dispatchThread) return startWithThread(config, options);
  const logger =
    options.logger ??
    pino({
      level: config.logLevel,
      redact: { paths: ['*.authorization', '*.password', '*.token', '*.api_key'], censor: '***' },
    });
  const clock = options.clock ?? systemClock;
  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) {
      await step().catch((err: unknown) => logger.error({ err }, 'shutdown step failed'));
    }
  };
  try {
    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, logger });
      cleanups.push(() => embedded.stop());
      databaseUrl = embedded.url;
      logger.info(
        { dataDir: config.dataDir, port: embedded.port, reused: embedded.reused },
        'storage: embedded PostgreSQL',
      );
    }
    const database = createDatabase(databaseUrl, {
      logger,
      max: 20,
      prepare: config.preparedStatements,
    });
    cleanups.push(() => database.close());
    // Webhooks record events on their own few connections (group-committed): however busy the
    // dispatcher and the sweeps are, an inbound message is acknowledged in milliseconds.
    const ingest = createDatabase(databaseUrl, {
      logger,
      max: 3,
      prepare: config.preparedStatements,
    });
    cleanups.push(() => ingest.close());
    await runMigrations(database.db);

    let requestsInFlight = (): number => 0; // the HTTP app's count, once it exists
    // A worker process: until when a web process last said its webhooks are waiting.
    let webBusyUntil = 0;
    const answeringFirst = config.ingestPriorityInFlight > 0;
    const queue = createOutboxQueue(database.db);
    let channelSenders: Record<string, Sender> = {};
    const notify = [...(options.notifyDestinations ?? [])];
    const senders: Record<string, Sender> = {
      log: createLogSender(logger),
      test: createLogSender(logger),
      ...options.senders,
    };
    // Bound once the use cases' deps exist (they need the dispatcher to wake it).
    const hooks: {
      failed?: (row: OutboxRow, reason: string) => Promise<void>;
      sent?: (row: OutboxRow) => Promise<void>;
      webhooks?: Sender;
    } = {};
    const dispatcher = createOutboxDispatcher({
      onFailed: (row, reason) => hooks.failed?.(row, reason) ?? Promise.resolve(),
      onSent: (row) => hooks.sent?.(row) ?? Promise.resolve(),
      queue,
      // A lookup, not a snapshot: channels register their senders as they start.
      senders: (destination) =>
        senders[destination] ??
        channelSenders[destination] ??
        (subscriptionOfDestination(destination) !== null ? hooks.webhooks : undefined),
      clock,
      logger: logger.child({ component: 'outbox' }),
      leaseMs: config.outbox.leaseMs,
      concurrency: config.outbox.concurrency,
      pollIntervalMs: config.outbox.pollIntervalMs,
      // Answering first: a worker holds new claims while a web process says its webhooks wait;
      // an all-in-one process watches its own requests in flight.
      ...(config.role === 'worker' && answeringFirst
        ? { yieldWhile: () => Date.now() < webBusyUntil }
        : {}),
      ...(config.role === 'all' && answeringFirst
        ? { yieldWhile: () => requestsInFlight() >= config.ingestPriorityInFlight }
        : {}),
    });
    const dispatches = options.dispatcher !== false && config.role !== 'web';
    // A web process records work and leaves it to the workers: it tells them so.
    const onOutboxWrite =
      config.role === 'web' ? createOutboxNotifier(database.pool, logger) : () => dispatcher.wake();
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const deps = createAppDeps({
      config,
      db: database.db,
      clock,
      logger,
      notifyDestinations: notify,
      onOutboxWrite,
      ingestDb: ingest.db,
      inboundFloodObserver: inboundFloodMetrics(registry),
    });
    hooks.webhooks = webhookSender(deps, {
      timeoutMs: config.platformTimeoutMs,
      allowHttp: config.outboundWebhooks.allowHttp,
    });
    const notifyFailure = deliveryFailureNotifier(deps);
    const marks = deliveryMarker(deps);
    hooks.failed = async (row, reason) => {
      const done = await Promise.allSettled([notifyFailure(row, reason), marks.onFailed(row)]);
      const refused = done.find((r) => r.status === 'rejected');
      if (refused) throw refused.reason;
    };
    hooks.sent = marks.onSent;
    const tenant = await ensureDefaultTenant(deps, {
      adminApiKey: config.adminApiKey,
      timezone: config.defaultTimezone,
    });
    const channels = channelStatus(config);
    const webchatSecret = await deps.uow.read.secrets.getOrCreate('webchat_session_key', () =>
      randomBytes(32).toString('base64url'),
    );
    // Read at most once a second: every webhook asks, and under a burst a query per webhook on
    // the main pool queued behind the dispatcher's work (seconds per acknowledgement).
    // Another process's settings change shows here within that second; this one's at once.
    const tenantCache = cachedFor(1_000, async () => {
      return (await deps.uow.read.tenants.findById(tenant.id)) ?? tenant;
    });
    const currentTenant = tenantCache.get;
    deps.onTenantChanged = tenantCache.forget;
    const wired = wireChannels(config, deps, currentTenant, channels, logger, {
      webchatSecret,
      // A worker's web chat replies wake the polls waiting in the web processes.
      ...(config.role === 'worker'
        ? { webchatPublish: publishWebchatReply(database.pool, logger) }
        : {}),
      ...options.channels,
    });
    const slack = wireSlack(config, deps, currentTenant, logger, {
      paceStore: createChannelPaceStore(database.db),
      ...(options.channels?.fetch ? { fetch: options.channels.fetch } : {}),
      ...(options.channels?.slackPaceIntervalMs !== undefined
        ? { paceIntervalMs: options.channels.slackPaceIntervalMs }
        : {}),
      ...(options.channels?.slackCommandDeadlineMs !== undefined
        ? { commandDeadlineMs: options.channels.slackCommandDeadlineMs }
        : {}),
    });
    if (slack) {
      notify.push(...slack.notifyDestinations);
      deps.presence = slack.presence;
    }
    channelSenders = {
      ...wired.senders,
      ...slack?.senders,
      ...staffSenders(deps, config, {
        slack: slack?.staffMessenger,
        telegram: wired.telegramStaff,
      }),
    };

    new Gauge({
      name: 'parley_outbox_pending',
      help: 'Outbox rows waiting or in flight',
      registers: [registry],
      async collect() {
        this.set(await queue.pendingCount());
      },
    });

    let shuttingDown = false;
    const app = createHttpApp({
      deps,
      platformApiKey: config.platformApiKey,
      readiness: async () => {
        if (shuttingDown) return false;
        await database.pool.query('select 1');
        return true;
      },
      registry,
      channels,
      version: PARLEY_VERSION,
      logger,
      rateLimit: config.rateLimit,
      overload: config.overload,
      exposeInFlight: (read) => {
        requestsInFlight = read;
      },
      rawRoutes: [...wired.rawRoutes, ...(slack?.rawRoutes ?? [])],
      publicUrl: config.publicUrl,
    });
    const server = await startHttpServer(app, config.port, config.host);
    cleanups.push(() => server.close());
    if (dispatches) {
      dispatcher.start();
      cleanups.push(() => dispatcher.stop());
    }
    // Signals between processes: a dispatching process hears of recorded work (and a worker of
    // webhooks waiting); a web process of the workers' web chat replies (its polls wait for them).
    const signals: SignalHandlers = {
      ...(dispatches ? { onOutbox: () => dispatcher.wake() } : {}),
      ...(dispatches && config.role === 'worker' && answeringFirst
        ? { onIngestBusy: () => (webBusyUntil = Date.now() + INGEST_BUSY_HOLD_MS) }
        : {}),
      ...(config.role === 'web' && wired.webchatNotify
        ? { onWebchatReply: wired.webchatNotify }
        : {}),
    };
    if (Object.keys(signals).length > 0) {
      const listener = await listenForSignals(databaseUrl, signals, logger);
      cleanups.push(() => listener.stop());
    }
    // A web process tells the workers when webhooks wait (they hold new claims meanwhile).
    if (config.role === 'web' && answeringFirst) {
      const announcer = announceIngestBusy(database.pool, logger, {
        inFlight: () => requestsInFlight(),
        threshold: config.ingestPriorityInFlight,
        everyMs: INGEST_BUSY_EVERY_MS,
      });
      cleanups.push(async () => announcer.stop());
    }
    // Receivers (Telegram polling or setWebhook, Slack) belong where the traffic comes in.
    if (config.role !== 'worker') {
      await wired.start();
      await slack?.start();
      cleanups.push(() => wired.stop());
      if (slack) cleanups.push(() => slack.stop());
    }
    const jobs = sweepJobs(deps, { outboxRetentionDays: config.outbox.retentionDays });
    let scheduler: Scheduler | undefined;
    if (options.scheduler !== false && config.role !== 'web') {
      scheduler = await startScheduler({
        pool: database.pool,
        jobs,
        logger: logger.child({ component: 'scheduler' }),
        workerName: `parley-${process.pid}-${randomBytes(3).toString('hex')}`,
      });
      cleanups.push(() => scheduler!.stop());
    }

    logger.info(
      { url: server.url, version: PARLEY_VERSION, role: config.role },
      `Parley is listening on ${server.url}`,
    );
    for (const c of channels)
      logger.info({ channel: c.name, enabled: c.enabled }, `channel ${c.name}: ${c.reason}`);
    logger.debug({ config: redactedConfig(config) }, 'configuration');

    let stopping: Promise<void> | undefined;
    return {
      url: server.url,
      databaseUrl,
      role: config.role,
      deps,
      dispatcher,
      jobs: { runNow: (name) => runJobNow(jobs, name) },
      logger,
      stop: () =>
        (stopping ??= (async () => {
          shuttingDown = true;
          await cleanup();
        })()),
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/**
 * PARLEY_DISPATCH_THREAD=on: this process is the web part (PARLEY_ROLE=web) and a thread of it the
 * worker part (src/dispatch-thread.ts), on the same database; the thread stops first.
 */
async function startWithThread(config: Config, options: ParleyOptions): Promise<RunningParley> {
  const web = await startParley({ ...config, role: 'web', dispatchThread: false }, options);
  try {
    const thread = await startDispatchThread(
      {
        ...config,
        role: 'worker',
        dispatchThread: false,
        databaseUrl: web.databaseUrl,
        // Its HTTP server (health, metrics) stays on the loopback, on a free port.
        port: 0,
        host: '127.0.0.1',
      },
      web.logger,
    );
    web.logger.info(
      'dispatcher, bot and sweeps run on their own thread (PARLEY_DISPATCH_THREAD=on)',
    );
    let stopping: Promise<void> | undefined;
    return {
      ...web,
      stop: () =>
        (stopping ??= (async () => {
          await thread.stop();
          await web.stop();
        })()),
    };
  } catch (err) {
    await web.stop();
    throw err;
  }
}

/** `load`'s result, reused for `ttlMs` or until `forget()`; concurrent callers share one load. */
function cachedFor<T>(
  ttlMs: number,
  load: () => Promise<T>,
): { get: () => Promise<T>; forget: () => void } {
  let value: Promise<T> | undefined;
  let loadedAt = 0;
  return {
    get: () => {
      const now = Date.now();
      if (!value || now - loadedAt > ttlMs) {
        loadedAt = now;
        value = load().catch((err: unknown) => {
          value = undefined; // the next caller tries again
          throw err;
        });
      }
      return value;
    },
    forget: () => {
      value = undefined;
    },
  };
}
