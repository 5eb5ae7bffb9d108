/**
 * Downloads a Telegram file: `getFile` → `file_path` → GET `<apiRoot>/file/bot<token>/<path>`.
 * Refuses files over `maxBytes` as early as it can tell: from the size Telegram reported,
 * from `getFile`, from `Content-Length`, or while reading (the stream is cancelled).
 */
import { posix } from 'node:path';
import type { InboundMedia, MediaFetcher } from '../../src/ports/channel.js';
import {
  createTelegramApi,
  DEFAULT_TELEGRAM_DOWNLOAD_TIMEOUT_MS,
  trimSlash,
  type TelegramConnection,
} from './api.js';
import { downloadError, toChannelApiError, tooLargeError } from './errors.js';

const MIME_BY_EXTENSION: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  opus: 'audio/ogg',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  wav: 'audio/wav',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
  tgs: 'application/x-tgsticker',
  txt: 'text/plain',
  csv: 'text/csv',
  zip: 'application/zip',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export function guessMimeType(filePath: string): string | undefined {
  const ext = posix.extname(filePath).slice(1).toLowerCase();
  return Object.hasOwn(MIME_BY_EXTENSION, ext) ? MIME_BY_EXTENSION[ext] : undefined;
}

export function createTelegramMediaFetcher(connection: TelegramConnection): MediaFetcher {
  const api = createTelegramApi(connection);
  const fetchFn = connection.fetch ?? globalThis.fetch;
  const fileRoot = `${trimSlash(connection.apiRoot)}/file/bot${connection.token}`;

  return {
    async fetch(media: InboundMedia, maxBytes: number) {
      if (media.sizeBytes !== undefined && media.sizeBytes > maxBytes) {
        throw tooLargeError(media.sizeBytes, maxBytes);
      }
      let file;
      try {
        file = await api.getFile(media.platformFileId);
      } catch (err) {
        throw toChannelApiError(err, 'getFile');
      }
      if (file.file_size !== undefined && file.file_size > maxBytes) {
        throw tooLargeError(file.file_size, maxBytes);
      }
      if (!file.file_path) {
        throw toChannelApiError(new Error('getFile returned no file_path'), 'getFile');
      }
      const data = await download(
        fetchFn,
        `${fileRoot}/${file.file_path}`,
        maxBytes,
        connection.downloadTimeoutMs ?? DEFAULT_TELEGRAM_DOWNLOAD_TIMEOUT_MS,
      );
      return {
        data,
        mimeType: media.mimeType ?? guessMimeType(file.file_path) ?? 'application/octet-stream',
        fileName: media.fileName ?? posix.basename(file.file_path),
      };
    },
  };
}

async function download(
  fetchFn: typeof globalThis.fetch,
  url: string,
  maxBytes: number,
  timeoutMs: number,
): Promise<Buffer> {
  let response: Response;
  try {
    // The signal also bounds reading the body: a download that stalls halfway fails too.
    response = await fetchFn(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    // The URL holds the token: report the failure without it.
    const reason = err instanceof Error ? err.name : 'error';
    throw toChannelApiError(new Error(`network failure (${reason})`), 'downloadFile');
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw downloadError(response.status, response.headers.get('retry-after'));
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw tooLargeError(declared, maxBytes);
  }
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let next: Awaited<ReturnType<typeof reader.read>>;
    try {
      next = await reader.read();
    } catch (err) {
      const reason = err instanceof Error ? err.name : 'error';
      throw toChannelApiError(new Error(`download interrupted (${reason})`), 'downloadFile');
    }
    const { done, value } = next;
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLargeError(undefined, maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}
