/** The use cases' ports, built the same way for the server (parley.ts) and the CLI (cli.ts). */
import { createWebhookTargets } from './app/webhook-targets.js';
import type { Logger } from 'pino';
import { createAuthCache } from './app/auth-cache.js';
import type { AppDeps, BotDeps, InboundFloodObserver } from './app/context.js';
import { type Config, staffPlatformsOf } from './config.js';
import type { Clock } from './domain/clock.js';
import { csatQuestion, expireFlow, remindFlow, runFlowStep } from './engine/index.js';
import { defaultFlows } from '../flows/index.js';
import {
  SUPPORTED_LANGUAGES,
  createStaffTranslator,
  createTranslator,
  pickLanguage,
} from './locales.js';
import type { Executor } from './storage/executor.js';
import { createFileAttachmentStorage } from './storage/file-attachment-storage.js';
import { createGroupCommitOutbox } from './storage/group-commit-outbox.js';
import { createUnitOfWork } from './storage/unit-of-work.js';

/** The customer-facing bot: the default flows and the translations under locales/. */
export function createBot(
  whatsappTemplate: { name: string; language: string } | undefined,
): BotDeps {
  const translator = createTranslator();
  return {
    translator: {
      languages: SUPPORTED_LANGUAGES,
      t: (language, key, params) => translator.t(language, key, params),
      duration: (language, seconds) => translator.duration(language, seconds),
      dateTime: (language, at, timeZone) => translator.dateTime(language, at, timeZone),
      pickLanguage: (hints) => pickLanguage(hints),
    },
    step: (state, input, ctx) => runFlowStep(defaultFlows, state, input, ctx),
    csatQuestion,
    remind: (state, ctx) => remindFlow(defaultFlows, state, ctx),
    expire: (state) => expireFlow(defaultFlows, state),
    ...(whatsappTemplate ? { whatsappTemplate } : {}),
  };
}

export function createAppDeps(input: {
  config: Config;
  db: Executor;
  clock: Clock;
  logger: Logger;
  notifyDestinations?: string[];
  onOutboxWrite?: () => void;
  /** A separate (small) pool for webhooks' group-committed inserts; absent: none. */
  ingestDb?: Executor;
  inboundFloodObserver?: InboundFloodObserver;
}): AppDeps {
  const { config, clock } = input;
  return {
    uow: createUnitOfWork(input.db, { clock, maxAttempts: config.outbox.maxAttempts }),
    clock,
    files: createFileAttachmentStorage({
      dir: `${config.dataDir}/attachments`,
      maxBytes: config.attachments.maxBytes,
    }),
    logger: input.logger,
    notifyDestinations: input.notifyDestinations ?? [],
    staffPlatforms: staffPlatformsOf(config),
    ...(input.onOutboxWrite ? { onOutboxWrite: input.onOutboxWrite } : {}),
    staff: createStaffTranslator(),
    bot: createBot(config.whatsapp.template),
    authCache: createAuthCache(),
    webhookTargets: createWebhookTargets({ allowHttp: config.outboundWebhooks.allowHttp }),
    ...(input.inboundFloodObserver ? { inboundFloodObserver: input.inboundFloodObserver } : {}),
    ...(input.ingestDb
      ? {
          inbound: createGroupCommitOutbox(input.ingestDb, {
            clock,
            maxAttempts: config.outbox.maxAttempts,
          }),
        }
      : {}),
  };
}
