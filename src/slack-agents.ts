/**
 * Who a Slack user is in Parley: the agent with that `slack_user_id`, or (on first use) the
 * active agent with the Slack profile's email; `@name`/email mentions in commands resolve too.
 * Profile emails are looked up once per user while the process runs.
 */
import type { SlackWebClient } from '../adapters/slack/web-client.js';
import type { AppDeps } from './app/context.js';
import type { ResolveUser } from './app/run-agent-command.js';
import type { Agent, Tenant } from './domain/records.js';

export interface SlackAgentDirectory {
  findAgent(slackUserId: string): Promise<Agent | null>;
  resolveUser: ResolveUser;
}

export function slackAgentDirectory(
  deps: AppDeps,
  client: Pick<SlackWebClient, 'usersInfo'>,
  tenant: () => Promise<Tenant>,
): SlackAgentDirectory {
  const emails = new Map<string, string | null>();

  async function findAgent(slackUserId: string): Promise<Agent | null> {
    const agents = await deps.uow.read.agents.list((await tenant()).id);
    const byId = agents.find((a) => a.slackUserId === slackUserId);
    if (byId) return byId.active ? byId : null;
    if (!emails.has(slackUserId)) {
      emails.set(
        slackUserId,
        (await client.usersInfo(slackUserId).catch(() => null))?.email?.toLowerCase() ?? null,
      );
    }
    const email = emails.get(slackUserId);
    return (email && agents.find((a) => a.email === email && a.active)) || null;
  }
  const resolveUser: ResolveUser = async (mention) => {
    if (mention.kind === 'slack') return findAgent(mention.userId);
    const agents = await deps.uow.read.agents.list((await tenant()).id);
    if (mention.kind === 'email')
      return agents.find((a) => a.email === mention.email.toLowerCase()) ?? null;
    return agents.find((a) => a.name === mention.username) ?? null;
  };
  return { findAgent, resolveUser };
}
