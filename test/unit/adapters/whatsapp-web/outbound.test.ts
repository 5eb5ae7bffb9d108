import { describe, expect, it } from 'vitest';
import { ChannelApiError } from '../../../../src/ports/channel.js';
import type { OutboundMessage } from '../../../../src/ports/channel.js';
import { createWhatsAppWebSender, renderText } from '../../../../adapters/whatsapp-web/outbound.js';
import { FakeWhatsAppWebClient } from './fake-client.js';

const chatId = '919900000001@c.us';

function setup(ready = true) {
  const client = new FakeWhatsAppWebClient();
  const reads: string[] = [];
  const media: unknown[] = [];
  const sender = createWhatsAppWebSender({
    client,
    readFile: async (sha256) => {
      reads.push(sha256);
      return Buffer.from('%PDF-1.7');
    },
    createMedia: (mimetype, data, filename) => {
      const made = { mimetype, data, filename, fake: true };
      media.push(made);
      return made;
    },
    isReady: () => ready,
  });
  return { client, sender, reads, media };
}

const msg = (m: Partial<OutboundMessage>): OutboundMessage => ({
  channel: 'whatsapp',
  chatId,
  ...m,
});

describe('createWhatsAppWebSender', () => {
  it('sends text and returns the sent message id', async () => {
    const { client, sender } = setup();
    const receipt = await sender.send(msg({ text: 'Hello!' }));
    expect(client.sent).toEqual([{ chatId, content: 'Hello!' }]);
    expect(receipt).toEqual({ externalId: `true_${chatId}_OUT1` });
  });

  it('renders buttons as numbered lines', async () => {
    const { client, sender } = setup();
    await sender.send(
      msg({
        text: 'Is your issue solved?',
        buttons: [
          { id: 'yes', title: 'Yes' },
          { id: 'no', title: 'No' },
        ],
      }),
    );
    expect(client.sent[0]?.content).toBe('Is your issue solved?\n\n1. Yes\n2. No');
  });

  it('renders list rows with descriptions', () => {
    const text = renderText(
      msg({
        text: 'Pick a category',
        list: {
          buttonText: 'Choose',
          rows: [
            { id: 'order', title: 'Order issue', description: 'late or missing' },
            { id: 'billing', title: 'Billing' },
          ],
        },
      }),
    );
    expect(text).toBe('Pick a category\n\n1. Order issue – late or missing\n2. Billing');
  });

  it('sends media through createMedia with its caption', async () => {
    const { client, sender, reads, media } = setup();
    await sender.send(
      msg({
        media: {
          kind: 'document',
          sha256: 'abc123',
          mimeType: 'application/pdf',
          fileName: 'invoice.pdf',
          caption: 'Your invoice',
        },
      }),
    );
    expect(reads).toEqual(['abc123']);
    expect(media).toEqual([
      {
        mimetype: 'application/pdf',
        data: Buffer.from('%PDF-1.7').toString('base64'),
        filename: 'invoice.pdf',
        fake: true,
      },
    ]);
    expect(client.sent).toEqual([
      {
        chatId,
        content: media[0],
        options: { caption: 'Your invoice', sendMediaAsDocument: true },
      },
    ]);
  });

  it('sends the text after media that has a caption of its own', async () => {
    const { client, sender } = setup();
    const receipt = await sender.send(
      msg({
        text: 'Anything else?',
        media: {
          kind: 'photo',
          sha256: 'p',
          mimeType: 'image/png',
          fileName: 'a.png',
          caption: 'c',
        },
      }),
    );
    expect(client.sent.map((s) => s.options?.caption ?? s.content)).toEqual([
      'c',
      'Anything else?',
    ]);
    expect(receipt.externalId).toBe(`true_${chatId}_OUT1`);
  });

  it('fails retryably while not connected', async () => {
    const { client, sender } = setup(false);
    const error = await sender.send(msg({ text: 'hi' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelApiError);
    expect((error as ChannelApiError).message).toBe('whatsapp web not connected');
    expect((error as ChannelApiError).details).toMatchObject({
      code: 'not_connected',
      permanent: false,
    });
    expect(client.sent).toEqual([]);
  });

  it('wraps library failures; an invalid chat id is permanent', async () => {
    const { client, sender } = setup();
    client.failSend = new Error('Evaluation failed: Session closed');
    await expect(sender.send(msg({ text: 'hi' }))).rejects.toMatchObject({
      details: { method: 'sendMessage', permanent: false },
    });
    client.failSend = new Error('wid error: invalid wid');
    await expect(sender.send(msg({ text: 'hi' }))).rejects.toMatchObject({
      details: { permanent: true },
    });
  });

  it('refuses templates and empty messages permanently', async () => {
    const { sender } = setup();
    await expect(
      sender.send(msg({ template: { name: 'x', language: 'en', bodyParams: [] } })),
    ).rejects.toMatchObject({ details: { code: 'template_unsupported', permanent: true } });
    await expect(sender.send(msg({}))).rejects.toMatchObject({
      details: { code: 'empty_message', permanent: true },
    });
  });
});
