/**
 * `OutboundMessage` → Telegram Bot API calls through grammY's `Api`. A message may become
 * several Telegram messages (a file, then text split at 4096 characters); the inline keyboard
 * rides on the last one, and the receipt names the last one.
 */
import { InputFile } from 'grammy';
import type { InlineKeyboardMarkup, Message } from 'grammy/types';
import type { ChannelSender, OutboundMessage, SendReceipt } from '../../src/ports/channel.js';
import { ChannelApiError } from '../../src/ports/channel.js';
import { createTelegramApi, type TelegramConnection } from './api.js';
import { toChannelApiError } from './errors.js';
import { silentLogger, type TelegramLogger } from './logger.js';
import { splitText, TELEGRAM_CAPTION_LIMIT } from './split-text.js';

export interface TelegramSenderConfig extends TelegramConnection {
  /** Reads a stored attachment's bytes by its sha256. */
  readFile: (sha256: string) => Promise<Buffer>;
  logger?: TelegramLogger;
}

/** One Telegram API call that produces a message; `markup` is given to the last one only. */
type Step = (markup: InlineKeyboardMarkup | undefined) => Promise<Message>;

export function createTelegramSender(config: TelegramSenderConfig): ChannelSender {
  const api = createTelegramApi(config);
  const logger = config.logger ?? silentLogger;

  async function call<T>(method: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw toChannelApiError(err, method);
    }
  }

  async function answerCallback(id: string): Promise<void> {
    try {
      await api.answerCallbackQuery(id);
    } catch (err) {
      // Answering only stops the button's spinner; an old or repeated query must not fail the send.
      logger.warn(
        { err: toChannelApiError(err, 'answerCallbackQuery').message },
        'telegram callback answer failed',
      );
    }
  }

  function textSteps(chatId: string, text: string): Step[] {
    return splitText(text).map(
      (chunk) => (markup) =>
        call('sendMessage', () =>
          api.sendMessage(chatId, chunk, markup ? { reply_markup: markup } : {}),
        ),
    );
  }

  function mediaSteps(chatId: string, media: NonNullable<OutboundMessage['media']>): Step[] {
    const caption = media.caption?.trim() ? media.caption : undefined;
    const inline =
      caption !== undefined && caption.length <= TELEGRAM_CAPTION_LIMIT && media.kind !== 'sticker';
    const sendFile: Step = async (markup) => {
      const bytes = await config.readFile(media.sha256);
      const file = new InputFile(bytes, media.fileName);
      const other = { ...(inline ? { caption } : {}), ...(markup ? { reply_markup: markup } : {}) };
      switch (media.kind) {
        case 'photo':
          return call('sendPhoto', () => api.sendPhoto(chatId, file, other));
        case 'video':
          return call('sendVideo', () => api.sendVideo(chatId, file, other));
        case 'voice':
          // Telegram plays only OGG/Opus as a voice note; anything else goes as audio.
          if (/^audio\/ogg\b/.test(media.mimeType)) {
            return call('sendVoice', () => api.sendVoice(chatId, file, other));
          }
          return call('sendAudio', () => api.sendAudio(chatId, file, other));
        case 'audio':
          return call('sendAudio', () => api.sendAudio(chatId, file, other));
        case 'sticker':
          return call('sendSticker', () =>
            api.sendSticker(chatId, file, markup ? { reply_markup: markup } : {}),
          );
        case 'document':
          return call('sendDocument', () => api.sendDocument(chatId, file, other));
      }
    };
    return [sendFile, ...(caption !== undefined && !inline ? textSteps(chatId, caption) : [])];
  }

  return {
    async send(message: OutboundMessage): Promise<SendReceipt> {
      if (message.answerCallbackQueryId) await answerCallback(message.answerCallbackQueryId);
      const markup = keyboardOf(message);
      const text = message.text ?? (message.list ? message.list.buttonText : undefined);
      const steps = [
        ...(message.media ? mediaSteps(message.chatId, message.media) : []),
        ...(text !== undefined ? textSteps(message.chatId, text) : []),
      ];
      if (steps.length === 0) {
        if (message.answerCallbackQueryId && !markup) return { externalId: null };
        throw new ChannelApiError('Nothing to send on Telegram (no text or media)', {
          channel: 'telegram',
          method: 'sendMessage',
          code: 'empty_message',
          permanent: true,
        });
      }
      let last: Message | undefined;
      for (const [index, step] of steps.entries()) {
        last = await step(index === steps.length - 1 ? markup : undefined);
      }
      return { externalId: last ? `${last.chat.id}:${last.message_id}` : null };
    },
  };
}

/** Buttons as one row; list rows one button per row (Telegram has no list message). */
export function keyboardOf(message: OutboundMessage): InlineKeyboardMarkup | undefined {
  const rows = [
    ...(message.buttons?.length
      ? [message.buttons.map((b) => ({ text: b.title, callback_data: b.id }))]
      : []),
    ...(message.list?.rows.map((row) => [{ text: row.title, callback_data: row.id }]) ?? []),
  ];
  return rows.length > 0 ? { inline_keyboard: rows } : undefined;
}
