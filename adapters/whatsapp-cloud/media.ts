/**
 * The WhatsApp Cloud `MediaFetcher`: `GET /{media-id}` gives a short-lived URL with the size and
 * type; files over `maxBytes` are refused before any byte is downloaded, and only Meta's media
 * hosts (plus the Graph host itself, so a local fake works) are ever contacted.
 */
import type { InboundMedia, MediaFetcher } from '../../src/ports/channel.js';
import type { GraphClient } from './graph-client.js';
import { localError } from './graph-errors.js';

/** Exact host names, or suffixes when they start with a dot. */
export const DEFAULT_MEDIA_HOSTS: readonly string[] = [
  'lookaside.fbsbx.com',
  '.whatsapp.net',
  '.fbcdn.net',
];

export interface WhatsAppMediaFetcherOptions {
  client: GraphClient;
  /** Replaces `DEFAULT_MEDIA_HOSTS`; the Graph base URL's host is always allowed. */
  allowedHosts?: readonly string[];
}

export interface MediaInfo {
  url: string;
  mimeType: string | undefined;
  fileSize: number | undefined;
  sha256: string | undefined;
}

const METHOD = 'media.fetch';

/** `GET /{media-id}` answer (media_url_response.json); `file_size` may be a string or a number. */
export function parseMediaInfo(body: unknown): MediaInfo | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  if (typeof b.url !== 'string' || !b.url) return undefined;
  const size =
    typeof b.file_size === 'number'
      ? b.file_size
      : typeof b.file_size === 'string' && /^\d+$/.test(b.file_size.trim())
        ? Number(b.file_size.trim())
        : undefined;
  return {
    url: b.url,
    mimeType: typeof b.mime_type === 'string' && b.mime_type ? b.mime_type : undefined,
    fileSize: size !== undefined && Number.isFinite(size) ? size : undefined,
    sha256: typeof b.sha256 === 'string' ? b.sha256 : undefined,
  };
}

/** HTTPS to an allowed host, or the Graph base URL's own origin. */
export function isAllowedMediaUrl(
  url: URL,
  allowedHosts: readonly string[],
  graphBase: URL,
): boolean {
  if (url.username || url.password) return false;
  if (url.host === graphBase.host && url.protocol === graphBase.protocol) return true;
  if (url.protocol !== 'https:') return false;
  const host = url.hostname.toLowerCase();
  return allowedHosts.some((allowed) => {
    const a = allowed.toLowerCase();
    return a.startsWith('.') ? host.endsWith(a) && host.length > a.length : host === a;
  });
}

const tooLarge = (size: number, maxBytes: number) =>
  localError(METHOD, 'too_large', `media is ${size} bytes, over the ${maxBytes}-byte limit`, {
    permanent: true,
  });

export function createWhatsAppMediaFetcher(opts: WhatsAppMediaFetcherOptions): MediaFetcher {
  const { client } = opts;
  const allowedHosts = opts.allowedHosts ?? DEFAULT_MEDIA_HOSTS;
  const graphBase = new URL(client.baseUrl);
  const isAllowedUrl = (url: URL) => isAllowedMediaUrl(url, allowedHosts, graphBase);

  return {
    async fetch(media: InboundMedia, maxBytes: number) {
      if (media.sizeBytes !== undefined && media.sizeBytes > maxBytes) {
        throw tooLarge(media.sizeBytes, maxBytes);
      }
      const info = parseMediaInfo(await client.get(`/${encodeURIComponent(media.platformFileId)}`));
      if (!info) {
        throw localError(METHOD, 'invalid_response', 'media lookup returned no url', {
          permanent: false,
        });
      }
      if (info.fileSize !== undefined && info.fileSize > maxBytes) {
        throw tooLarge(info.fileSize, maxBytes);
      }
      let url: URL;
      try {
        url = new URL(info.url);
      } catch {
        throw localError(METHOD, 'invalid_response', 'media lookup returned a bad url', {
          permanent: false,
        });
      }
      if (!isAllowedUrl(url)) {
        throw localError(
          METHOD,
          'media_host_not_allowed',
          `media host ${url.host} is not allowed`,
          {
            permanent: true,
          },
        );
      }
      const downloaded = await client.download(url.href, maxBytes, { isAllowedUrl });
      const mimeType =
        info.mimeType ?? media.mimeType ?? downloaded.contentType ?? 'application/octet-stream';
      return {
        data: downloaded.data,
        mimeType,
        ...(media.fileName ? { fileName: media.fileName } : {}),
      };
    },
  };
}
