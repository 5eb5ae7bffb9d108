/**
 * The one error type of Parley. `kind` decides the HTTP status and the tone of a bot or Slack
 * reply; `code` is the stable machine-readable name from the contract.
 */
export type ParleyErrorKind =
  | 'invalid'
  | 'unauthorized'
  | 'not_found'
  | 'conflict'
  | 'forbidden'
  | 'unprocessable'
  | 'rate_limited'
  | 'upstream';

export class ParleyError extends Error {
  readonly code: string;
  readonly kind: ParleyErrorKind;
  readonly details: unknown;

  constructor(kind: ParleyErrorKind, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ParleyError';
    this.kind = kind;
    this.code = code;
    this.details = details;
  }
}

export const notFound = (what: string): ParleyError =>
  new ParleyError('not_found', 'not_found', `${what} not found`);

export const forbidden = (message: string): ParleyError =>
  new ParleyError('forbidden', 'forbidden', message);

export const invalid = (message: string, details?: unknown): ParleyError =>
  new ParleyError('invalid', 'invalid_request', message, details);

export const conflict = (message: string, code = 'conflict'): ParleyError =>
  new ParleyError('conflict', code, message);

export const businessRule = (code: string, message: string): ParleyError =>
  new ParleyError('unprocessable', code, message);
