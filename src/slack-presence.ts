/**
 * The AgentPresence port on Slack's `users.getPresence`, each answer kept for `ttlMs` (60 s by
 * default) so assignment does not ask Slack for every ticket. A Slack error (or a slow answer)
 * counts as present, is logged, and is not kept: the next assignment asks again.
 */
import type { SlackWebClient } from '../adapters/slack/web-client.js';
import type { Clock } from './domain/clock.js';
import type { AgentPresence } from './ports/agent-presence.js';
import type { Logger } from './ports/logger.js';

export const PRESENCE_TTL_MS = 60_000;
/** Assignment waits for presence inside a transaction: keep that short. */
export const PRESENCE_TIMEOUT_MS = 2_000;
const MAX_ENTRIES = 10_000;

export function slackPresence(
  client: Pick<SlackWebClient, 'getPresence'>,
  opts: { clock: Clock; logger: Logger; ttlMs?: number },
): AgentPresence {
  const ttlMs = opts.ttlMs ?? PRESENCE_TTL_MS;
  const known = new Map<string, { away: boolean; until: number }>();
  return {
    async isAway(user) {
      const now = opts.clock.now().getTime();
      const cached = known.get(user);
      if (cached && cached.until > now) return cached.away;
      try {
        const away = (await client.getPresence(user)) === 'away';
        if (known.size >= MAX_ENTRIES) known.clear();
        known.set(user, { away, until: now + ttlMs });
        return away;
      } catch (err) {
        opts.logger.warn(
          { err, slack_user_id: user },
          'Slack presence unknown: counting the agent as available',
        );
        return false;
      }
    },
  };
}
