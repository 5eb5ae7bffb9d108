import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ParleyError } from '../../../src/domain/errors.js';
import {
  DEFAULT_ALLOWED_MIME_TYPES,
  createFileAttachmentStorage,
  normaliseMimeType,
} from '../../../src/storage/file-attachment-storage.js';

const bytes = (...parts: Array<number[] | string | Buffer>): Buffer =>
  Buffer.concat(
    parts.map((p) =>
      Buffer.isBuffer(p) ? p : typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p),
    ),
  );

const sample = {
  jpeg: bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF-ish body'),
  png: bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'IHDR body'),
  gif: bytes('GIF89a', [1, 0, 1, 0]),
  webp: bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 body'),
  heic: bytes([0, 0, 0, 0x18], 'ftypheic', [0, 0, 0, 0], 'mif1heic', 'body'),
  heicByCompatibleBrand: bytes([0, 0, 0, 0x18], 'ftypXXXX', [0, 0, 0, 0], 'abcdmif1', 'body'),
  pdf: bytes('%PDF-1.7\n%body'),
  docx: bytes([0x50, 0x4b, 0x03, 0x04], 'zip body'),
  doc: bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 'ole body'),
  rtf: bytes('{\\rtf1\\ansi hello}'),
  ogg: bytes('OggS', [0, 2], 'opus'),
  text: bytes('hello, world\n'),
  html: bytes('<html><script>alert(1)</script></html>'),
  elf: bytes([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]),
  exe: bytes('MZ', [0x90, 0, 3, 0]),
};

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

async function refusal(promise: Promise<unknown>): Promise<ParleyError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ParleyError) return error;
    throw error;
  }
  throw new Error('expected a ParleyError');
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'parley-attachments-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const storage = (maxBytes = 1024, allowedMimeTypes?: readonly string[]) =>
  createFileAttachmentStorage({ dir, maxBytes, allowedMimeTypes });

describe('put and read', () => {
  it('stores content under <dir>/<sha[0..2]>/<sha> and reads it back', async () => {
    const s = storage();
    const stored = await s.put(sample.png, 'image/png');
    expect(stored).toEqual({
      sha256: sha(sample.png),
      sizeBytes: sample.png.length,
      mimeType: 'image/png',
    });
    const onDisk = await readFile(path.join(dir, stored.sha256.slice(0, 2), stored.sha256));
    expect(onDisk.equals(sample.png)).toBe(true);
    expect((await s.read(stored.sha256)).equals(sample.png)).toBe(true);
    expect((await s.read(stored.sha256.toUpperCase())).equals(sample.png)).toBe(true);
  });

  it('writes each content once and leaves no temporary files', async () => {
    const s = storage();
    const results = await Promise.all([
      s.put(sample.pdf, 'application/pdf'),
      s.put(sample.pdf, 'application/pdf'),
      s.put(sample.pdf, 'application/pdf'),
    ]);
    expect(new Set(results.map((r) => r.sha256)).size).toBe(1);
    const again = await s.put(sample.pdf, 'application/pdf');
    expect(again).toEqual(results[0]);
    const folder = path.join(dir, again.sha256.slice(0, 2));
    expect(await readdir(folder)).toEqual([again.sha256]);
  });

  it('replaces a damaged (wrong-sized) file under the final name', async () => {
    const s = storage();
    const key = sha(sample.jpeg);
    await mkdir(path.join(dir, key.slice(0, 2)), { recursive: true });
    await writeFile(path.join(dir, key.slice(0, 2), key), sample.jpeg.subarray(0, 3));
    await s.put(sample.jpeg, 'image/jpeg');
    expect((await s.read(key)).equals(sample.jpeg)).toBe(true);
  });

  it('ignores stray temporary files left by a crash', async () => {
    const s = storage();
    const key = sha(sample.gif);
    await mkdir(path.join(dir, key.slice(0, 2)), { recursive: true });
    await writeFile(path.join(dir, key.slice(0, 2), `.${key}.crashed.tmp`), 'GIF');
    await expect(s.read(key)).rejects.toMatchObject({ kind: 'not_found' });
    await s.put(sample.gif, 'image/gif');
    expect((await s.read(key)).equals(sample.gif)).toBe(true);
  });

  it('normalises the declared type', async () => {
    const s = storage();
    expect((await s.put(sample.jpeg, 'Image/JPG; name=a.jpg')).mimeType).toBe('image/jpeg');
    expect((await s.put(sample.ogg, 'audio/ogg; codecs=opus')).mimeType).toBe('audio/ogg');
    expect(normaliseMimeType(' audio/MP3 ')).toBe('audio/mpeg');
    expect(normaliseMimeType('__proto__')).toBe('__proto__');
    expect(normaliseMimeType('constructor; x=1')).toBe('constructor');
  });

  it('accepts every sniffed format whose bytes match', async () => {
    const s = storage();
    const cases: Array<[Buffer, string]> = [
      [sample.jpeg, 'image/jpeg'],
      [sample.png, 'image/png'],
      [sample.gif, 'image/gif'],
      [sample.webp, 'image/webp'],
      [sample.heic, 'image/heic'],
      [sample.heicByCompatibleBrand, 'image/heic'],
      [sample.pdf, 'application/pdf'],
      [bytes('\r\n', sample.pdf), 'application/pdf'],
      [sample.docx, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      [sample.docx, 'application/vnd.oasis.opendocument.spreadsheet'],
      [sample.doc, 'application/msword'],
      [sample.rtf, 'application/msword'],
      [sample.doc, 'application/vnd.ms-excel'],
      [sample.text, 'text/plain'],
      [bytes([0xff, 0xfe, 0x68, 0x00, 0x69, 0x00]), 'text/plain'],
      [bytes('a,b\n1,2\n'), 'text/csv'],
      [sample.ogg, 'audio/ogg'],
      [bytes([0, 0, 0, 0x20], 'ftypisom'), 'video/mp4'],
    ];
    for (const [data, type] of cases) {
      await expect(s.put(data, type), type).resolves.toMatchObject({ mimeType: type });
    }
  });
});

describe('refusals', () => {
  it('refuses an empty file as invalid', async () => {
    const error = await refusal(storage().put(Buffer.alloc(0), 'text/plain'));
    expect(error.kind).toBe('invalid');
    expect(error.details).toMatchObject({ reason: 'attachment_empty' });
  });

  it('refuses content over maxBytes, and accepts exactly maxBytes', async () => {
    const s = storage(16);
    const error = await refusal(s.put(Buffer.alloc(17, 'a'), 'text/plain'));
    expect(error).toMatchObject({ kind: 'unprocessable', code: 'attachment_too_large' });
    expect(error.details).toEqual({ sizeBytes: 17, maxBytes: 16 });
    await expect(s.put(Buffer.alloc(16, 'a'), 'text/plain')).resolves.toMatchObject({
      sizeBytes: 16,
    });
  });

  it('refuses types outside the allow-list', async () => {
    const s = storage();
    for (const type of [
      'text/html',
      'image/svg+xml',
      'application/x-msdownload',
      'application/octet-stream',
      '',
    ]) {
      const error = await refusal(s.put(sample.text, type));
      expect(error, type).toMatchObject({
        kind: 'unprocessable',
        code: 'attachment_type_not_allowed',
      });
    }
  });

  it('honours a custom allow-list', async () => {
    const s = storage(1024, ['IMAGE/PNG']);
    expect(s.limits).toEqual({ maxBytes: 1024, allowedMimeTypes: ['image/png'] });
    await expect(s.put(sample.png, 'image/png')).resolves.toBeDefined();
    expect(await refusal(s.put(sample.pdf, 'application/pdf'))).toMatchObject({
      code: 'attachment_type_not_allowed',
    });
  });

  it('refuses spoofed types', async () => {
    const s = storage();
    const cases: Array<[Buffer, string, string | null]> = [
      [sample.jpeg, 'image/png', 'image/jpeg'],
      [sample.html, 'image/jpeg', null],
      [sample.html, 'application/pdf', null],
      [bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt '), 'image/webp', null],
      [sample.pdf, 'image/gif', 'application/pdf'],
      [
        sample.png,
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'image/png',
      ],
      [sample.docx, 'application/msword', 'application/zip'],
      [bytes('GIF8'), 'image/heic', 'image/gif'],
      [bytes([0, 0, 0, 0x14], 'ftypisom', [0, 0, 0, 0], 'mp41'), 'image/heic', null],
      [sample.elf, 'text/plain', 'application/x-executable'],
      [sample.exe, 'audio/mpeg', 'application/x-executable'],
      [sample.elf, 'video/mp4', 'application/x-executable'],
      [bytes('abc', [0], 'def'), 'text/plain', null],
    ];
    for (const [data, type, detected] of cases) {
      const error = await refusal(s.put(data, type));
      expect(error, `${type} ← ${data.subarray(0, 8).toString('hex')}`).toMatchObject({
        kind: 'unprocessable',
        code: 'attachment_type_mismatch',
        details: { declared: type, detected },
      });
    }
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('read', () => {
  it('rejects anything that is not 64 hex characters, without touching the disk', async () => {
    const s = storage();
    for (const key of [
      '',
      'abc',
      '../../etc/passwd',
      `${'a'.repeat(62)}/x`,
      `${'g'.repeat(64)}`,
      `${'a'.repeat(65)}`,
    ]) {
      await expect(s.read(key), key).rejects.toMatchObject({ kind: 'invalid' });
    }
  });

  it('answers not_found for an absent hash', async () => {
    await expect(storage().read('0'.repeat(64))).rejects.toMatchObject({
      kind: 'not_found',
      code: 'not_found',
    });
  });
});

describe('limits', () => {
  it('exposes the defaults', () => {
    const s = storage();
    expect(s.limits.maxBytes).toBe(1024);
    expect(s.limits.allowedMimeTypes).toEqual(DEFAULT_ALLOWED_MIME_TYPES);
    for (const type of [
      'image/jpeg',
      'image/png',
      'image/webp',
      'image/gif',
      'image/heic',
      'application/pdf',
      'audio/ogg',
      'audio/mpeg',
      'audio/mp4',
      'audio/aac',
      'video/mp4',
      'video/3gpp',
      'text/plain',
      'application/msword',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.ms-excel',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ]) {
      expect(s.limits.allowedMimeTypes).toContain(type);
    }
  });

  it('refuses a nonsensical maxBytes', () => {
    expect(() => createFileAttachmentStorage({ dir, maxBytes: 0 })).toThrow(RangeError);
    expect(() => createFileAttachmentStorage({ dir, maxBytes: 1.5 })).toThrow(RangeError);
  });
});
