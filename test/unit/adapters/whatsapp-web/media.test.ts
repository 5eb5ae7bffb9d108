import { describe, expect, it } from 'vitest';
import type { InboundMedia } from '../../../../src/ports/channel.js';
import {
  base64DecodedLength,
  createWhatsAppWebMediaFetcher,
} from '../../../../adapters/whatsapp-web/media.js';
import { waMessage } from './fake-client.js';

const voiceBytes = Buffer.from('OggS voice note bytes');

function voice(id: string, downloads: { count: number }) {
  return waMessage({
    id: { _serialized: id },
    type: 'ptt',
    hasMedia: true,
    downloadMedia: async () => {
      downloads.count++;
      return { mimetype: 'audio/ogg; codecs=opus', data: voiceBytes.toString('base64') };
    },
  });
}

const ref = (id: string): InboundMedia => ({ kind: 'voice', platformFileId: id });

describe('createWhatsAppWebMediaFetcher', () => {
  it('downloads through the remembered message', async () => {
    const downloads = { count: 0 };
    const fetcher = createWhatsAppWebMediaFetcher();
    fetcher.remember(voice('m1', downloads));
    const file = await fetcher.fetch(ref('m1'), 1024);
    expect(file).toEqual({ data: voiceBytes, mimeType: 'audio/ogg' });
    expect(downloads.count).toBe(1);
  });

  it('refuses media over maxBytes as permanent too_large', async () => {
    const fetcher = createWhatsAppWebMediaFetcher();
    fetcher.remember(voice('m1', { count: 0 }));
    await expect(fetcher.fetch(ref('m1'), voiceBytes.length - 1)).rejects.toMatchObject({
      details: { code: 'too_large', permanent: true },
    });
    await expect(fetcher.fetch(ref('m1'), voiceBytes.length)).resolves.toBeDefined();
  });

  it('refuses on the declared file size too', async () => {
    const fetcher = createWhatsAppWebMediaFetcher();
    fetcher.remember(
      waMessage({
        id: { _serialized: 'big' },
        downloadMedia: async () => ({ mimetype: 'video/mp4', data: 'AAAA', filesize: 5_000_000 }),
      }),
    );
    await expect(fetcher.fetch(ref('big'), 1_000_000)).rejects.toMatchObject({
      details: { code: 'too_large' },
    });
  });

  it('answers media_expired for unknown ids and media WhatsApp no longer has', async () => {
    const fetcher = createWhatsAppWebMediaFetcher();
    await expect(fetcher.fetch(ref('gone'), 1024)).rejects.toMatchObject({
      details: { code: 'media_expired', permanent: true },
    });
    fetcher.remember(
      waMessage({ id: { _serialized: 'old' }, downloadMedia: async () => undefined }),
    );
    await expect(fetcher.fetch(ref('old'), 1024)).rejects.toMatchObject({
      details: { code: 'media_expired', permanent: true },
    });
  });

  it('treats a failing download as retryable', async () => {
    const fetcher = createWhatsAppWebMediaFetcher();
    fetcher.remember(
      waMessage({
        id: { _serialized: 'x' },
        downloadMedia: async () => {
          throw new Error('Execution context was destroyed');
        },
      }),
    );
    await expect(fetcher.fetch(ref('x'), 1024)).rejects.toMatchObject({
      details: { code: 'download_failed', permanent: false },
    });
  });

  it('keeps only the most recently used messages', async () => {
    const fetcher = createWhatsAppWebMediaFetcher({ capacity: 2 });
    fetcher.remember(voice('a', { count: 0 }));
    fetcher.remember(voice('b', { count: 0 }));
    await fetcher.fetch(ref('a'), 1024); // a is now the most recent
    fetcher.remember(voice('c', { count: 0 }));
    expect(fetcher.size).toBe(2);
    await expect(fetcher.fetch(ref('b'), 1024)).rejects.toMatchObject({
      details: { code: 'media_expired' },
    });
    await expect(fetcher.fetch(ref('a'), 1024)).resolves.toBeDefined();
  });

  it('computes the decoded length of base64', () => {
    for (const n of [0, 1, 2, 3, 4, 100]) {
      expect(base64DecodedLength(Buffer.alloc(n).toString('base64'))).toBe(n);
    }
  });
});
