import { describe, expect, it } from 'vitest';
import { newSession, request, setup } from './support.js';

const PNG = Buffer.concat([
  Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
  Buffer.alloc(32),
]);

function withUploads(maxUploadBytes = 1024) {
  const stored: { session: string; size: number; mime: string }[] = [];
  const ctx = setup({
    maxUploadBytes,
    onUpload: async (session, bytes, mime) => {
      stored.push({ session, size: bytes.length, mime });
      return `up-${stored.length}`;
    },
  });
  return { ...ctx, stored };
}

describe('POST /chat/api/upload', () => {
  it('stores an image and turns the next message into a photo event', async () => {
    const { channel, events, stored } = withUploads();
    const { session, token } = await newSession(channel);
    const up = await channel.upload!(
      request('POST', { token, raw: PNG, headers: { 'content-type': 'image/png' } }),
    );
    expect(up.status).toBe(201);
    expect(stored).toEqual([{ session, size: PNG.length, mime: 'image/png' }]);
    const { upload } = up.body as { upload: string };
    const res = await channel.postMessage(
      request('POST', { token, body: { client_message_id: 'p1', upload, receipt: 'r' } }),
    );
    expect(res.status).toBe(202);
    expect(events[0]).toMatchObject({
      kind: 'media',
      media: [
        { kind: 'photo', platformFileId: 'up-1', mimeType: 'image/png', sizeBytes: PNG.length },
      ],
      receiptToken: 'r',
    });
    expect(events[0]!.text).toBeUndefined();
  });

  it("refuses another session's upload token", async () => {
    const { channel, events } = withUploads();
    const a = await newSession(channel);
    const b = await newSession(channel);
    const up = await channel.upload!(
      request('POST', { token: a.token, raw: PNG, headers: { 'content-type': 'image/png' } }),
    );
    const { upload } = up.body as { upload: string };
    const res = await channel.postMessage(
      request('POST', { token: b.token, body: { client_message_id: 'p2', upload } }),
    );
    expect(res.status).toBe(400);
    const forged = `${upload.split('.')[0]}.${'A'.repeat(43)}`;
    const res2 = await channel.postMessage(
      request('POST', { token: a.token, body: { client_message_id: 'p3', upload: forged } }),
    );
    expect(res2.status).toBe(400);
    expect(events).toEqual([]);
  });

  it('checks token, type, size and content', async () => {
    const { channel, stored } = withUploads(60);
    const { token } = await newSession(channel);
    const post = (raw: Buffer, type: string, t = token) =>
      channel.upload!(
        request('POST', { ...(t ? { token: t } : {}), raw, headers: { 'content-type': type } }),
      );
    expect((await post(PNG, 'image/png', '')).status).toBe(401);
    expect((await post(Buffer.from('<svg/>'), 'image/svg+xml')).status).toBe(415);
    for (const type of ['constructor', '__proto__', 'toString']) {
      expect((await post(PNG, type)).status, type).toBe(415);
    }
    expect((await post(Buffer.concat([PNG, PNG]), 'image/png')).status).toBe(413);
    expect((await post(PNG, 'image/jpeg')).status).toBe(400);
    expect(stored).toEqual([]);
  });

  it('is off without onUpload, and answers 500 when storing fails', async () => {
    expect(setup().channel.upload).toBeUndefined();
    const { channel } = setup({
      onUpload: async () => {
        throw new Error('disk full');
      },
    });
    const { token } = await newSession(channel);
    const res = await channel.upload!(
      request('POST', {
        token,
        raw: PNG,
        headers: { 'content-type': 'image/png; charset=binary' },
      }),
    );
    expect(res.status).toBe(500);
  });
});
