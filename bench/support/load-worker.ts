/**
 * The load generator, in a worker thread so that building requests and reading answers does not
 * share an event loop with the Parley under test. `fetch` (undici) keeps connections alive.
 */
import { parentPort } from 'node:worker_threads';
import type {
  BenchRequest,
  FromWorker,
  PhaseResult,
  PhaseSpec,
  ToWorker,
} from './load-protocol.js';

let unique = 0;

async function send(
  baseUrl: string,
  req: BenchRequest,
): Promise<{ status: number; text: string; ms: number }> {
  const body = req.body?.replaceAll('{{i}}', () => String(unique++));
  const started = performance.now();
  const res = await fetch(baseUrl + req.path, {
    method: req.method,
    headers: req.headers,
    ...(body !== undefined ? { body } : {}),
  });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - started };
}

async function runPhase(spec: PhaseSpec): Promise<PhaseResult> {
  let cursor = 0;
  const result: PhaseResult = {
    name: spec.name,
    latenciesMs: [],
    elapsedMs: 0,
    errors: 0,
    sampleBodies: [],
  };

  const drive = async (count: number, record: boolean, deadline: number): Promise<void> => {
    let sent = 0;
    const loop = async (): Promise<void> => {
      while (sent < count && performance.now() < deadline) {
        sent++;
        const req = spec.requests[cursor++ % spec.requests.length]!;
        let answer: { status: number; text: string; ms: number };
        try {
          answer = await send(spec.baseUrl, req);
        } catch (err) {
          result.errors++;
          result.firstError ??= `${req.method} ${req.path}: ${String(err)}`;
          continue;
        }
        if (answer.status !== spec.expectStatus) {
          result.errors++;
          result.firstError ??= `${req.method} ${req.path} → ${answer.status}: ${answer.text.slice(0, 300)}`;
          continue;
        }
        if (!record) continue;
        result.latenciesMs.push(answer.ms);
        if (result.sampleBodies.length < 3) result.sampleBodies.push(answer.text);
      }
    };
    await Promise.all(Array.from({ length: spec.concurrency }, loop));
  };

  await drive(spec.warmup, false, performance.now() + spec.maxMs);
  const started = performance.now();
  await drive(spec.count, true, started + spec.maxMs);
  result.elapsedMs = performance.now() - started;
  return result;
}

const port = parentPort;
if (!port) throw new Error('load-worker.ts must run in a worker thread');
port.on('message', (msg: ToWorker) => {
  runPhase(msg.spec).then(
    (result) => port.postMessage({ id: msg.id, result } satisfies FromWorker),
    (err: unknown) => port.postMessage({ id: msg.id, error: String(err) } satisfies FromWorker),
  );
});
