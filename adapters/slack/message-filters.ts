/**
 * Which Slack messages are people writing something new. The lead relays only those to
 * customers, so bot messages (ours included) and edits never loop back.
 */
import type { SlackMessageEvent } from './types.js';

type MessageLike = Pick<SlackMessageEvent, 'bot_id' | 'subtype' | 'user'>;

/**
 * True for anything a bot wrote, our own messages included (`bot_id`, `subtype: bot_message`,
 * or `user` = our bot user). Never relay these to a customer: it would loop.
 */
export function isBotOrSelf(message: MessageLike, botUserId?: string): boolean {
  if (message.bot_id || message.subtype === 'bot_message') return true;
  return botUserId !== undefined && botUserId !== '' && message.user === botUserId;
}

/** True for an edit (`message_changed`): the original was already handled. */
export function isEdit(message: Pick<SlackMessageEvent, 'subtype'>): boolean {
  return message.subtype === 'message_changed';
}

/** Subtypes that are still a person writing something new. */
const HUMAN_SUBTYPES = new Set(['thread_broadcast', 'file_share', 'me_message']);

/** A new message a person wrote: not a bot's, not an edit, deletion, join or other notice. */
export function isHumanMessage(message: MessageLike, botUserId?: string): boolean {
  if (isBotOrSelf(message, botUserId) || !message.user) return false;
  return message.subtype === undefined || HUMAN_SUBTYPES.has(message.subtype);
}
