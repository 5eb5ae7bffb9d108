/** API keys: random, shown once, stored as a SHA-256 hash. */
import { createHash, randomBytes } from 'node:crypto';

export const API_KEY_PREFIX = 'pk_';

export function generateApiKey(): { key: string; hash: string; prefix: string } {
  const key = API_KEY_PREFIX + randomBytes(24).toString('base64url');
  return { key, hash: hashApiKey(key), prefix: key.slice(0, 10) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
