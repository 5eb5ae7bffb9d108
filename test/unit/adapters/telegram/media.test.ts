import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramMediaFetcher, guessMimeType } from '../../../../adapters/telegram/media.js';
import { ChannelApiError, type MediaFetcher } from '../../../../src/ports/channel.js';
import { type FakeTelegram, startFakeTelegram } from '../../../fakes/telegram-api.js';

const TOKEN = '7000000001:TEST_TOKEN';
const BYTES = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) % 256));

let fake: FakeTelegram;
let media: MediaFetcher;

beforeEach(async () => {
  fake = await startFakeTelegram({ token: TOKEN });
  media = createTelegramMediaFetcher({ token: TOKEN, apiRoot: fake.apiRoot });
});
afterEach(() => fake.close());

async function refusal(promise: Promise<unknown>): Promise<ChannelApiError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ChannelApiError);
  return err as ChannelApiError;
}

describe('telegram media fetcher', () => {
  it('downloads the bytes through getFile and the file path', async () => {
    fake.setFile('photo-1', { path: 'photos/file_12.jpg', bytes: BYTES });
    const result = await media.fetch({ kind: 'photo', platformFileId: 'photo-1' }, 10_000);
    expect(result.data.equals(BYTES)).toBe(true);
    expect(result).toMatchObject({ mimeType: 'image/jpeg', fileName: 'file_12.jpg' });
    expect(fake.calls('getFile')[0]?.body).toMatchObject({ file_id: 'photo-1' });
    expect(fake.downloads).toEqual([{ path: 'photos/file_12.jpg', completed: true }]);
  });

  it("prefers the media's own mime type and file name", async () => {
    fake.setFile('doc-1', { path: 'documents/file_3', bytes: BYTES });
    const result = await media.fetch(
      {
        kind: 'document',
        platformFileId: 'doc-1',
        mimeType: 'application/pdf',
        fileName: 'invoice-1042.pdf',
      },
      10_000,
    );
    expect(result).toMatchObject({ mimeType: 'application/pdf', fileName: 'invoice-1042.pdf' });
  });

  it('refuses before any call when the inbound size is over the limit', async () => {
    const err = await refusal(
      media.fetch({ kind: 'photo', platformFileId: 'x', sizeBytes: 20_000 }, 10_000),
    );
    expect(err.details).toMatchObject({ code: 'too_large', permanent: true });
    expect(fake.requests).toEqual([]);
  });

  it('refuses without downloading when getFile reports a size over the limit', async () => {
    fake.setFile('big', { path: 'documents/big.pdf', bytes: BYTES });
    const err = await refusal(media.fetch({ kind: 'document', platformFileId: 'big' }, 4999));
    expect(err.details.code).toBe('too_large');
    expect(fake.downloads).toEqual([]);
  });

  it('refuses on Content-Length when getFile gave no size', async () => {
    fake.setFile('big', { path: 'videos/big.mp4', bytes: BYTES, reportSize: false });
    const err = await refusal(media.fetch({ kind: 'video', platformFileId: 'big' }, 4999));
    expect(err.details.code).toBe('too_large');
  });

  it('stops reading a stream without a size once it passes the limit', async () => {
    const huge = Buffer.alloc(16 * 1024 * 1024, 1);
    fake.setFile('huge', {
      path: 'videos/huge.mp4',
      bytes: huge,
      reportSize: false,
      chunked: true,
    });
    const err = await refusal(media.fetch({ kind: 'video', platformFileId: 'huge' }, 100_000));
    expect(err.details.code).toBe('too_large');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.downloads).toEqual([{ path: 'videos/huge.mp4', completed: false }]);
  });

  it('reports an unknown file id as a permanent API error', async () => {
    const err = await refusal(media.fetch({ kind: 'photo', platformFileId: 'nope' }, 10_000));
    expect(err.details).toMatchObject({ method: 'getFile', status: 400, permanent: true });
  });

  it('guesses mime types from the file path', () => {
    expect(guessMimeType('voice/file_1.oga')).toBe('audio/ogg');
    expect(guessMimeType('documents/x.PDF')).toBe('application/pdf');
    expect(guessMimeType('videos/x.mp4')).toBe('video/mp4');
    expect(guessMimeType('photos/x.png')).toBe('image/png');
    expect(guessMimeType('documents/x.constructor')).toBeUndefined();
    expect(guessMimeType('documents/x.__proto__')).toBeUndefined();
    expect(guessMimeType('documents/noext')).toBeUndefined();
  });
});
