/** Record ids are UUIDs (any 8-4-4-4-12 hex, as PostgreSQL's `uuid` accepts). */
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `text` can name a record: anything else would be refused by a `uuid` column. */
export function isUuid(text: string): boolean {
  return UUID_RE.test(text);
}
