/**
 * Whether an agent is at their desk, as their chat workspace sees it (Slack presence). Automatic
 * assignment asks it when the tenant counts presence as availability. Implementations answer
 * quickly (cached) and never throw: when they cannot tell, the agent counts as present.
 */
export interface AgentPresence {
  /** True when the workspace user shows as away. */
  isAway(workspaceUserId: string): Promise<boolean>;
}
