/**
 * Hostile input over every REST operation (issue 6), generated from `OPERATIONS` (the OpenAPI
 * document's source): path parameters real and junk, hostile query strings, bodies with fields
 * of the wrong type, unicode edge cases, `__proto__`/`constructor`/`prototype` keys at every
 * depth, SQL-looking text, malformed JSON, the wrong content type and bodies over the limit;
 * attachments with path tricks in their names and spoofed MIME types.
 *
 * Every answer is 2xx or 4xx in time (never a 5xx or a hang), every 4xx has the contract's error
 * shape, and a refused request wrote nothing. After the run: `/healthz` answers, no prototype
 * is polluted, and the database has nothing half-written.
 *
 * Bounded by FUZZ_RUNS (runs per operation, default 12); FUZZ_SEED replays a failing run.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS, type Operation } from '../../../src/http/openapi/operations.js';
import { ADMIN_KEY, PLATFORM_KEY } from '../../support/test-parley.js';
import { type FuzzParley, startFuzzParley } from './fuzz/harness.js';
import { NASTY_STRINGS, mutatedBody } from './fuzz/hostile.js';
import {
  expectAlive,
  expectAttachmentFilesPresent,
  expectNothingHalfWritten,
  expectPrototypesClean,
  writeCounts,
} from './fuzz/invariants.js';
import { type Probe, describeProbe, expectPolite } from './fuzz/probe.js';
import {
  JPEG,
  type RealRecords,
  headerValue,
  pathArbitrary,
  queryArbitrary,
  validBodies,
} from './fuzz/rest-inputs.js';
import { RUNS, fcOptions } from './fuzz/runs.js';

let fuzz: FuzzParley;
let real: RealRecords;
let bodies: Record<string, () => unknown>;
const base = () => `${fuzz.parley.url}/api/v1`;
const keyOf = (op: Operation) => `${op.method} ${op.path}`;
const keyFor = (op: Operation) => (op.auth === 'platform_key' ? PLATFORM_KEY : ADMIN_KEY);

beforeAll(async () => {
  fuzz = await startFuzzParley();
  const api = fuzz.parley.api;
  const agent = await api('POST', '/agents', { body: { name: 'Fuzz Lead', role: 'supervisor' } });
  const group = await api('POST', '/groups', {
    body: { name: 'fuzz-queue', members: [agent.body.id] },
  });
  const ticket = await api('POST', '/tickets', {
    body: {
      customer: { name: 'Real Customer', email: 'real@example.test' },
      subject: 'A real ticket',
      description: 'with a first message',
      category: 'order_issue',
    },
  });
  const scheduled = await api('POST', '/scheduled-tickets', {
    body: {
      external_key: 'fuzz-journey-1',
      run_at: new Date(Date.now() + 86_400_000).toISOString(),
      ticket: { customer: { name: 'Later' }, subject: 'Later', category: 'warranty' },
    },
  });
  for (const res of [agent, group, ticket, scheduled])
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  real = {
    ticketId: ticket.body.id,
    ticketNumber: ticket.body.number,
    agentId: agent.body.id,
    groupId: group.body.id,
    groupName: 'fuzz-queue',
    customerId: ticket.body.customer.id,
    scheduledId: scheduled.body.id,
    scheduledKey: 'fuzz-journey-1',
  };
  bodies = validBodies(real);
}, 60_000);

afterAll(async () => {
  await fuzz?.close();
});

/** Sends a fuzzed request; a refused one must have written nothing. */
async function probeWritesNothingWhenRefused(probe: Probe): Promise<number> {
  const before = await writeCounts(fuzz.parley);
  const answer = await expectPolite(probe);
  if (answer.status >= 400) {
    const after = await writeCounts(fuzz.parley);
    expect(after, describeProbe(probe, answer)).toEqual(before);
  }
  return answer.status;
}

function requestFor(op: Operation, path: string, query: string, text?: string): Probe {
  const headers: Record<string, string> = { authorization: `Bearer ${keyFor(op)}` };
  if (text !== undefined) headers['content-type'] = 'application/json';
  return {
    label: keyOf(op),
    method: op.method.toUpperCase(),
    url: `${base()}${path}${query}`,
    headers,
    ...(text !== undefined ? { body: text } : {}),
  };
}

describe('REST fuzz: coverage', () => {
  it('has a well-formed body for every request schema the operations use', () => {
    const missing = OPERATIONS.filter((op) => op.body && !(op.body in bodies)).map(keyOf);
    expect(missing).toEqual([]);
  });

  it('serves exactly the documented operations (so the fuzz reaches every route)', async () => {
    const doc = (await (await fetch(`${base()}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const served = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method} ${path}`),
    );
    expect(served.sort()).toEqual(OPERATIONS.map(keyOf).sort());
  });
});

describe('REST fuzz: every operation', { timeout: 60_000 }, () => {
  for (const op of OPERATIONS) {
    it(`${keyOf(op)} answers hostile input with 2xx/4xx and writes nothing when it refuses`, async () => {
      const body = op.body
        ? fc.oneof(
            {
              weight: 6,
              arbitrary: fc.constant(null).chain(() => mutatedBody(bodies[op.body!]!())),
            },
            {
              weight: 1,
              arbitrary: fc.constant(null).map(() => ({
                label: 'well-formed',
                text: JSON.stringify(bodies[op.body!]!()),
              })),
            },
          )
        : fc.constant(undefined);
      await fc.assert(
        fc.asyncProperty(
          pathArbitrary(op, real),
          queryArbitrary(op),
          body,
          async (path, query, b) => {
            const probe = requestFor(op, path, query, b?.text);
            if (b) probe.label = `${keyOf(op)} [${b.label}]`;
            await probeWritesNothingWhenRefused(probe);
          },
        ),
        fcOptions,
      );
    });
  }
});

describe('REST fuzz: transport', { timeout: 60_000 }, () => {
  const withBody = OPERATIONS.filter((op) => op.body);

  it('refuses the wrong content type, charset or encoding with a 4xx and writes nothing', async () => {
    const variants: { type: string; encoding?: string; body: string | Buffer }[] = [
      { type: 'text/plain', body: '{"subject":"x"}' },
      { type: 'application/x-www-form-urlencoded', body: 'subject=x&__proto__[polluted]=1' },
      { type: 'multipart/form-data; boundary=zz', body: '--zz\r\n\r\nx\r\n--zz--' },
      { type: 'application/json; charset=utf-16', body: Buffer.from('{"a":1}', 'utf16le') },
      { type: 'application/json; charset=nope', body: '{"a":1}' },
      { type: 'application/json', encoding: 'gzip', body: 'not gzip at all' },
      { type: 'application/json', encoding: 'br, x-unknown', body: '{}' },
      {
        type: 'application/xml',
        body: '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
      },
      { type: '', body: '{"a":1}' },
    ];
    for (const op of withBody) {
      for (const v of variants) {
        const headers: Record<string, string> = { authorization: `Bearer ${keyFor(op)}` };
        if (v.type) headers['content-type'] = v.type;
        if (v.encoding) headers['content-encoding'] = v.encoding;
        const status = await probeWritesNothingWhenRefused({
          label: `${keyOf(op)} [content-type ${v.type || 'none'} ${v.encoding ?? ''}]`,
          method: op.method.toUpperCase(),
          url: `${base()}${op.path.replace(/\{ref\}/, real.ticketId).replace(/\{(\w+)\}/g, real.agentId)}`,
          headers,
          body: v.body,
        });
        expect(status, `${keyOf(op)} ${v.type}`).toBeGreaterThanOrEqual(400);
      }
    }
  });

  it('answers a body over the limit with 413 payload_too_large', async () => {
    for (const op of withBody) {
      const attachments = op.method === 'post' && /^\/tickets(\/\{ref\}\/messages)?$/.test(op.path);
      const size = (attachments ? 30 : 1) * 1024 * 1024 + 1024;
      const huge = JSON.stringify({ subject: 'x', pad: 'A'.repeat(size) });
      const probe: Probe = {
        label: `${keyOf(op)} [${size} bytes]`,
        method: op.method.toUpperCase(),
        url: `${base()}${op.path.replace(/\{ref\}/, real.ticketId).replace(/\{(\w+)\}/g, real.agentId)}`,
        headers: { authorization: `Bearer ${keyFor(op)}`, 'content-type': 'application/json' },
        body: huge,
      };
      const answer = await expectPolite(probe);
      expect(answer.status, describeProbe(probe, answer)).toBe(413);
      expect((answer.json as { error: { code: string } }).error.code).toBe('payload_too_large');
    }
  });

  it('refuses hostile credentials with 401 in the contract shape', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...OPERATIONS),
        fc.oneof(
          headerValue.map((v) => `Bearer ${v}`),
          headerValue,
          fc.constantFrom(
            'Basic Og==',
            'Bearer',
            'bearer  ',
            `Bearer ${ADMIN_KEY}x`,
            `Bearer ${ADMIN_KEY.slice(1)}`,
          ),
        ),
        async (op, authorization) => {
          const probe: Probe = {
            label: `${keyOf(op)} [authorization ${JSON.stringify(authorization.slice(0, 40))}]`,
            method: op.method.toUpperCase(),
            url: `${base()}${op.path.replace(/\{(\w+)\}/g, real.agentId)}`,
            headers: { authorization, 'content-type': 'application/json' },
            ...(op.body ? { body: JSON.stringify(bodies[op.body]!()) } : {}),
          };
          const answer = await expectPolite(probe);
          expect([401, 403], describeProbe(probe, answer)).toContain(answer.status);
        },
      ),
      { ...fcOptions, numRuns: RUNS * 4 },
    );
  });

  it('takes a hostile Idempotency-Key politely', async () => {
    await fc.assert(
      fc.asyncProperty(headerValue, async (key) => {
        await probeWritesNothingWhenRefused({
          label: `POST /tickets [Idempotency-Key ${JSON.stringify(key.slice(0, 40))}]`,
          method: 'POST',
          url: `${base()}/tickets`,
          headers: {
            authorization: `Bearer ${ADMIN_KEY}`,
            'content-type': 'application/json',
            'idempotency-key': key,
          },
          body: JSON.stringify(bodies.CreateTicketRequest!()),
        });
      }),
      fcOptions,
    );
  });
});

describe('REST fuzz: attachments', { timeout: 60_000 }, () => {
  const PATH_TRICKS = [
    '../../etc/passwd',
    '..\\..\\windows\\system32\\drivers\\etc\\hosts',
    '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    'photo.jpg\u0000.exe',
    '/absolute/path.jpg',
    '.hidden.jpg',
    '....//....//x.jpg',
    'C:\\boot.ini',
    '\u202egpj.exe',
    'a'.repeat(255),
    ...NASTY_STRINGS.filter((s) => s.trim().length > 0).slice(0, 12),
  ];
  const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
  const SPOOFS: { mime: string; data: Buffer }[] = [
    { mime: 'image/jpeg', data: JPEG },
    { mime: 'image/png', data: JPEG },
    {
      mime: 'image/jpeg',
      data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    },
    { mime: 'image/svg+xml', data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>') },
    { mime: 'text/html', data: Buffer.from('<html><script>alert(1)</script></html>') },
    { mime: 'application/pdf', data: Buffer.from('MZ\x90\x00this is a windows exe') },
    { mime: 'application/x-msdownload', data: Buffer.from('MZ\x90\x00') },
    { mime: 'text/plain', data: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 0]) },
    { mime: 'image/gif', data: PNG },
    { mime: 'application/octet-stream', data: JPEG },
    { mime: 'IMAGE/JPEG; charset=binary', data: JPEG },
  ];

  it('stores only safe base names and refuses bytes that are not what the type says', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...PATH_TRICKS),
        fc.constantFrom(...SPOOFS),
        fc.boolean(),
        async (fileName, spoof, onMessage) => {
          const attachment = {
            file_name: fileName,
            mime_type: spoof.mime,
            data_base64: spoof.data.toString('base64'),
          };
          const body = onMessage
            ? { body: 'see attached', attachments: [attachment] }
            : { ...(bodies.CreateTicketRequest!() as object), attachments: [attachment] };
          const path = onMessage ? `/tickets/${real.ticketId}/messages` : '/tickets';
          const probe: Probe = {
            label: `POST ${path} [${JSON.stringify(fileName.slice(0, 30))} as ${spoof.mime}]`,
            method: 'POST',
            url: `${base()}${path}`,
            headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          };
          const status = await probeWritesNothingWhenRefused(probe);
          const declared = spoof.mime.split(';')[0]!.trim().toLowerCase();
          const honest = declared === 'image/jpeg' && spoof.data === JPEG;
          if (!honest) expect(status, describeProbe(probe)).toBeGreaterThanOrEqual(400);
          if (status < 300) {
            const { rows } = await fuzz.parley.database.pool.query<{
              file_name: string;
              mime_type: string;
            }>('select file_name, mime_type from attachments order by created_at desc limit 1');
            const stored = rows[0]!;
            // eslint-disable-next-line no-control-regex -- control characters are what is checked
            expect(stored.file_name).not.toMatch(/[/\\\u0000-\u001f\u007f]/);
            expect(stored.file_name).not.toMatch(/^\./);
            expect(stored.file_name.length).toBeGreaterThan(0);
            expect(stored.mime_type).toBe('image/jpeg');
          }
        },
      ),
      { ...fcOptions, numRuns: RUNS * 4 },
    );
  });
});

describe('REST fuzz: afterwards', () => {
  it('is still up, with no prototype polluted and nothing half-written', async () => {
    await expectAlive(fuzz.parley);
    expectPrototypesClean();
    await expectNothingHalfWritten(fuzz.parley);
    await expectAttachmentFilesPresent(fuzz.parley);
  });
});
