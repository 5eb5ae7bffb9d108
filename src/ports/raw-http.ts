/** The framework-free request/response shape adapters use for webhooks and pages. */
export interface RawRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  query?: Record<string, string | undefined>;
  /** Aborted when the client goes away (long polls stop waiting). */
  signal?: AbortSignal;
  /** The client's address (express `req.ip`: behind a proxy, with `trust proxy` set). */
  ip?: string;
}

export interface RawResponse {
  status: number;
  /** A string or Buffer is sent as is; anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
}

export type RawHandler = (req: RawRequest) => Promise<RawResponse>;
