/** Bytes of attachments, stored content-addressed (sha256) with size and type limits. */
export interface StoredFile {
  sha256: string;
  sizeBytes: number;
  mimeType: string;
}

export interface AttachmentStorage {
  /** Validates size and type (ParleyError on refusal), writes once per content, returns the hash. */
  put(data: Buffer, declaredMimeType: string): Promise<StoredFile>;
  read(sha256: string): Promise<Buffer>;
  readonly limits: { maxBytes: number; allowedMimeTypes: readonly string[] };
}
