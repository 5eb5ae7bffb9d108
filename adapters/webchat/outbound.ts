/**
 * Web-chat replies. The message is already in the database (written with its outbox row), and
 * the page reads it from there by polling; sending only wakes that session's long polls.
 */
import { randomBytes } from 'node:crypto';
import type {
  ChannelSender,
  OutboundButton,
  OutboundMessage,
  SendReceipt,
} from '../../src/ports/channel.js';
import { ChannelApiError } from '../../src/ports/channel.js';

export interface WebchatPublished {
  text?: string;
  buttons?: OutboundButton[];
  list?: OutboundMessage['list'];
}

/** Wakes the long polls of a session; called by `send` (the channel's `publish`). */
export type WebchatPublish = (sessionId: string, message: WebchatPublished) => void;

export interface WebchatSenderOptions {
  publish: WebchatPublish;
}

export function createWebchatSender(options: WebchatSenderOptions): ChannelSender {
  return {
    async send(message: OutboundMessage): Promise<SendReceipt> {
      if (message.channel !== 'webchat' || !message.chatId) {
        throw new ChannelApiError('web chat: not a web-chat message', {
          channel: 'webchat',
          method: 'publish',
          permanent: true,
        });
      }
      const published: WebchatPublished = {};
      const text = message.text ?? message.media?.caption;
      if (text !== undefined) published.text = text;
      if (message.buttons?.length) published.buttons = message.buttons;
      if (message.list) published.list = message.list;
      options.publish(message.chatId, published);
      return { externalId: `wc-${randomBytes(12).toString('base64url')}` };
    },
  };
}
