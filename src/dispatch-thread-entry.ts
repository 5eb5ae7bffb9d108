/**
 * The dispatch thread (src/dispatch-thread.ts): Parley as PARLEY_ROLE=worker with the
 * configuration the process handed over; stops on `{type: 'stop'}` and then ends the thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from './config.js';
import type { DispatchThreadMessage } from './dispatch-thread.js';
import { startParley } from './parley.js';

const port = parentPort;
if (!port) throw new Error('dispatch-thread-entry runs as a worker thread only');
const post = (m: DispatchThreadMessage) => port.postMessage(m);

try {
  const { config } = workerData as { config: Config };
  const parley = await startParley(config);
  port.on('message', (m: { type?: string }) => {
    if (m.type !== 'stop') return;
    parley
      .stop()
      .catch((err: unknown) => parley.logger.error({ err }, 'dispatch thread: stop failed'))
      .finally(() => process.exit(0)); // in a worker thread: ends this thread only
  });
  post({ type: 'ready' });
} catch (err) {
  post({ type: 'failed', error: err instanceof Error ? err.message : String(err) });
  process.exit(1);
}
