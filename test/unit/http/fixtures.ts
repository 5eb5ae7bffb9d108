/** Fakes for HTTP tests: deps whose storage is never touched, use cases, records, a server. */
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { Registry } from 'prom-client';
import type { AppDeps, RequestContext } from '../../../src/app/context.js';
import { ManualClock } from '../../../src/domain/clock.js';
import type { Message, Tenant, Ticket } from '../../../src/domain/records.js';
import { buildHttpApp, type HttpAppOptions } from '../../../src/http/app.js';
import { createStaffTranslator } from '../../../src/locales.js';
import type { HttpUseCases } from '../../../src/http/use-cases.js';
import type { Logger } from '../../../src/ports/logger.js';

export interface LogLine {
  level: string;
  obj: unknown;
  msg?: string | undefined;
  bindings: Record<string, unknown>;
}

export function memoryLogger(
  lines: LogLine[] = [],
  bindings: Record<string, unknown> = {},
): Logger & { lines: LogLine[] } {
  const at =
    (level: string) =>
    (obj: object | string, msg?: string): void => {
      lines.push({ level, obj, msg, bindings });
    };
  return {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => memoryLogger(lines, { ...bindings, ...more }),
  };
}

const untouched = new Proxy(
  {},
  {
    get(_target, prop) {
      throw new Error(`storage must not be used by this test (touched ${String(prop)})`);
    },
  },
);

export function fakeDeps(logger: Logger = memoryLogger()): AppDeps {
  return {
    uow: untouched as AppDeps['uow'],
    files: untouched as AppDeps['files'],
    clock: new ManualClock('2026-03-01T10:00:00Z'),
    logger,
    notifyDestinations: [],
    staffPlatforms: [],
    staff: createStaffTranslator(),
  };
}

export const TENANT: Tenant = {
  id: '11111111-1111-4111-8111-111111111111',
  name: 'Acme',
  slug: 'acme',
  timezone: 'Europe/Berlin',
  settings: {},
  createdAt: new Date('2026-01-01T00:00:00Z'),
};

export const API_CONTEXT: RequestContext = {
  tenant: TENANT,
  actor: { type: 'api', keyId: 'key-1', role: 'admin' },
};

export const AGENT_CONTEXT: RequestContext = {
  tenant: TENANT,
  actor: { type: 'agent', id: '22222222-2222-4222-8222-222222222222', role: 'agent' },
};

export function ticket(overrides: Partial<Ticket> = {}): Ticket {
  return {
    id: '33333333-3333-4333-8333-333333333333',
    tenantId: TENANT.id,
    number: 'TK-2026-00042',
    subject: 'Broken mug',
    description: 'It arrived in pieces',
    status: 'new',
    priority: 'medium',
    category: 'order_issue',
    kind: 'b2c',
    channel: 'api',
    customer: { id: '44444444-4444-4444-8444-444444444444', name: 'Ana' },
    assignee: null,
    groupId: null,
    links: {
      order_ref: 'SO-1',
      invoice_ref: null,
      product_sku: null,
      store_ref: null,
      batch_ref: null,
      crm_contact_id: null,
    },
    deliveryDate: '2026-02-27',
    withinPolicyWindow: true,
    daysLate: 0,
    firstResponseDueAt: new Date('2026-03-01T14:00:00Z'),
    resolutionDueAt: new Date('2026-03-02T10:00:00Z'),
    firstResponseAt: null,
    slaDueAt: new Date('2026-03-01T14:00:00Z'),
    slaBreached: false,
    slaPausedAt: null,
    firstResponseBreachedAt: null,
    resolutionBreachedAt: null,
    firstResponseSeconds: null,
    firstResponseBusinessSeconds: null,
    resolutionSeconds: null,
    resolutionBusinessSeconds: null,
    resolution: null,
    approval: null,
    lastDeliveryError: null,
    conversationId: null,
    csat: { solved: null, rating: null },
    createdAt: new Date('2026-03-01T10:00:00Z'),
    updatedAt: new Date('2026-03-01T10:00:00Z'),
    resolvedAt: null,
    closedAt: null,
    ...overrides,
  };
}

export function message(overrides: Partial<Message> = {}): Message {
  return {
    id: '55555555-5555-4555-8555-555555555555',
    tenantId: TENANT.id,
    ticketId: '33333333-3333-4333-8333-333333333333',
    authorType: 'agent',
    authorId: '22222222-2222-4222-8222-222222222222',
    body: 'We are sending a new one.',
    internal: false,
    channel: 'api',
    externalId: null,
    deliveryStatus: 'pending',
    deliveryError: null,
    conversationId: null,
    attachments: [],
    createdAt: new Date('2026-03-01T10:05:00Z'),
    ...overrides,
  };
}

const notFaked = (name: string) => () => Promise.reject(new Error(`${name} is not faked`));

/** Use cases that fail loudly unless a test provides them. Keys: `good-key` → API_CONTEXT. */
export function fakeUseCases(overrides: Partial<HttpUseCases> = {}): HttpUseCases {
  return {
    authenticateApiKey: async (_deps, key) =>
      key === 'good-key' ? API_CONTEXT : key === 'agent-key' ? AGENT_CONTEXT : null,
    createTenant: notFaked('createTenant'),
    createTicket: notFaked('createTicket'),
    listTickets: notFaked('listTickets'),
    getTicket: notFaked('getTicket'),
    listTicketEvents: notFaked('listTicketEvents'),
    ticketQueueCounts: notFaked('ticketQueueCounts'),
    listGroups: notFaked('listGroups'),
    createGroup: notFaked('createGroup'),
    updateGroup: notFaked('updateGroup'),
    listWatchers: notFaked('listWatchers'),
    setWatcher: notFaked('setWatcher'),
    removeWatcher: notFaked('removeWatcher'),
    createReceiptLink: notFaked('createReceiptLink'),
    getTenantSettings: notFaked('getTenantSettings'),
    updateTenantSettings: notFaked('updateTenantSettings'),
    updateTicket: notFaked('updateTicket'),
    decideApproval: notFaked('decideApproval'),
    addTicketMessage: notFaked('addTicketMessage'),
    listTicketMessages: notFaked('listTicketMessages'),
    retryMessageDelivery: notFaked('retryMessageDelivery'),
    createCustomer: notFaked('createCustomer'),
    listCustomers: notFaked('listCustomers'),
    getCustomer: notFaked('getCustomer'),
    listCustomerTickets: notFaked('listCustomerTickets'),
    createAgent: notFaked('createAgent'),
    listAgents: notFaked('listAgents'),
    issueAgentApiKey: notFaked('issueAgentApiKey'),
    ...overrides,
  };
}

export type TestAppOptions = Partial<HttpAppOptions> & { useCases?: Partial<HttpUseCases> };

export function testApp(options: TestAppOptions = {}): Express {
  const logger = options.logger ?? memoryLogger();
  return buildHttpApp({
    deps: fakeDeps(logger),
    readiness: async () => true,
    registry: new Registry(),
    channels: [],
    rateLimit: false,
    ...options,
    logger,
    useCases: fakeUseCases(options.useCases),
  });
}

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

/** Listens on an ephemeral port. */
export async function serve(app: Express): Promise<TestServer> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

export const auth = (key = 'good-key') => ({ authorization: `Bearer ${key}` });

export const jsonHeaders = (key = 'good-key') => ({
  ...auth(key),
  'content-type': 'application/json',
});
