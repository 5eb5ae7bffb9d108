/**
 * Anonymous web-chat sessions. The server issues a random session id and a token
 * `<sessionId>.<sig>` (sig = base64url HMAC-SHA256 over the id with the configured secret), so a
 * visitor can only read and post to the session whose token they hold. Nothing is stored:
 * a token stays valid until the secret changes.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import {
  errorResponse,
  json,
  methodNotAllowed,
  parseJsonBody,
  type WebchatHandler,
} from './wire.js';

const SESSION_ID_RE = /^[A-Za-z0-9_-]{22}$/;
const SIG_RE = /^[A-Za-z0-9_-]{43}$/;
export const MIN_SECRET_LENGTH = 16;

/** HMAC-SHA256 with a purpose prefix, so a session signature never verifies as anything else. */
export interface Signer {
  sign(purpose: string, data: string): string;
  verify(purpose: string, data: string, sig: string): boolean;
}

export function createSigner(secret: string): Signer {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(
      `web chat: the session secret must be at least ${MIN_SECRET_LENGTH} characters`,
    );
  }
  const mac = (purpose: string, data: string) =>
    createHmac('sha256', secret).update(`parley-webchat:${purpose}\n${data}`).digest();
  return {
    sign: (purpose, data) => mac(purpose, data).toString('base64url'),
    verify(purpose, data, sig) {
      if (!SIG_RE.test(sig)) return false;
      // Compared as text: base64url decoding ignores a last character's spare bits, and a
      // token must have exactly one spelling.
      const given = Buffer.from(sig, 'latin1');
      const expected = Buffer.from(mac(purpose, data).toString('base64url'), 'latin1');
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}

export interface WebchatSession {
  session: string;
  token: string;
}

export interface SessionTokens {
  issue(): WebchatSession;
  /** The session id of a valid token, else `undefined`. */
  verify(token: string | undefined): string | undefined;
}

export function createSessionTokens(signer: Signer): SessionTokens {
  return {
    issue() {
      const session = randomBytes(16).toString('base64url');
      return { session, token: `${session}.${signer.sign('session', session)}` };
    },
    verify(token) {
      if (!token || token.length > 100) return undefined;
      const [session, sig, ...rest] = token.split('.');
      if (rest.length > 0 || !session || !sig || !SESSION_ID_RE.test(session)) return undefined;
      return signer.verify('session', session, sig) ? session : undefined;
    },
  };
}

const sessionBody = z.object({ token: z.string().max(200).optional() });

/**
 * `POST /chat/api/session` `{ token? }` → 200 `{ session, token }`: the same session when the
 * token sent is valid, else a new one (a stale token after a secret change is not an error).
 */
export function createSessionHandler(tokens: SessionTokens): WebchatHandler {
  return async (req) => {
    if (req.method.toUpperCase() !== 'POST') return methodNotAllowed('POST');
    const parsed = sessionBody.safeParse(parseJsonBody(req.rawBody));
    if (!parsed.success)
      return errorResponse(400, 'invalid_request', 'expected { token?: string }');
    const given = parsed.data.token;
    const session = tokens.verify(given);
    if (session && given) return json(200, { session, token: given });
    return json(200, tokens.issue());
  };
}
