/**
 * Attachments on the local file system, content-addressed: `<dir>/<sha[0..2]>/<sha>`.
 *
 * Each content is written once, through a temporary file in the same directory that is synced
 * and then renamed, so a crash never leaves a half-written file under a final name (at worst a
 * stray `.*.tmp`). Declared MIME types are checked against an allow-list and, where the format
 * has a signature (images, PDF, office containers, plain text), against the bytes themselves.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { ParleyError, invalid, notFound } from '../domain/errors.js';
import type { AttachmentStorage, StoredFile } from '../ports/attachment-storage.js';

const OOXML = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
} as const;
const ODF = {
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  odp: 'application/vnd.oasis.opendocument.presentation',
} as const;
const LEGACY_OFFICE = {
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
} as const;

export const DEFAULT_ALLOWED_MIME_TYPES: readonly string[] = Object.freeze([
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'image/heic',
  'image/heif',
  'application/pdf',
  'audio/ogg',
  'audio/mpeg',
  'audio/mp4',
  'audio/aac',
  'video/mp4',
  'video/3gpp',
  'text/plain',
  'text/csv',
  ...Object.values(LEGACY_OFFICE),
  ...Object.values(OOXML),
  ...Object.values(ODF),
]);

/** Names clients commonly send for a type we know under its registered name. */
const MIME_ALIASES: Readonly<Record<string, string>> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'image/x-png': 'image/png',
  'application/x-pdf': 'application/pdf',
  'audio/mp3': 'audio/mpeg',
  'audio/x-m4a': 'audio/mp4',
  'audio/m4a': 'audio/mp4',
  'audio/x-aac': 'audio/aac',
};

/** `"Image/JPG; charset=x"` → `"image/jpeg"`. */
export function normaliseMimeType(declared: string): string {
  const bare = (declared.split(';')[0] ?? '').trim().toLowerCase();
  return Object.hasOwn(MIME_ALIASES, bare) ? (MIME_ALIASES[bare] ?? bare) : bare;
}

// ---------------------------------------------------------------------------------------------
// Signatures

const startsWith = (data: Buffer, bytes: readonly number[], offset = 0): boolean =>
  data.length >= offset + bytes.length && bytes.every((b, i) => data[offset + i] === b);

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

const HEIF_BRANDS = new Set([
  'heic',
  'heix',
  'hevc',
  'hevx',
  'heim',
  'heis',
  'hevm',
  'hevs',
  'mif1',
  'msf1',
]);

/** ISO-BMFF `ftyp` box whose major or compatible brands include a HEIF brand. */
function isHeif(data: Buffer): boolean {
  if (!startsWith(data, ascii('ftyp'), 4)) return false;
  const boxSize = Math.min(data.readUInt32BE(0), data.length, 4096);
  for (let at = 8; at + 4 <= boxSize; at += 4) {
    if (at === 12) continue; // minor version, not a brand
    if (HEIF_BRANDS.has(data.toString('latin1', at, at + 4))) return true;
  }
  return false;
}

const isZip = (d: Buffer) => startsWith(d, [0x50, 0x4b, 0x03, 0x04]);
const isOle = (d: Buffer) => startsWith(d, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const isRtf = (d: Buffer) => startsWith(d, ascii('{\\rtf'));
/** PDF readers accept the header anywhere in the first 1024 bytes. */
const isPdf = (d: Buffer) => d.subarray(0, 1024).includes('%PDF-', 0, 'latin1');

/** Formats whose bytes must match what was declared. */
const SIGNATURES: Readonly<Record<string, (data: Buffer) => boolean>> = {
  'image/jpeg': (d) => startsWith(d, [0xff, 0xd8, 0xff]),
  'image/png': (d) => startsWith(d, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/gif': (d) => startsWith(d, ascii('GIF8')),
  'image/webp': (d) => startsWith(d, ascii('RIFF')) && startsWith(d, ascii('WEBP'), 8),
  'image/heic': isHeif,
  'image/heif': isHeif,
  'application/pdf': isPdf,
  ...Object.fromEntries([...Object.values(OOXML), ...Object.values(ODF)].map((t) => [t, isZip])),
  [LEGACY_OFFICE.doc]: (d) => isOle(d) || isRtf(d),
  [LEGACY_OFFICE.xls]: isOle,
  [LEGACY_OFFICE.ppt]: isOle,
  'text/plain': looksLikeText,
  'text/csv': looksLikeText,
};

/** No NUL byte in the first 8 KiB, unless it is UTF-16 with a byte-order mark. */
function looksLikeText(data: Buffer): boolean {
  if (startsWith(data, [0xff, 0xfe]) || startsWith(data, [0xfe, 0xff])) return true;
  return !data.subarray(0, 8192).includes(0);
}

/** Native executables are refused whatever their declared type. */
function isExecutable(data: Buffer): boolean {
  return (
    startsWith(data, [0x7f, 0x45, 0x4c, 0x46]) || // ELF
    startsWith(data, ascii('MZ')) || // Windows PE / DOS
    startsWith(data, [0xfe, 0xed, 0xfa, 0xce]) || // Mach-O
    startsWith(data, [0xfe, 0xed, 0xfa, 0xcf]) ||
    startsWith(data, [0xce, 0xfa, 0xed, 0xfe]) ||
    startsWith(data, [0xcf, 0xfa, 0xed, 0xfe]) ||
    startsWith(data, [0xca, 0xfe, 0xba, 0xbe]) // Mach-O fat binary / Java class
  );
}

/** A best guess at what the bytes are, for error details. */
function detectType(data: Buffer): string | undefined {
  if (isExecutable(data)) return 'application/x-executable';
  for (const type of ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/heic']) {
    if (SIGNATURES[type]?.(data)) return type;
  }
  if (isPdf(data)) return 'application/pdf';
  if (isZip(data)) return 'application/zip';
  if (isOle(data)) return 'application/x-ole-storage';
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Storage

const SHA256_HEX = /^[0-9a-f]{64}$/;

export interface FileAttachmentStorageOptions {
  /** Root directory; created on first write. */
  dir: string;
  maxBytes: number;
  /** Defaults to `DEFAULT_ALLOWED_MIME_TYPES`. */
  allowedMimeTypes?: readonly string[];
}

export function createFileAttachmentStorage(
  options: FileAttachmentStorageOptions,
): AttachmentStorage {
  const { dir, maxBytes } = options;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new RangeError(`maxBytes must be a positive integer, got ${maxBytes}`);
  }
  const allowedMimeTypes = Object.freeze([
    ...new Set((options.allowedMimeTypes ?? DEFAULT_ALLOWED_MIME_TYPES).map(normaliseMimeType)),
  ]);
  const allowed = new Set(allowedMimeTypes);
  const pathOf = (sha256: string) => path.join(dir, sha256.slice(0, 2), sha256);

  function check(data: Buffer, declaredMimeType: string): string {
    if (data.length === 0) {
      throw invalid('The attachment is empty', { field: 'attachment', reason: 'attachment_empty' });
    }
    if (data.length > maxBytes) {
      throw new ParleyError(
        'unprocessable',
        'attachment_too_large',
        `The attachment is ${data.length} bytes; the limit is ${maxBytes} bytes`,
        { sizeBytes: data.length, maxBytes },
      );
    }
    const mimeType = normaliseMimeType(declaredMimeType);
    if (!allowed.has(mimeType)) {
      throw new ParleyError(
        'unprocessable',
        'attachment_type_not_allowed',
        `Attachments of type "${mimeType || declaredMimeType}" are not accepted`,
        { mimeType, allowed: allowedMimeTypes },
      );
    }
    const signature = SIGNATURES[mimeType];
    if (isExecutable(data) || (signature && !signature(data))) {
      throw new ParleyError(
        'unprocessable',
        'attachment_type_mismatch',
        `The attachment's content does not match its declared type "${mimeType}"`,
        { declared: mimeType, detected: detectType(data) ?? null },
      );
    }
    return mimeType;
  }

  return {
    limits: { maxBytes, allowedMimeTypes },

    async put(data: Buffer, declaredMimeType: string): Promise<StoredFile> {
      const mimeType = check(data, declaredMimeType);
      const sha256 = createHash('sha256').update(data).digest('hex');
      await writeOnce(pathOf(sha256), data);
      return { sha256, sizeBytes: data.length, mimeType };
    },

    async read(sha256: string): Promise<Buffer> {
      const key = sha256.toLowerCase();
      if (!SHA256_HEX.test(key)) {
        throw invalid('An attachment id is 64 hexadecimal characters', {
          field: 'sha256',
          reason: 'malformed',
        });
      }
      try {
        return await readFile(pathOf(key));
      } catch (error) {
        if (isErrno(error, 'ENOENT')) throw notFound('Attachment');
        throw error;
      }
    },
  };
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

/**
 * Writes `data` to `finalPath` unless an intact copy is already there. Content-addressed, so a
 * concurrent writer of the same key writes the same bytes and either rename wins.
 */
async function writeOnce(finalPath: string, data: Buffer): Promise<void> {
  const existing = await stat(finalPath).catch((error: unknown) => {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  });
  // A file of the wrong size can only be damage from outside; replace it.
  if (existing?.isFile() && existing.size === data.length) return;

  const folder = path.dirname(finalPath);
  await mkdir(folder, { recursive: true });
  const temp = path.join(folder, `.${path.basename(finalPath)}.${randomUUID()}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o640);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, finalPath);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(folder);
}

/** Makes the rename durable. Best effort: not every platform can fsync a directory. */
async function syncDirectory(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // ignore
  }
}
