import { isEngineer, isSupervisorOrAbove, type Actor } from './actor.js';
import { businessRule, forbidden, invalid } from './errors.js';
import type { Resolution } from './records.js';
import { RESOLUTION_CODES, type ResolutionCode } from './vocabulary.js';

/**
 * Rules for resolving a ticket (CONTRACT.md: "→resolved (needs a resolution code)").
 *
 * Money-moving codes (`refund`, `credit_note`) need a supervisor's approval when a plain agent
 * resolves: the first attempt records an approval request instead of resolving; once a
 * supervisor approves it for the same code, the agent's next attempt resolves.
 */

export type { Resolution } from './records.js';

export type ApprovalStatus = 'pending' | 'approved' | 'rejected';

export type Approval = {
  status: ApprovalStatus;
  code: ResolutionCode;
  requested_by: string;
  decided_by?: string | null;
};

export type ResolutionDecision = { outcome: 'resolve' } | { outcome: 'request_approval' };

const APPROVAL_CODES: readonly ResolutionCode[] = ['refund', 'credit_note'];

/** Whether resolving with `code` needs a supervisor's approval (when a plain agent resolves). */
export function needsApproval(code: ResolutionCode): boolean {
  return APPROVAL_CODES.includes(code);
}

/**
 * Throws `unprocessable`/`resolution_required` when there is no resolution or no code, and
 * `invalid`/`invalid_request` when the code is not one of the contract's codes.
 */
export function assertResolution(
  resolution: Partial<Resolution> | null | undefined,
): asserts resolution is Resolution {
  if (!resolution || !resolution.code) {
    throw businessRule(
      'resolution_required',
      `Resolving a ticket needs a resolution code (one of: ${RESOLUTION_CODES.join(', ')})`,
      { key: 'resolution_required', params: { allowed: RESOLUTION_CODES.join(', ') } },
    );
  }
  if (!(RESOLUTION_CODES as readonly string[]).includes(resolution.code)) {
    throw invalid(
      `Unknown resolution code "${resolution.code}"; allowed: ${RESOLUTION_CODES.join(', ')}`,
      { field: 'resolution.code', allowed: [...RESOLUTION_CODES] },
      {
        key: 'unknown_resolution_code',
        params: { code: resolution.code, allowed: RESOLUTION_CODES.join(', ') },
      },
    );
  }
}

/**
 * What happens when `actor` resolves with `resolution`, given the ticket's latest approval
 * (if any):
 * - supervisor, admin, admin API key, system: `resolve` (self-approved);
 * - agent, code without approval: `resolve`;
 * - agent, refund/credit_note: `resolve` if the approval is `approved` for the same code;
 *   throws `approval_pending` if one is `pending` for the same code; otherwise
 *   `request_approval` (none yet, rejected, or an approval for another code — the new
 *   request supersedes it).
 * Engineers and customers never resolve → `forbidden`.
 */
export function decideResolution(input: {
  resolution: Partial<Resolution> | null | undefined;
  actor: Actor;
  approval?: Approval | null;
}): ResolutionDecision {
  const { resolution, actor, approval } = input;
  if (actor.type === 'customer' || isEngineer(actor)) {
    throw forbidden('Only agents may resolve tickets', { key: 'only_agents_resolve' });
  }
  assertResolution(resolution);
  if (actor.type === 'system' || isSupervisorOrAbove(actor)) return { outcome: 'resolve' };
  if (!needsApproval(resolution.code)) return { outcome: 'resolve' };

  const sameCode = approval != null && approval.code === resolution.code;
  if (sameCode && approval.status === 'approved') return { outcome: 'resolve' };
  if (sameCode && approval.status === 'pending') {
    throw businessRule(
      'approval_pending',
      `A supervisor has not yet decided the ${resolution.code} approval for this ticket`,
      { key: 'approval_pending', params: { code: resolution.code } },
    );
  }
  return { outcome: 'request_approval' };
}

/** Only supervisors, admins and admin API keys approve or reject; never the system. */
export function assertCanDecideApproval(actor: Actor): void {
  if (!isSupervisorOrAbove(actor)) {
    throw forbidden('Only a supervisor may approve or reject a resolution', {
      key: 'only_supervisor_decides_approval',
    });
  }
}
