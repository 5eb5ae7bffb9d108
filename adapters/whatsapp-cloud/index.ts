/**
 * WhatsApp Cloud API channel: webhook verification and notifications in, messages out, media
 * download. Framework-free: the HTTP layer mounts `handleVerify` (GET) and `handleWebhook`
 * (POST, raw body) on `/webhooks/whatsapp`.
 */
import type { ChannelSender, InboundHandler, MediaFetcher } from '../../src/ports/channel.js';
import { createGraphClient, type FetchLike, type GraphClient } from './graph-client.js';
import { createWhatsAppMediaFetcher } from './media.js';
import { createWhatsAppCloudSender } from './outbound.js';
import { verifySubscription } from './verify.js';
import { createWebhookHandler, type AdapterLogger } from './webhook.js';
import type { WebhookRequest, WebhookResponse } from './webhook-types.js';

export type { WebhookRequest, WebhookResponse } from './webhook-types.js';
export type { AdapterLogger } from './webhook.js';
export { toInboundEvents, toRoutedInboundEvents, type RoutedInboundEvent } from './inbound.js';
export { signWebhookBody } from './verify.js';

export const DEFAULT_GRAPH_URL = 'https://graph.facebook.com/v21.0';

export interface WhatsAppCloudChannelOptions {
  token: string;
  phoneNumberId: string;
  appSecret: string;
  verifyToken: string;
  /** `WHATSAPP_GRAPH_URL`, version included (default `https://graph.facebook.com/v21.0`). */
  graphUrl?: string;
  fetch?: FetchLike;
  /** Per Graph API call (default 30 s; media downloads have their own, longer limit). */
  timeoutMs?: number;
  logger: AdapterLogger;
  onEvent: InboundHandler;
  /** Bytes of a stored attachment by its sha256 (for outbound media). */
  readFile: (sha256: string) => Promise<Buffer>;
  /** Media hosts to download from (default: Meta's; the Graph host is always allowed). */
  allowedMediaHosts?: readonly string[];
  /** Label of the list button when more than 3 buttons become a list (default 'Choose'). */
  listButtonText?: string;
  /** Skip events addressed to other business numbers of the account (default true). */
  onlyOwnPhoneNumber?: boolean;
}

export interface WhatsAppCloudChannel {
  handleVerify(req: WebhookRequest): Promise<WebhookResponse>;
  handleWebhook(req: WebhookRequest): Promise<WebhookResponse>;
  sender: ChannelSender;
  media: MediaFetcher;
  client: GraphClient;
}

export function createWhatsAppCloudChannel(
  opts: WhatsAppCloudChannelOptions,
): WhatsAppCloudChannel {
  const client = createGraphClient({
    baseUrl: opts.graphUrl ?? DEFAULT_GRAPH_URL,
    token: opts.token,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
  });
  const handleWebhook = createWebhookHandler({
    appSecret: opts.appSecret,
    onEvent: opts.onEvent,
    logger: opts.logger,
    ...(opts.onlyOwnPhoneNumber === false ? {} : { phoneNumberId: opts.phoneNumberId }),
  });
  return {
    handleVerify: async (req) => verifySubscription(req, opts.verifyToken),
    handleWebhook,
    sender: createWhatsAppCloudSender({
      client,
      phoneNumberId: opts.phoneNumberId,
      readFile: opts.readFile,
      ...(opts.listButtonText ? { listButtonText: opts.listButtonText } : {}),
    }),
    media: createWhatsAppMediaFetcher({
      client,
      ...(opts.allowedMediaHosts ? { allowedHosts: opts.allowedMediaHosts } : {}),
    }),
    client,
  };
}
