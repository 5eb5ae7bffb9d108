/** Turns before/after values into the audit trail's `{field: {from, to}}`, skipping equal ones. */
export type Changes = Record<string, { from: unknown; to: unknown }>;

const same = (a: unknown, b: unknown): boolean =>
  JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export function diff(before: Record<string, unknown>, after: Record<string, unknown>): Changes {
  const changes: Changes = {};
  for (const key of Object.keys(after)) {
    if (!same(before[key], after[key]))
      changes[key] = { from: before[key] ?? null, to: after[key] ?? null };
  }
  return changes;
}
