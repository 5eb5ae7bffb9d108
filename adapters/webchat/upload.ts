/**
 * One image per message: `POST /chat/api/upload` (raw image bytes, `Content-Type: image/…`)
 * hands the bytes to `onUpload` and answers a signed upload token; the next message carries
 * the token and becomes a `media` event. The token binds the upload id, type and size to the
 * session, so a visitor cannot attach someone else's upload or lie about its type.
 */
import type { InboundMedia } from '../../src/ports/channel.js';
import type { Logger } from '../../src/ports/logger.js';
import {
  bearerToken,
  errorResponse,
  headerValue,
  json,
  methodNotAllowed,
  unauthorized,
  type WebchatHandler,
} from './wire.js';
import type { SessionTokens, Signer } from './session.js';

/** Stores the bytes (the lead's attachment storage) and returns an id its MediaFetcher knows. */
export type WebchatUploadHandler = (
  session: string,
  bytes: Buffer,
  mimeType: string,
) => Promise<string>;

export const DEFAULT_MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/** What each accepted type starts with. SVG is not an image here (it can carry script). */
const SIGNATURES: Record<string, (b: Buffer) => boolean> = {
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from('89504e470d0a1a0a', 'hex')),
  'image/gif': (b) => b.subarray(0, 4).toString('latin1') === 'GIF8',
  'image/webp': (b) =>
    b.subarray(0, 4).toString('latin1') === 'RIFF' &&
    b.subarray(8, 12).toString('latin1') === 'WEBP',
  'image/heic': (b) => b.subarray(4, 8).toString('latin1') === 'ftyp',
  'image/heif': (b) => b.subarray(4, 8).toString('latin1') === 'ftyp',
};

export const ACCEPTED_IMAGE_TYPES = Object.keys(SIGNATURES);

interface UploadClaims {
  s: string;
  u: string;
  m: string;
  b: number;
}

export function createUploadTokens(signer: Signer) {
  return {
    issue(session: string, uploadId: string, mimeType: string, sizeBytes: number): string {
      const claims: UploadClaims = { s: session, u: uploadId, m: mimeType, b: sizeBytes };
      const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
      return `${payload}.${signer.sign('upload', payload)}`;
    },
    /** The photo of a valid token issued to `session`, else `undefined`. */
    verify(token: string, session: string): InboundMedia | undefined {
      const [payload, sig, ...rest] = token.split('.');
      if (rest.length > 0 || !payload || !sig || !signer.verify('upload', payload, sig))
        return undefined;
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as UploadClaims;
      if (claims.s !== session) return undefined;
      return { kind: 'photo', platformFileId: claims.u, mimeType: claims.m, sizeBytes: claims.b };
    },
  };
}

export type UploadTokens = ReturnType<typeof createUploadTokens>;

export interface UploadHandlerConfig {
  sessions: SessionTokens;
  uploads: UploadTokens;
  onUpload: WebchatUploadHandler;
  maxBytes: number;
  logger: Logger;
}

export function createUploadHandler(config: UploadHandlerConfig): WebchatHandler {
  const { logger, maxBytes } = config;
  return async (req) => {
    if (req.method.toUpperCase() !== 'POST') return methodNotAllowed('POST');
    const session = config.sessions.verify(bearerToken(req));
    if (!session) return unauthorized();
    const mimeType = (headerValue(req.headers, 'content-type') ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    const matches = Object.hasOwn(SIGNATURES, mimeType) ? SIGNATURES[mimeType] : undefined;
    if (!matches) {
      return errorResponse(
        415,
        'unsupported_media_type',
        `send one of ${ACCEPTED_IMAGE_TYPES.join(', ')}`,
      );
    }
    const bytes = req.rawBody;
    if (bytes.length > maxBytes) {
      return errorResponse(413, 'too_large', `the image is over ${maxBytes} bytes`);
    }
    if (bytes.length < 12 || !matches(bytes)) {
      return errorResponse(400, 'invalid_request', `the body is not a ${mimeType} image`);
    }
    let uploadId: string;
    try {
      uploadId = await config.onUpload(session, bytes, mimeType);
    } catch (err) {
      logger.error(
        { session, mimeType, sizeBytes: bytes.length, err },
        'web chat: storing an upload failed',
      );
      return errorResponse(500, 'internal', 'the image could not be stored');
    }
    const upload = config.uploads.issue(session, uploadId, mimeType, bytes.length);
    return json(201, { upload, mime_type: mimeType, size_bytes: bytes.length });
  };
}
