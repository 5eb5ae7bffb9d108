/** Small readers for untrusted JSON (Slack payloads): typed access that fails loudly. */

export type Obj = Record<string, unknown>;

/** A payload that is not the shape Slack documents; the parser turns it into `{ok: false}`. */
export class Malformed extends Error {}

export const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `v` as an object, else Malformed. */
export function obj(v: unknown, what: string): Obj {
  if (!isObj(v)) throw new Malformed(`${what} is not an object`);
  return v;
}

/** A required non-empty string field, else Malformed. */
export function req(o: Obj, key: string, what: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v === '') throw new Malformed(`${what}.${key} is missing`);
  return v;
}

/** An optional string field (anything else reads as absent). */
export function opt(o: Obj | undefined, key: string): string | undefined {
  const v = o?.[key];
  return typeof v === 'string' ? v : undefined;
}

/** Drops undefined properties, so results compare cleanly and stay small in logs. */
export function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
