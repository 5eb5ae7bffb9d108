/**
 * Abandoned flows: the pipeline schedules these (e.g. a nudge after 30 minutes of silence, expiry
 * after 24 hours) and sends their effects. A flow is reminded once, then it expires.
 */
import { say } from './effects.js';
import type { FlowRegistry } from './flow-definition.js';
import type { ConversationState, FlowContext, StepResult } from './flow-types.js';
import { idle, promptAgain } from './flow-walker.js';

/** Whether the conversation is inside a flow that can be reminded and expired. */
export function isAwaitingAnswer(flows: FlowRegistry, state: ConversationState): boolean {
  return state.flow !== null && flows[state.flow] !== undefined;
}

/** "Are you still there?" and the pending question again; the state is unchanged. */
export function remindFlow(
  flows: FlowRegistry,
  state: ConversationState,
  ctx: FlowContext,
): StepResult {
  if (!isAwaitingAnswer(flows, state)) return { state, effects: [] };
  return { state, effects: [say('reminder.nudge'), ...promptAgain(flows, state, ctx)] };
}

/** The flow ends unanswered: back to idle, with a note (nothing when the bot was idle). */
export function expireFlow(flows: FlowRegistry, state: ConversationState): StepResult {
  if (state.flow === null) return { state, effects: [] };
  const effects = isAwaitingAnswer(flows, state) ? [say('reminder.expired')] : [];
  return { state: idle(state), effects };
}
