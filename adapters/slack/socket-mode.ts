/**
 * Slack Socket Mode, for local use (SLACK_APP_TOKEN, an app-level `xapp-` token with
 * `connections:write`): no public URL, Slack sends events, slash commands and interactions over a
 * WebSocket. bolt's `SocketModeReceiver` owns the connection (`apps.connections.open` on
 * `apiUrl`, the socket, pings, reconnects); each envelope's payload becomes the same
 * `SlackInbound` the HTTP route parses and goes to `onInbound`, and the envelope is acknowledged
 * with what it answered (a slash command's ephemeral text, like the HTTP response body).
 *
 * Parley does not run bolt's `App`: the receiver's only call into its app is
 * `processEvent(event)`, so a small object with that method stands in for it.
 */
import type { App, ReceiverEvent } from '@slack/bolt';
import type { Logger } from '../../src/ports/logger.js';
import { parseSocketModePayload } from './inbound.js';
import type { SlackInbound } from './types.js';
import { slackLogger } from './web-client.js';

export interface SlackSocketModeOptions {
  appToken: string;
  /** Where `apps.connections.open` is called: `https://slack.com/api/` or a fake's. */
  apiUrl: string;
  logger: Logger;
  /** Handles one envelope; what it returns is the acknowledgement's payload. */
  onInbound(inbound: SlackInbound): Promise<Record<string, unknown> | undefined>;
}

export interface SlackSocket {
  stop(): Promise<void>;
}

/** Starts connecting (in the background) and returns at once. */
export async function startSlackSocketMode(opts: SlackSocketModeOptions): Promise<SlackSocket> {
  // Loaded only when Socket Mode is on.
  const { SocketModeReceiver, LogLevel } = await import('@slack/bolt');
  const logger = opts.logger.child({ component: 'slack-socket-mode' });
  const receiver = new SocketModeReceiver({
    appToken: opts.appToken,
    logger: slackLogger(logger, 'slack-socket-mode'),
    logLevel: LogLevel.INFO,
    installerOptions: { clientOptions: { slackApiUrl: opts.apiUrl } },
  });

  async function processEvent(event: ReceiverEvent): Promise<void> {
    const parsed = parseSocketModePayload(
      event.body,
      compactRetry(event.retryNum, event.retryReason),
    );
    if (!parsed.ok) {
      // Acknowledged all the same: a payload we cannot read will not read better redelivered.
      logger.warn({ error: parsed.error }, 'slack socket envelope not understood');
      await event.ack();
      return;
    }
    let answer: Record<string, unknown> | undefined;
    try {
      answer = await opts.onInbound(parsed.inbound);
    } catch (err) {
      // Not acknowledged: Slack redelivers it (event ids dedupe what was already recorded).
      logger.error({ err, kind: parsed.inbound.kind }, 'slack socket envelope failed');
      return;
    }
    await event.ack(answer);
  }
  receiver.init({ processEvent } as unknown as App);
  // Not awaited: the client retries `apps.connections.open` and reconnects by itself, and
  // Parley's start must not hang on it (Slack unreachable, a wrong token).
  receiver.start().then(
    () => logger.info('Slack Socket Mode connected'),
    (err: unknown) =>
      logger.error({ err }, 'Slack Socket Mode could not connect: check SLACK_APP_TOKEN'),
  );
  return {
    async stop() {
      await receiver.stop();
    },
  };
}

function compactRetry(retryNum?: number, retryReason?: string) {
  return {
    ...(retryNum !== undefined ? { retryNum } : {}),
    ...(retryReason ? { retryReason } : {}),
  };
}
