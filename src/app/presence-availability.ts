/**
 * Slack presence as availability (tenant setting `slack_presence_availability`): when it is on,
 * a group member with a Slack user whose presence is away is not available for automatic
 * assignment. Only members who could otherwise take a ticket are looked up; the port caches and
 * never throws (an unknown presence counts as available).
 */
import { type AssignmentCandidate, isEligible } from '../domain/assignment.js';
import type { Stores } from '../ports/stores.js';
import type { AppDeps } from './context.js';

export async function applyPresence(
  s: Pick<Stores, 'tenants'>,
  deps: Pick<AppDeps, 'presence'>,
  tenantId: string,
  members: AssignmentCandidate[],
): Promise<AssignmentCandidate[]> {
  const presence = deps.presence;
  if (!presence || !members.some((m) => m.slackUserId && isEligible(m))) return members;
  const tenant = await s.tenants.findById(tenantId);
  if (tenant?.settings.slack_presence_availability !== true) return members;
  return Promise.all(
    members.map(async (m) =>
      m.slackUserId && isEligible(m) && (await presence.isAway(m.slackUserId))
        ? { ...m, available: false }
        : m,
    ),
  );
}
