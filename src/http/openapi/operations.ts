/**
 * Every `/api/v1` operation, described once, for the OpenAPI document. Schemas are the same
 * zod objects the routes validate with, so the document cannot drift from the code.
 */
import type * as z from 'zod';
import { ErrorResponse, PageQuery } from '../schemas/common.js';
import { AgentJson, AgentList, ApiKeyJson, CreateAgentBody } from '../schemas/agents.js';
import { CustomerInputBody, CustomerJson, CustomerList } from '../schemas/customers.js';
import {
  SlaOverrideBody,
  SlaOverrideJson,
  SlaOverrideList,
  SlaPolicyBody,
  SlaPolicyJson,
} from '../schemas/sla-policy.js';
import { SetWatcherBody, WatcherList } from '../schemas/watchers.js';
import { CreateGroupBody, GroupJson, GroupList, UpdateGroupBody } from '../schemas/groups.js';
import { CreateReceiptLinkBody, ReceiptLinkJson } from '../schemas/receipt-links.js';
import { TenantSettingsBody, TenantSettingsJson } from '../schemas/settings.js';
import {
  ListScheduledTicketsQuery,
  ScheduleTicketBody,
  ScheduledTicketJson,
  ScheduledTicketList,
} from '../schemas/scheduled-tickets.js';
import { DailyReportJson, DailyReportQuery } from '../schemas/reports.js';
import {
  CreateWebhookSubscriptionBody,
  CreatedWebhookSubscriptionJson,
  WebhookDeliveryList,
  WebhookSubscriptionJson,
  WebhookSubscriptionList,
} from '../schemas/webhook-subscriptions.js';
import { CreateTenantBody, CreateTenantResult, TenantJson } from '../schemas/tenants.js';
import {
  ApprovalBody,
  AttachmentInputBody,
  AuditEventJson,
  AuditEventList,
  CreateMessageBody,
  CreateTicketBody,
  CustomerTicketsQuery,
  LinksInput,
  ListTicketsQuery,
  MessageJson,
  MessageList,
  TicketCountsJson,
  TicketJson,
  TicketList,
  UpdateTicketBody,
} from '../schemas/tickets.js';

/** Named request schemas (documented as they are sent: before defaults and transforms). */
export const REQUEST_SCHEMAS: Record<string, z.ZodType> = {
  CreateTicketRequest: CreateTicketBody,
  UpdateTicketRequest: UpdateTicketBody,
  CreateMessageRequest: CreateMessageBody,
  ApprovalRequest: ApprovalBody,
  CustomerInput: CustomerInputBody,
  AttachmentInput: AttachmentInputBody,
  LinksInput,
  CreateAgentRequest: CreateAgentBody,
  CreateTenantRequest: CreateTenantBody,
  SlaPolicyRequest: SlaPolicyBody,
  SlaOverrideRequest: SlaOverrideBody,
  SetWatcherRequest: SetWatcherBody,
  CreateGroupRequest: CreateGroupBody,
  CreateWebhookSubscriptionRequest: CreateWebhookSubscriptionBody,
  UpdateGroupRequest: UpdateGroupBody,
  CreateReceiptLinkRequest: CreateReceiptLinkBody,
  TenantSettingsRequest: TenantSettingsBody,
  ScheduleTicketRequest: ScheduleTicketBody,
};

/** Named answer schemas. */
export const RESPONSE_SCHEMAS: Record<string, z.ZodType> = {
  Error: ErrorResponse,
  Ticket: TicketJson,
  TicketList,
  TicketCounts: TicketCountsJson,
  Message: MessageJson,
  MessageList,
  AuditEvent: AuditEventJson,
  AuditEventList,
  Customer: CustomerJson,
  CustomerList,
  Agent: AgentJson,
  AgentList,
  ApiKey: ApiKeyJson,
  Tenant: TenantJson,
  CreateTenantResponse: CreateTenantResult,
  SlaPolicy: SlaPolicyJson,
  SlaOverride: SlaOverrideJson,
  SlaOverrideList,
  WatcherList,
  Group: GroupJson,
  WebhookSubscription: WebhookSubscriptionJson,
  CreatedWebhookSubscription: CreatedWebhookSubscriptionJson,
  WebhookSubscriptionList,
  WebhookDeliveryList,
  GroupList,
  ReceiptLink: ReceiptLinkJson,
  TenantSettings: TenantSettingsJson,
  ScheduledTicket: ScheduledTicketJson,
  ScheduledTicketList,
  DailyReport: DailyReportJson,
};

export type Auth = 'api_key' | 'platform_key' | 'none';

export interface Operation {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** OpenAPI path relative to `/api/v1`, with `{param}`s. */
  path: string;
  summary: string;
  tag: string;
  auth: Auth;
  query?: z.ZodObject;
  /** A REQUEST_SCHEMAS name. */
  body?: string;
  /** Success status and a RESPONSE_SCHEMAS name. */
  success: { status: number; schema: string; description: string };
  /** Error statuses besides the ones implied by auth, body and path parameters. */
  errors?: number[];
  headers?: { name: string; description: string; maxLength: number }[];
}

const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  description:
    'Replays with the same key return the first answer (201, the same ticket) instead of ' +
    'creating another ticket.',
  maxLength: 200,
};

export const OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/tenants',
    summary: 'Create a tenant and its admin API key (platform key)',
    tag: 'tenants',
    auth: 'platform_key',
    body: 'CreateTenantRequest',
    success: { status: 201, schema: 'CreateTenantResponse', description: 'Created' },
    errors: [403, 409],
  },
  {
    method: 'post',
    path: '/tickets',
    summary: 'Open a ticket',
    tag: 'tickets',
    auth: 'api_key',
    body: 'CreateTicketRequest',
    headers: [IDEMPOTENCY_KEY],
    success: { status: 201, schema: 'Ticket', description: 'Created (or replayed)' },
    errors: [409, 413, 422],
  },
  {
    method: 'get',
    path: '/tickets',
    summary: 'List tickets',
    tag: 'tickets',
    auth: 'api_key',
    query: ListTicketsQuery,
    success: { status: 200, schema: 'TicketList', description: 'A page of tickets' },
  },
  {
    method: 'get',
    path: '/tickets/counts',
    summary: 'Queue counts: by status, unassigned, overdue, mine',
    tag: 'tickets',
    auth: 'api_key',
    success: { status: 200, schema: 'TicketCounts', description: 'Counts' },
  },
  {
    method: 'get',
    path: '/tickets/{ref}',
    summary: 'Read a ticket by id or number',
    tag: 'tickets',
    auth: 'api_key',
    success: { status: 200, schema: 'Ticket', description: 'The ticket' },
  },
  {
    method: 'patch',
    path: '/tickets/{ref}',
    summary: 'Change status, priority, category, assignee, links or resolution',
    tag: 'tickets',
    auth: 'api_key',
    body: 'UpdateTicketRequest',
    success: { status: 200, schema: 'Ticket', description: 'The updated ticket' },
    errors: [403, 409, 422],
  },
  {
    method: 'post',
    path: '/tickets/{ref}/approval',
    summary: 'Approve or reject a pending approval (supervisors)',
    tag: 'tickets',
    auth: 'api_key',
    body: 'ApprovalRequest',
    success: { status: 200, schema: 'Ticket', description: 'The ticket after the decision' },
    errors: [403, 409, 422],
  },
  {
    method: 'get',
    path: '/tickets/{ref}/messages',
    summary: "A ticket's messages, oldest first",
    tag: 'messages',
    auth: 'api_key',
    success: { status: 200, schema: 'MessageList', description: 'Messages' },
  },
  {
    method: 'post',
    path: '/tickets/{ref}/messages',
    summary: 'Reply to the customer, or add an internal note',
    tag: 'messages',
    auth: 'api_key',
    body: 'CreateMessageRequest',
    success: { status: 201, schema: 'Message', description: 'Created' },
    errors: [403, 409, 413, 422],
  },
  {
    method: 'post',
    path: '/tickets/{ref}/messages/{id}/retry',
    summary:
      'Send again a reply whose delivery failed for good (extension); 409 when it is not failed or never reached a channel',
    tag: 'messages',
    auth: 'api_key',
    success: { status: 200, schema: 'Message', description: 'The message, delivery pending again' },
    errors: [403, 409],
  },
  {
    method: 'get',
    path: '/tickets/{ref}/events',
    summary: "A ticket's audit trail",
    tag: 'tickets',
    auth: 'api_key',
    success: { status: 200, schema: 'AuditEventList', description: 'Audit events' },
  },
  {
    method: 'get',
    path: '/settings',
    summary:
      "The tenant's settings: categories, priorities, routing (category → group), claim window",
    tag: 'tenants',
    auth: 'api_key',
    success: { status: 200, schema: 'TenantSettings', description: 'Settings' },
  },
  {
    method: 'patch',
    path: '/settings',
    summary: 'Change settings (admins); given keys replace the current ones',
    tag: 'tenants',
    auth: 'api_key',
    body: 'TenantSettingsRequest',
    success: { status: 200, schema: 'TenantSettings', description: 'Settings after the change' },
    errors: [403],
  },
  {
    method: 'post',
    path: '/receipt-links',
    summary:
      'A link from a digital receipt into the chat (web, Telegram, WhatsApp), carrying the purchase',
    tag: 'tickets',
    auth: 'api_key',
    body: 'CreateReceiptLinkRequest',
    success: { status: 201, schema: 'ReceiptLink', description: 'The link in its three forms' },
  },
  {
    method: 'get',
    path: '/tickets/{ref}/watchers',
    summary: "A ticket's assignee, watchers and cc'd agents with their notification preferences",
    tag: 'tickets',
    auth: 'api_key',
    success: { status: 200, schema: 'WatcherList', description: 'Watchers' },
  },
  {
    method: 'put',
    path: '/tickets/{ref}/watchers/{id}',
    summary: 'Watch (or cc) a ticket as an agent; agents set their own, supervisors anyone',
    tag: 'tickets',
    auth: 'api_key',
    body: 'SetWatcherRequest',
    success: { status: 200, schema: 'WatcherList', description: 'Watchers after the change' },
    errors: [403],
  },
  {
    method: 'delete',
    path: '/tickets/{ref}/watchers/{id}',
    summary: 'Stop watching a ticket',
    tag: 'tickets',
    auth: 'api_key',
    success: { status: 200, schema: 'WatcherList', description: 'Watchers after the change' },
    errors: [403],
  },
  {
    method: 'get',
    path: '/groups',
    summary: 'Agent groups (queues) with their Slack channel, assignment strategy and members',
    tag: 'agents',
    auth: 'api_key',
    success: { status: 200, schema: 'GroupList', description: 'Groups, by name' },
  },
  {
    method: 'post',
    path: '/groups',
    summary:
      'Create a group (supervisor or admin); automatic strategies hand out its waiting queue',
    tag: 'agents',
    auth: 'api_key',
    body: 'CreateGroupRequest',
    success: { status: 201, schema: 'Group', description: 'The group' },
    errors: [403, 409, 422],
  },
  {
    method: 'patch',
    path: '/groups/{id}',
    summary: 'Rename a group, set its Slack channel or strategy, or replace its members',
    tag: 'agents',
    auth: 'api_key',
    body: 'UpdateGroupRequest',
    success: { status: 200, schema: 'Group', description: 'The group after the change' },
    errors: [403, 404, 409, 422],
  },
  {
    method: 'get',
    path: '/webhook-subscriptions',
    summary: 'Outbound webhooks: URLs that hear of ticket events (admin)',
    tag: 'webhooks',
    auth: 'api_key',
    success: {
      status: 200,
      schema: 'WebhookSubscriptionList',
      description: 'Subscriptions, oldest first, without their secrets',
    },
    errors: [403],
  },
  {
    method: 'post',
    path: '/webhook-subscriptions',
    summary:
      'Subscribe a URL to ticket events (admin); deliveries are signed with the secret in the answer',
    tag: 'webhooks',
    auth: 'api_key',
    body: 'CreateWebhookSubscriptionRequest',
    success: {
      status: 201,
      schema: 'CreatedWebhookSubscription',
      description: 'The subscription and its signing secret (shown only here)',
    },
    errors: [403],
  },
  {
    method: 'get',
    path: '/webhook-subscriptions/{id}/deliveries',
    summary: 'A subscription’s 50 newest deliveries: status, attempts and the last error (admin)',
    tag: 'webhooks',
    auth: 'api_key',
    success: {
      status: 200,
      schema: 'WebhookDeliveryList',
      description: 'Newest first, as long as the outbox keeps them (OUTBOX_RETENTION_DAYS)',
    },
    errors: [403],
  },
  {
    method: 'delete',
    path: '/webhook-subscriptions/{id}',
    summary: 'Remove a subscription (admin); deliveries still queued for it are dropped',
    tag: 'webhooks',
    auth: 'api_key',
    success: {
      status: 200,
      schema: 'WebhookSubscription',
      description: 'The removed subscription',
    },
    errors: [403],
  },
  {
    method: 'post',
    path: '/customers',
    summary: 'Create a customer',
    tag: 'customers',
    auth: 'api_key',
    body: 'CustomerInput',
    success: { status: 201, schema: 'Customer', description: 'Created' },
    errors: [409],
  },
  {
    method: 'get',
    path: '/customers',
    summary: 'List customers',
    tag: 'customers',
    auth: 'api_key',
    query: PageQuery,
    success: { status: 200, schema: 'CustomerList', description: 'A page of customers' },
  },
  {
    method: 'get',
    path: '/customers/{id}',
    summary: 'Read a customer',
    tag: 'customers',
    auth: 'api_key',
    success: { status: 200, schema: 'Customer', description: 'The customer' },
  },
  {
    method: 'get',
    path: '/customers/{id}/tickets',
    summary: "A customer's tickets",
    tag: 'customers',
    auth: 'api_key',
    query: CustomerTicketsQuery,
    success: { status: 200, schema: 'TicketList', description: 'A page of tickets' },
  },
  {
    method: 'post',
    path: '/agents',
    summary: 'Create an agent',
    tag: 'agents',
    auth: 'api_key',
    body: 'CreateAgentRequest',
    success: { status: 201, schema: 'Agent', description: 'Created' },
    errors: [403, 409],
  },
  {
    method: 'get',
    path: '/agents',
    summary: 'List agents',
    tag: 'agents',
    auth: 'api_key',
    success: { status: 200, schema: 'AgentList', description: 'All agents' },
  },
  {
    method: 'post',
    path: '/agents/{id}/api-keys',
    summary: "Issue an API key bound to an agent (acts with the agent's role)",
    tag: 'agents',
    auth: 'api_key',
    success: { status: 201, schema: 'ApiKey', description: 'Created; shown once' },
    errors: [403],
  },
  {
    method: 'get',
    path: '/sla-policy',
    summary: "The tenant's SLA policy",
    tag: 'sla',
    auth: 'api_key',
    success: { status: 200, schema: 'SlaPolicy', description: 'The policy' },
  },
  {
    method: 'put',
    path: '/sla-policy',
    summary: "Replace the tenant's SLA policy (`calendar: null` = 24/7)",
    tag: 'sla',
    auth: 'api_key',
    body: 'SlaPolicyRequest',
    success: { status: 200, schema: 'SlaPolicy', description: 'The stored policy' },
    errors: [403, 422],
  },
  {
    method: 'get',
    path: '/sla-policy/overrides',
    summary: 'Policy overrides by agent group, category and customer tier (extension)',
    tag: 'sla',
    auth: 'api_key',
    success: { status: 200, schema: 'SlaOverrideList', description: 'Every override' },
  },
  {
    method: 'put',
    path: '/sla-policy/overrides/{scope}/{value}',
    summary:
      'Set the override of a group, category or tier: any subset of the policy (supervisors). ' +
      'Precedence: tenant < group < category < tier',
    tag: 'sla',
    auth: 'api_key',
    body: 'SlaOverrideRequest',
    success: { status: 200, schema: 'SlaOverride', description: 'The stored override' },
    errors: [403, 422],
  },
  {
    method: 'delete',
    path: '/sla-policy/overrides/{scope}/{value}',
    summary: 'Remove an override (supervisors)',
    tag: 'sla',
    auth: 'api_key',
    success: { status: 200, schema: 'SlaOverrideList', description: 'The overrides left' },
    errors: [403],
  },
  {
    method: 'post',
    path: '/scheduled-tickets',
    summary:
      'Schedule a ticket to open later (purchase journeys); idempotent on external_key (200 = existing)',
    tag: 'scheduled-tickets',
    auth: 'api_key',
    body: 'ScheduleTicketRequest',
    success: {
      status: 201,
      schema: 'ScheduledTicket',
      description: 'Scheduled (200: the existing one)',
    },
    errors: [403, 409, 422],
  },
  {
    method: 'get',
    path: '/scheduled-tickets',
    summary: 'List scheduled tickets by run_at',
    tag: 'scheduled-tickets',
    auth: 'api_key',
    query: ListScheduledTicketsQuery,
    success: { status: 200, schema: 'ScheduledTicketList', description: 'A page of schedules' },
  },
  {
    method: 'get',
    path: '/scheduled-tickets/{id_or_key}',
    summary: 'Read a scheduled ticket by id or external key',
    tag: 'scheduled-tickets',
    auth: 'api_key',
    success: { status: 200, schema: 'ScheduledTicket', description: 'The schedule' },
  },
  {
    method: 'delete',
    path: '/scheduled-tickets/{id_or_key}',
    summary: 'Cancel a scheduled ticket (409 once opened)',
    tag: 'scheduled-tickets',
    auth: 'api_key',
    success: { status: 200, schema: 'ScheduledTicket', description: 'The cancelled schedule' },
    errors: [403, 409],
  },
  {
    method: 'get',
    path: '/reports/daily',
    summary: 'The daily queue report as sent (supervisors and admins)',
    tag: 'reports',
    auth: 'api_key',
    query: DailyReportQuery,
    success: { status: 200, schema: 'DailyReport', description: 'The report' },
    errors: [403, 404],
  },
];
