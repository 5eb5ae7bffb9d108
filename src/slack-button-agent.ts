/**
 * What every Slack button that runs a use case does around it: find the agent who clicked (else
 * "you are not an agent of this team"), run the work as that agent in the tenant's staff
 * language, and answer that person with an ephemeral message — the work's answer, or the staff
 * text of the `ParleyError` it refused with.
 */
import type { SlackWebClient } from '../adapters/slack/web-client.js';
import type { AppDeps, RequestContext } from './app/context.js';
import { staffErrorText, staffTextFor } from './app/staff-text.js';
import { ParleyError } from './domain/errors.js';
import type { Agent, Tenant } from './domain/records.js';
import type { StaffT } from './ports/staff-translator.js';

export interface SlackButtonDeps {
  deps: AppDeps;
  client: SlackWebClient;
  tenant: () => Promise<Tenant>;
  findAgent: (slackUserId: string) => Promise<Agent | null>;
}

export async function answerAsClickingAgent(
  wiring: SlackButtonDeps,
  slackUserId: string,
  responseUrl: string | undefined,
  work: (ctx: RequestContext, t: StaffT) => Promise<string>,
): Promise<void> {
  const reply = async (text: string) => {
    if (responseUrl) {
      await wiring.client.respond(responseUrl, {
        response_type: 'ephemeral',
        replace_original: false,
        text,
      });
    }
  };
  const tenant = await wiring.tenant();
  const t = staffTextFor(wiring.deps, tenant);
  const agent = await wiring.findAgent(slackUserId);
  if (!agent) return reply(t('command.not_an_agent'));
  const ctx: RequestContext = { tenant, actor: { type: 'agent', id: agent.id, role: agent.role } };
  try {
    await reply(await work(ctx, t));
  } catch (err) {
    if (err instanceof ParleyError) return reply(staffErrorText(t, err));
    throw err;
  }
}
