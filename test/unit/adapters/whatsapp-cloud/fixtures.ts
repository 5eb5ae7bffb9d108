/** The shared WhatsApp payload fixtures (/work/shared/fixtures/whatsapp, beside the repo). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../../../../../shared/fixtures/whatsapp/${name}`, import.meta.url));
}

/** The exact file bytes (sign these, never a re-serialization). */
export function fixtureBytes(name: string): Buffer {
  return readFileSync(fixturePath(name));
}

export function fixtureJson<T = any>(name: string): T {
  return JSON.parse(fixtureBytes(name).toString('utf8')) as T;
}
