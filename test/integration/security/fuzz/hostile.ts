/**
 * fast-check arbitraries of hostile input: strings a parser or a database may choke on, values
 * of the wrong type, prototype-pollution keys, and mutations of a well-formed JSON body (one
 * field replaced, a key added at some depth), so a fuzzed request gets past the first check.
 */
import fc from 'fast-check';

/** Strings chosen to break something: encodings, databases, parsers, paths, terminals. */
export const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800', // lone high surrogate
  'x\udfffy', // lone low surrogate
  '\ufeffBOM',
  '\u202egnp.exe', // right-to-left override
  'zero\u200bwidth\u200d\u2060',
  '👍🏽👨‍👩‍👧‍👦🏳️‍🌈', // 4-byte emoji and ZWJ sequences
  '𝕳𝖊𝖑𝖑𝖔',
  'e\u0301\u0301\u0301\u0301', // stacked combining marks
  "'; DROP TABLE tickets; --",
  "' OR '1'='1",
  '1; SELECT pg_sleep(5)',
  '$1',
  '\\',
  '%',
  '_%_',
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  'photo.jpg\u0000.exe',
  '/dev/zero',
  'CON',
  '<script>alert(1)</script>',
  '{{constructor.constructor("return process")()}}',
  '${process.exit(1)}',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  'NaN',
  '-1',
  '1e309',
  '9007199254740993',
  '0x10',
  'null',
  'true',
  '\r\nX-Injected: 1',
  '\u001b[31mred',
  'TK-2026-00001',
  '#1',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
];

/** A very long string, so length limits (and not the database) refuse it. */
export const LONG_STRING = 'ab🧪'.repeat(25_000);

export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...NASTY_STRINGS), fc.constantFrom(...NASTY_STRINGS))
      .map(([a, b]) => `${a}${b}`),
  },
  { weight: 1, arbitrary: fc.constant(LONG_STRING) },
);

export const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** `{"__proto__": {"polluted": …}}` and friends, as JSON text would carry them. */
const pollutionObject: fc.Arbitrary<unknown> = fc
  .constantFrom(...POLLUTION_KEYS)
  .map((key) =>
    key === 'constructor'
      ? { constructor: { prototype: { polluted: 'yes' } } }
      : { [key]: { polluted: 'yes', isAdmin: true } },
  );

/** A value of any type: what a field gets when the client lies about types. */
export const wrongTypeValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    -0,
    1e308,
    Number.MAX_SAFE_INTEGER + 2,
    -2147483649,
    2147483648,
    [],
    {},
    [null],
    [[[]]],
    { '': '' },
  ),
  fc.array(nastyString, { maxLength: 3 }),
  fc.dictionary(nastyString, nastyString, { maxKeys: 3 }),
  pollutionObject,
);

/** Every path (list of keys/indexes) to a value inside `value`, the root included. */
export function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Replaces the value at `path` (the root when empty). */
export function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = clone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
  return copy;
}

/**
 * Adds `key: value` to the object at `path` as JSON text would (`JSON.parse` makes `__proto__`
 * an own property; an object literal would not), and returns the JSON text.
 */
export function jsonWithKeyAt(
  root: unknown,
  path: (string | number)[],
  key: string,
  value: unknown,
): string {
  const target = path.reduce<unknown>(
    (node, k) => (node as Record<string | number, unknown>)[k],
    root,
  );
  if (!target || typeof target !== 'object' || Array.isArray(target)) return JSON.stringify(root);
  const withMarker = setAt(root, [...path, '__fuzz_slot__'], 'MARK');
  return JSON.stringify(withMarker).replace(
    `"__fuzz_slot__":"MARK"`,
    () => `${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}`,
  );
}

export interface BodyMutation {
  /** What was done, for failure messages. */
  label: string;
  /** The raw body text to send. */
  text: string;
}

/** One hostile variation of a well-formed JSON body. */
export function mutatedBody(valid: unknown): fc.Arbitrary<BodyMutation> {
  const paths = pathsOf(valid);
  const objectPaths = paths.filter((p) => {
    const node = p.reduce<unknown>((n, k) => (n as Record<string | number, unknown>)[k], valid);
    return node !== null && typeof node === 'object' && !Array.isArray(node);
  });
  const replaced = fc
    .tuple(fc.constantFrom(...paths), wrongTypeValue)
    .map(([path, value]): BodyMutation => {
      const body = setAt(valid, path, value);
      return { label: `replace ${path.join('.') || '<root>'}`, text: JSON.stringify(body) ?? '' };
    });
  const pollutedKey = fc
    .tuple(
      fc.constantFrom(...(objectPaths.length ? objectPaths : [[]])),
      fc.constantFrom(...POLLUTION_KEYS),
      fc.oneof(pollutionObject, wrongTypeValue),
    )
    .map(([path, key, value]): BodyMutation => ({
      label: `add ${key} at ${path.join('.') || '<root>'}`,
      text: jsonWithKeyAt(valid, path, key, value),
    }));
  const stringEverywhere = nastyString.map((s): BodyMutation => ({
    label: `every string = ${JSON.stringify(s).slice(0, 40)}`,
    text: JSON.stringify(
      JSON.parse(JSON.stringify(valid), (_k, v: unknown) => (typeof v === 'string' ? s : v)),
    ),
  }));
  return fc.oneof(
    { weight: 4, arbitrary: replaced },
    { weight: 3, arbitrary: pollutedKey },
    { weight: 3, arbitrary: stringEverywhere },
    { weight: 1, arbitrary: malformedJson(valid) },
  );
}

/** Text that is not JSON, or JSON of the wrong shape at the root. */
export function malformedJson(valid: unknown): fc.Arbitrary<BodyMutation> {
  const text = JSON.stringify(valid) ?? '{}';
  return fc
    .oneof(
      fc.constant(text.slice(0, Math.max(1, Math.floor(text.length / 2)))),
      fc.constant(`${text},`),
      fc.constant(`{"a":1,}`),
      fc.constant(`{'single': 'quotes'}`),
      fc.constant('\ufeff' + text),
      fc.constant('[' + text + ']'),
      fc.constant('"just a string"'),
      fc.constant('12345'),
      fc.constant('null'),
      fc.constant('['.repeat(5_000) + ']'.repeat(5_000)), // deep nesting
      fc.constant('{"a":'.repeat(2_000) + '1' + '}'.repeat(2_000)),
      fc.constant(text.replace(/"/, () => '"\\ud800')),
      fc.constant(Buffer.from([0xff, 0xfe, 0x00, 0x7b]).toString('latin1')),
      fc.string({ unit: 'binary', maxLength: 80 }),
    )
    .map((t) => ({ label: `malformed ${JSON.stringify(t.slice(0, 30))}`, text: t }));
}
