import { describe, expect, it, vi } from 'vitest';
import type { InboundEvent } from '../../../../src/ports/channel.js';
import type { Logger } from '../../../../src/ports/logger.js';
import { createWhatsAppWebChannel } from '../../../../adapters/whatsapp-web/index.js';
import type { WhatsAppWebChannelOptions } from '../../../../adapters/whatsapp-web/index.js';
import { FakeWhatsAppWebClient, waMessage } from './fake-client.js';

// Loading the adapter must never load whatsapp-web.js (and with it puppeteer).
const library = vi.hoisted(() => ({ loaded: false }));
vi.mock('whatsapp-web.js', () => {
  library.loaded = true;
  return { default: {} };
});

function recordingLogger() {
  const lines: { level: string; obj: unknown; msg?: string }[] = [];
  const logger: Logger = {
    debug: (obj, msg) => void lines.push({ level: 'debug', obj, msg }),
    info: (obj, msg) => void lines.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => void lines.push({ level: 'warn', obj, msg }),
    error: (obj, msg) => void lines.push({ level: 'error', obj, msg }),
    child: () => logger,
  };
  return { logger, lines };
}

function setup(overrides: Partial<WhatsAppWebChannelOptions> = {}) {
  const client = new FakeWhatsAppWebClient();
  const { logger, lines } = recordingLogger();
  const events: InboundEvent[] = [];
  const sleeps: number[] = [];
  const channel = createWhatsAppWebChannel({
    client,
    logger,
    onEvent: async (event) => void events.push(event),
    readFile: async () => Buffer.from('file'),
    createMedia: (mimetype, data, filename) => ({ mimetype, data, filename }),
    sleep: async (ms) => void sleeps.push(ms),
    now: () => new Date('2026-01-01T00:00:00Z'),
    qrPagePath: '/admin/whatsapp-web',
    ...overrides,
  });
  return { client, channel, events, lines, sleeps };
}

describe('createWhatsAppWebChannel', () => {
  it('starts the client, shows the QR in status and the log, then becomes ready', async () => {
    const { client, channel, lines } = setup();
    expect(channel.status().state).toBe('starting');
    await channel.start();
    expect(client.initialized).toBe(1);

    client.emit('qr', '2@abc,def==');
    expect(channel.status()).toMatchObject({ state: 'qr', qr: '2@abc,def==' });
    const qrLine = lines.find((l) => l.msg?.includes('/admin/whatsapp-web'));
    expect(qrLine?.obj).toEqual({ qr: '2@abc,def==' });

    client.emit('authenticated');
    client.emit('ready');
    expect(channel.status()).toMatchObject({ state: 'ready', qr: null, detail: null });
  });

  it('records auth failures and disconnects', () => {
    const { client, channel } = setup();
    client.emit('auth_failure', 'session corrupt');
    expect(channel.status()).toMatchObject({ state: 'auth_failure', detail: 'session corrupt' });
    client.emit('disconnected', 'LOGOUT');
    expect(channel.status()).toMatchObject({ state: 'disconnected', detail: 'LOGOUT' });
  });

  it('fails start when the browser cannot start, with the reason in status', async () => {
    const { client, channel } = setup();
    client.initialize = async () => {
      throw new Error('Browser was not found');
    };
    await expect(channel.start()).rejects.toThrow('Browser was not found');
    expect(channel.status()).toMatchObject({
      state: 'disconnected',
      detail: 'Browser was not found',
    });
  });

  it('hands an incoming message to onEvent and skips ignored ones', async () => {
    const { client, channel, events } = setup();
    client.emit('message', waMessage({ body: 'hi' }));
    client.emit('message', waMessage({ from: '120363000000000000@g.us' }));
    await channel.idle();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'text', text: 'hi', chatId: '919900000001@c.us' });
  });

  it('retries a failing onEvent with backoff and delivers once', async () => {
    let calls = 0;
    const delivered: InboundEvent[] = [];
    const { client, channel, sleeps, lines } = setup({
      onEvent: async (event) => {
        calls++;
        if (calls <= 2) throw new Error('db down');
        delivered.push(event);
      },
    });
    client.emit('message', waMessage());
    await channel.idle();
    expect(calls).toBe(3);
    expect(delivered).toHaveLength(1);
    expect(sleeps).toEqual([500, 1000]);
    expect(lines.filter((l) => l.level === 'warn')).toHaveLength(2);
  });

  it('gives up after the bounded attempts and logs the loss', async () => {
    const { client, channel, lines } = setup({
      retry: { attempts: 3, baseDelayMs: 10 },
      onEvent: async () => {
        throw new Error('always');
      },
    });
    client.emit('message', waMessage());
    await channel.idle();
    const lost = lines.filter((l) => l.level === 'error');
    expect(lost).toHaveLength(1);
    expect(lost[0]?.msg).toContain('lost');
  });

  it('keeps the order of one chat while a message is retried', async () => {
    const seen: string[] = [];
    let failFirst = true;
    const { client, channel } = setup({
      onEvent: async (event) => {
        if (event.text === 'first' && failFirst) {
          failFirst = false;
          throw new Error('transient');
        }
        seen.push(event.text ?? '');
      },
    });
    const a = waMessage({ body: 'first', id: { _serialized: 'A' } });
    const b = waMessage({ body: 'second', id: { _serialized: 'B' } });
    client.emit('message', a);
    client.emit('message', b);
    await channel.idle();
    expect(seen).toEqual(['first', 'second']);
  });

  it('turns message acks into status events', async () => {
    const { client, channel, events } = setup();
    const ours = waMessage({
      fromMe: true,
      from: '919800000000@c.us',
      to: '919900000001@c.us',
      id: { _serialized: 'true_919900000001@c.us_OUT1' },
    });
    client.emit('message_ack', ours, 2);
    client.emit('message_ack', ours, 3);
    client.emit('message_ack', ours, 0);
    await channel.idle();
    expect(events.map((e) => [e.kind, e.status?.status, e.status?.messageExternalId])).toEqual([
      ['status', 'delivered', 'true_919900000001@c.us_OUT1'],
      ['status', 'read', 'true_919900000001@c.us_OUT1'],
    ]);
  });

  it('keeps media messages for the fetcher', async () => {
    const { client, channel, events } = setup();
    const photo = waMessage({
      type: 'image',
      hasMedia: true,
      body: '',
      downloadMedia: async () => ({
        mimetype: 'image/jpeg',
        data: Buffer.from('jpg').toString('base64'),
      }),
    });
    client.emit('message', photo);
    await channel.idle();
    const media = events[0]?.media?.[0];
    expect(media).toBeDefined();
    const file = await channel.media.fetch(media!, 1000);
    expect(file).toEqual({ data: Buffer.from('jpg'), mimeType: 'image/jpeg' });
  });

  it('sends only when ready, and stop closes the session', async () => {
    const { client, channel } = setup();
    await expect(
      channel.sender.send({ channel: 'whatsapp', chatId: '919900000001@c.us', text: 'hi' }),
    ).rejects.toMatchObject({ details: { permanent: false, code: 'not_connected' } });
    client.emit('ready');
    const receipt = await channel.sender.send({
      channel: 'whatsapp',
      chatId: '919900000001@c.us',
      text: 'hi',
    });
    expect(receipt.externalId).toBe('true_919900000001@c.us_OUT1');
    await channel.stop();
    expect(client.destroyed).toBe(1);
    expect(channel.status().state).toBe('disconnected');
  });

  it('never loaded the real library', () => {
    expect(library.loaded).toBe(false);
  });
});
