import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTelegramSender } from '../../../../adapters/telegram/outbound.js';
import { ChannelApiError, type ChannelSender } from '../../../../src/ports/channel.js';
import {
  apiError,
  type FakeTelegram,
  type FakeUpload,
  startFakeTelegram,
  tooManyRequests,
} from '../../../fakes/telegram-api.js';
import { recordingLogger } from './support.js';

const TOKEN = '7000000001:TEST_TOKEN';
const CHAT = '100000001';
const PHOTO = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 251));

let fake: FakeTelegram;
let sender: ChannelSender;
let readFile: ReturnType<typeof vi.fn<(sha256: string) => Promise<Buffer>>>;
let log: ReturnType<typeof recordingLogger>;

beforeEach(async () => {
  fake = await startFakeTelegram({ token: TOKEN });
  readFile = vi.fn(async () => PHOTO);
  log = recordingLogger();
  sender = createTelegramSender({
    token: TOKEN,
    apiRoot: fake.apiRoot,
    readFile,
    logger: log.logger,
  });
});
afterEach(() => fake.close());

async function sendError(promise: Promise<unknown>): Promise<ChannelApiError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ChannelApiError);
  return err as ChannelApiError;
}

describe('telegram sender', () => {
  it('sends text with buttons as one inline-keyboard row', async () => {
    const receipt = await sender.send({
      channel: 'telegram',
      chatId: CHAT,
      text: 'Did this solve your issue?',
      buttons: [
        { id: 'csat:1042:yes', title: 'Yes, resolved' },
        { id: 'csat:1042:no', title: 'No, reopen' },
      ],
    });
    const [call] = fake.calls('sendMessage');
    expect(call?.body).toMatchObject({ chat_id: CHAT, text: 'Did this solve your issue?' });
    expect(call?.body.reply_markup).toStrictEqual({
      inline_keyboard: [
        [
          { text: 'Yes, resolved', callback_data: 'csat:1042:yes' },
          { text: 'No, reopen', callback_data: 'csat:1042:no' },
        ],
      ],
    });
    expect(receipt).toEqual({ externalId: `${CHAT}:1` });
    await sender.send({ channel: 'telegram', chatId: CHAT, text: 'again' });
    expect(fake.calls('sendMessage')[1]?.body.reply_markup).toBeUndefined();
  });

  it('sends a list as one button per row, using buttonText when there is no text', async () => {
    await sender.send({
      channel: 'telegram',
      chatId: CHAT,
      list: {
        buttonText: 'Pick a category',
        rows: [
          { id: 'cat:order', title: 'Order issue' },
          { id: 'cat:billing', title: 'Billing', description: 'Invoices' },
        ],
      },
    });
    const body = fake.calls('sendMessage')[0]?.body;
    expect(body?.text).toBe('Pick a category');
    expect(body?.reply_markup).toStrictEqual({
      inline_keyboard: [
        [{ text: 'Order issue', callback_data: 'cat:order' }],
        [{ text: 'Billing', callback_data: 'cat:billing' }],
      ],
    });
  });

  it('uploads a photo with its caption; the bytes arrive', async () => {
    const receipt = await sender.send({
      channel: 'telegram',
      chatId: CHAT,
      media: {
        kind: 'photo',
        sha256: 'abc123',
        mimeType: 'image/jpeg',
        fileName: 'label.jpg',
        caption: 'Your return label',
      },
    });
    expect(readFile).toHaveBeenCalledWith('abc123');
    const body = fake.calls('sendPhoto')[0]?.body;
    expect(body).toMatchObject({ chat_id: CHAT, caption: 'Your return label' });
    const upload = body?.photo as FakeUpload;
    expect(upload.fileName).toBe('label.jpg');
    expect(upload.bytes.equals(PHOTO)).toBe(true);
    expect(receipt.externalId).toBe(`${CHAT}:1`);
  });

  it('sends a caption over 1024 characters as a text after the file, buttons on the last message', async () => {
    const caption = 'c'.repeat(1500);
    await sender.send({
      channel: 'telegram',
      chatId: CHAT,
      buttons: [{ id: 'ok', title: 'OK' }],
      media: {
        kind: 'document',
        sha256: 'd',
        mimeType: 'application/pdf',
        fileName: 'inv.pdf',
        caption,
      },
    });
    expect(fake.requests.map((r) => r.method)).toEqual(['sendDocument', 'sendMessage']);
    expect(fake.calls('sendDocument')[0]?.body.caption).toBeUndefined();
    expect(fake.calls('sendDocument')[0]?.body.reply_markup).toBeUndefined();
    expect(fake.calls('sendMessage')[0]?.body).toMatchObject({
      text: caption,
      reply_markup: { inline_keyboard: [[{ text: 'OK', callback_data: 'ok' }]] },
    });
  });

  it('sends a non-OGG voice note as audio', async () => {
    await sender.send({
      channel: 'telegram',
      chatId: CHAT,
      media: { kind: 'voice', sha256: 'v', mimeType: 'audio/mpeg', fileName: 'note.mp3' },
    });
    await sender.send({
      channel: 'telegram',
      chatId: CHAT,
      media: {
        kind: 'voice',
        sha256: 'v',
        mimeType: 'audio/ogg; codecs=opus',
        fileName: 'note.ogg',
      },
    });
    expect(fake.requests.map((r) => r.method)).toEqual(['sendAudio', 'sendVoice']);
  });

  it('answers the callback query, then sends', async () => {
    await sender.send({
      channel: 'telegram',
      chatId: CHAT,
      text: 'Thanks!',
      answerCallbackQueryId: 'cbq-1',
    });
    expect(fake.requests.map((r) => r.method)).toEqual(['answerCallbackQuery', 'sendMessage']);
    expect(fake.calls('answerCallbackQuery')[0]?.body).toMatchObject({
      callback_query_id: 'cbq-1',
    });
  });

  it('logs a failed callback answer and still sends', async () => {
    fake.script('answerCallbackQuery', [
      apiError(
        400,
        'Bad Request: query is too old and response timeout expired or query ID is invalid',
      ),
    ]);
    const receipt = await sender.send({
      channel: 'telegram',
      chatId: CHAT,
      text: 'Thanks!',
      answerCallbackQueryId: 'old',
    });
    expect(receipt.externalId).toBe(`${CHAT}:1`);
    expect(log.entries.some((e) => e.level === 'warn' && /callback/.test(e.msg ?? ''))).toBe(true);
  });

  it('answers a callback alone with no receipt', async () => {
    expect(
      await sender.send({ channel: 'telegram', chatId: CHAT, answerCallbackQueryId: 'cbq-2' }),
    ).toEqual({ externalId: null });
    expect(fake.requests.map((r) => r.method)).toEqual(['answerCallbackQuery']);
  });

  it('splits text over 4096 characters into messages in order, keyboard on the last', async () => {
    const paragraphs = ['A'.repeat(3000), 'B'.repeat(3000), 'C'.repeat(3000)];
    const receipt = await sender.send({
      channel: 'telegram',
      chatId: CHAT,
      text: paragraphs.join('\n'),
      buttons: [{ id: 'x', title: 'X' }],
    });
    const sent = fake.calls('sendMessage');
    expect(sent.map((c) => c.body.text)).toEqual(paragraphs);
    expect(sent.map((c) => c.body.reply_markup === undefined)).toEqual([true, true, false]);
    expect(receipt.externalId).toBe(`${CHAT}:3`);
  });

  it('splits text without break points at exactly 4096 characters', async () => {
    const text = 'x'.repeat(4096 * 2 + 10);
    await sender.send({ channel: 'telegram', chatId: CHAT, text });
    const chunks = fake.calls('sendMessage').map((c) => String(c.body.text));
    expect(chunks.map((c) => c.length)).toEqual([4096, 4096, 10]);
    expect(chunks.join('')).toBe(text);
  });

  it('maps 429 to a retryable ChannelApiError with retryAfterMs', async () => {
    fake.script('sendMessage', [tooManyRequests(7)]);
    const err = await sendError(sender.send({ channel: 'telegram', chatId: CHAT, text: 'hi' }));
    expect(err.details).toMatchObject({
      channel: 'telegram',
      method: 'sendMessage',
      status: 429,
      retryAfterMs: 7000,
      permanent: false,
    });
  });

  it('maps 403 (bot blocked) and 400 (chat not found) to permanent errors', async () => {
    fake.script('sendMessage', [
      apiError(403, 'Forbidden: bot was blocked by the user'),
      apiError(400, 'Bad Request: chat not found'),
    ]);
    const blocked = await sendError(sender.send({ channel: 'telegram', chatId: CHAT, text: 'hi' }));
    expect(blocked.details).toMatchObject({ status: 403, permanent: true });
    expect(blocked.message).toContain('blocked');
    const missing = await sendError(sender.send({ channel: 'telegram', chatId: '42', text: 'hi' }));
    expect(missing.details).toMatchObject({ status: 400, permanent: true });
  });

  it('maps 5xx and network failures to retryable errors', async () => {
    fake.script('sendPhoto', [apiError(502, 'Bad Gateway'), { dropConnection: true }]);
    const media = {
      kind: 'photo' as const,
      sha256: 'p',
      mimeType: 'image/jpeg',
      fileName: 'p.jpg',
    };
    const gateway = await sendError(sender.send({ channel: 'telegram', chatId: CHAT, media }));
    expect(gateway.details).toMatchObject({ status: 502, permanent: false });
    const network = await sendError(sender.send({ channel: 'telegram', chatId: CHAT, media }));
    expect(network.details).toMatchObject({
      method: 'sendPhoto',
      code: 'network',
      permanent: false,
    });
    expect(network.message).not.toContain(TOKEN);
  });

  it('refuses a message with nothing to send', async () => {
    const err = await sendError(
      sender.send({
        channel: 'telegram',
        chatId: CHAT,
        template: { name: 't', language: 'en', bodyParams: [] },
      }),
    );
    expect(err.details).toMatchObject({ code: 'empty_message', permanent: true });
    expect(fake.requests).toEqual([]);
  });
});
