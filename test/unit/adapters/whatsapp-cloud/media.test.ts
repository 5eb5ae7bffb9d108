import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGraphClient } from '../../../../adapters/whatsapp-cloud/graph-client.js';
import {
  createWhatsAppMediaFetcher,
  DEFAULT_MEDIA_HOSTS,
  isAllowedMediaUrl,
  parseMediaInfo,
} from '../../../../adapters/whatsapp-cloud/media.js';
import { ChannelApiError, type InboundMedia } from '../../../../src/ports/channel.js';
import { startFakeGraph, type FakeGraph } from '../../../fakes/graph-api.js';
import { fixtureJson } from './fixtures.js';

const TOKEN = 'fake-token';
const photo: InboundMedia = {
  kind: 'photo',
  platformFileId: '1000000000000102',
  mimeType: 'image/jpeg',
};
const BYTES = Buffer.from('0123456789'.repeat(100)); // 1000 bytes

let graph: FakeGraph;
beforeEach(async () => {
  graph = await startFakeGraph({ token: TOKEN });
});
afterEach(async () => {
  await graph.close();
});

const fetcher = () =>
  createWhatsAppMediaFetcher({
    client: createGraphClient({ baseUrl: graph.baseUrl, token: TOKEN }),
  });
const downloads = () => graph.requests.filter((r) => r.route === 'media-download');

async function failure(p: Promise<unknown>): Promise<ChannelApiError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ChannelApiError);
  return err as ChannelApiError;
}

describe('WhatsApp media fetcher', () => {
  it('looks the media up, then downloads it with the bearer token', async () => {
    graph.setMedia(photo.platformFileId, { bytes: BYTES, mimeType: 'image/jpeg' });
    const got = await fetcher().fetch({ ...photo, fileName: 'p.jpg' }, 5000);
    expect(got).toEqual({ data: BYTES, mimeType: 'image/jpeg', fileName: 'p.jpg' });
    expect(graph.requests.map((r) => [r.route, r.headers.authorization])).toEqual([
      ['media-info', `Bearer ${TOKEN}`],
      ['media-download', `Bearer ${TOKEN}`],
    ]);
  });

  it('refuses a file whose reported size is over the limit before downloading', async () => {
    graph.setMedia(photo.platformFileId, {
      bytes: BYTES,
      mimeType: 'image/jpeg',
      fileSize: '84213',
    });
    const err = await failure(fetcher().fetch(photo, 10_000));
    expect(err.details).toMatchObject({ code: 'too_large', permanent: true });
    expect(downloads()).toHaveLength(0);
  });

  it('also reads a numeric file_size', async () => {
    graph.setMedia(photo.platformFileId, { bytes: BYTES, mimeType: 'image/jpeg', fileSize: 84213 });
    const err = await failure(fetcher().fetch(photo, 10_000));
    expect(err.details.code).toBe('too_large');
    expect(downloads()).toHaveLength(0);
  });

  it('stops reading past maxBytes when the size was under-reported', async () => {
    graph.setMedia(photo.platformFileId, {
      bytes: BYTES,
      mimeType: 'image/jpeg',
      fileSize: '10',
      omitLength: true,
    });
    const err = await failure(fetcher().fetch(photo, 600));
    expect(err.details).toMatchObject({ code: 'too_large', permanent: true });
  });

  it('refuses a Content-Length over the limit', async () => {
    graph.setMedia(photo.platformFileId, { bytes: BYTES, mimeType: 'image/jpeg', fileSize: '10' });
    const err = await failure(fetcher().fetch(photo, 600));
    expect(err.details.code).toBe('too_large');
  });

  it('refuses to download from a foreign host', async () => {
    graph.setMedia(photo.platformFileId, {
      bytes: BYTES,
      mimeType: 'image/jpeg',
      url: 'https://attacker.example.test/steal?mid=1',
    });
    const err = await failure(fetcher().fetch(photo, 5000));
    expect(err.details).toMatchObject({ code: 'media_host_not_allowed', permanent: true });
    expect(downloads()).toHaveLength(0);
  });

  it('checks every redirect hop against the allowed hosts', async () => {
    graph.setMedia(photo.platformFileId, { bytes: BYTES, mimeType: 'image/jpeg' });
    graph.script('media-download', [
      {
        status: 302,
        headers: { location: `${graph.origin}/media-download/${photo.platformFileId}` },
      },
      { status: 302, headers: { location: 'https://attacker.example.test/x' } },
    ]);
    const err = await failure(fetcher().fetch(photo, 5000));
    expect(err.details).toMatchObject({ code: 'media_host_not_allowed', permanent: true });
    expect(downloads()).toHaveLength(2);
    graph.script('media-download', [
      {
        status: 302,
        headers: { location: `${graph.origin}/media-download/${photo.platformFileId}` },
      },
    ]);
    expect((await fetcher().fetch(photo, 5000)).data).toEqual(BYTES);
  });

  it('surfaces an unknown media id as a permanent Graph error', async () => {
    const err = await failure(fetcher().fetch({ ...photo, platformFileId: 'nope' }, 5000));
    expect(err.details).toMatchObject({ code: 100, permanent: true });
  });
});

describe('media helpers', () => {
  it('parses media_url_response.json', () => {
    expect(parseMediaInfo(fixtureJson('media_url_response.json'))).toEqual({
      url: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1000000000000102&ext=1767261600&hash=FAKEHASHFORTESTS0001',
      mimeType: 'image/jpeg',
      fileSize: 84213,
      sha256: '9f2c4e6a8b0d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a',
    });
    expect(parseMediaInfo({ id: 'x' })).toBeUndefined();
  });

  it.each([
    ['https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1', true],
    ['https://mmg.whatsapp.net/v/t62/1', true],
    ['https://scontent.xx.fbcdn.net/v/1', true],
    ['http://lookaside.fbsbx.com/x', false],
    ['https://lookaside.fbsbx.com.evil.test/x', false],
    ['https://evilwhatsapp.net/x', false],
    ['https://user:pw@lookaside.fbsbx.com/x', false],
    ['http://127.0.0.1:4000/media-download/1', true],
    ['http://127.0.0.1:4001/media-download/1', false],
  ])('%s allowed: %s', (url, allowed) => {
    expect(
      isAllowedMediaUrl(new URL(url), DEFAULT_MEDIA_HOSTS, new URL('http://127.0.0.1:4000/v21.0')),
    ).toBe(allowed);
  });
});
