/** Decodes and stores uploaded attachments (content-addressed) before the transaction opens. */
import { invalid } from '../domain/errors.js';
import type { AttachmentStorage, StoredFile } from '../ports/attachment-storage.js';
import type { Stores } from '../ports/stores.js';
import type { AttachmentInput } from './inputs.js';

export interface PreparedAttachment extends StoredFile {
  fileName: string;
}

/** Keeps only a safe base name: no directories, no control characters. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(/^\.+/, '')
    .trim()
    .slice(0, 200);
  return cleaned || 'file';
}

export async function prepareAttachments(
  files: AttachmentStorage,
  inputs: AttachmentInput[] | undefined,
): Promise<PreparedAttachment[]> {
  const out: PreparedAttachment[] = [];
  for (const [index, a] of (inputs ?? []).entries()) {
    if (!/^[A-Za-z0-9+/=\s_-]*$/.test(a.data_base64)) {
      throw invalid('attachment data is not base64', [
        { path: ['attachments', index, 'data_base64'], message: 'not base64' },
      ]);
    }
    const data = Buffer.from(a.data_base64, 'base64');
    const stored = await files.put(data, a.mime_type);
    out.push({ ...stored, fileName: safeFileName(a.file_name) });
  }
  return out;
}

export async function recordAttachments(
  s: Stores,
  at: { tenantId: string; ticketId: string; messageId: string | null },
  prepared: PreparedAttachment[],
) {
  const refs = [];
  for (const p of prepared) {
    refs.push(
      await s.attachments.insert({
        tenantId: at.tenantId,
        ticketId: at.ticketId,
        messageId: at.messageId,
        sha256: p.sha256,
        sizeBytes: p.sizeBytes,
        mimeType: p.mimeType,
        fileName: p.fileName,
      }),
    );
  }
  return refs;
}
