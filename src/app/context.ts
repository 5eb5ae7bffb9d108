/** What every use case gets: its ports, and who is asking on behalf of which tenant. */
import type { Actor } from '../domain/actor.js';
import type { Clock } from '../domain/clock.js';
import type { Tenant } from '../domain/records.js';
import type { AttachmentStorage } from '../ports/attachment-storage.js';
import type { Logger } from '../ports/logger.js';
import type { UnitOfWork } from '../ports/stores.js';

export interface AppDeps {
  uow: UnitOfWork;
  clock: Clock;
  files: AttachmentStorage;
  logger: Logger;
  /** Internal outbox destinations wired at start-up (e.g. `slack`); empty until channels exist. */
  notifyDestinations: readonly string[];
  /** Called after a commit that enqueued outbox rows, so the dispatcher need not wait a poll. */
  onOutboxWrite?: () => void;
}

export interface RequestContext {
  tenant: Tenant;
  actor: Actor;
}
