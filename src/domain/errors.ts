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

/**
 * The error's text for people (agents in Slack or Telegram): a key of the `staff` namespace's
 * `error` section and its values. The English `message` stays the API's (developers read it).
 */
export interface ErrorText {
  key: string;
  params?: Record<string, string | number>;
}

export class ParleyError extends Error {
  readonly code: string;
  readonly kind: ParleyErrorKind;
  readonly details: unknown;
  readonly text: ErrorText | undefined;

  constructor(
    kind: ParleyErrorKind,
    code: string,
    message: string,
    details?: unknown,
    text?: ErrorText,
  ) {
    super(message);
    this.name = 'ParleyError';
    this.kind = kind;
    this.code = code;
    this.details = details;
    this.text = text;
  }
}

export const notFound = (what: string, text?: ErrorText): ParleyError =>
  new ParleyError('not_found', 'not_found', `${what} not found`, undefined, text);

export const forbidden = (message: string, text?: ErrorText): ParleyError =>
  new ParleyError('forbidden', 'forbidden', message, undefined, text);

export const invalid = (message: string, details?: unknown, text?: ErrorText): ParleyError =>
  new ParleyError('invalid', 'invalid_request', message, details, text);

export const conflict = (message: string, code = 'conflict', text?: ErrorText): ParleyError =>
  new ParleyError('conflict', code, message, undefined, text);

export const businessRule = (code: string, message: string, text?: ErrorText): ParleyError =>
  new ParleyError('unprocessable', code, message, undefined, text);
