/**
 * The engine's entry point: `runFlowStep(flows, state, input, ctx)` → next state + effects.
 * Order: CSAT buttons → global commands (language, human, status, new issue, start, cancel, help)
 * → awaited CSAT rating → the active flow's step → CSAT yes/no words → threading into the newest
 * open ticket → a new intake. A customer's input always
 * gets at least one effect; only threading (append_to_ticket) is silent.
 */
import { detectCommand, type GlobalCommand } from './commands.js';
import { CSAT_FLOW, csatPayload, csatTyped, csatTypedRating } from './csat.js';
import { say, typedText } from './effects.js';
import type { FlowRegistry } from './flow-definition.js';
import type { ConversationState, FlowContext, FlowInput, StepResult } from './flow-types.js';
import { answerStep, currentStep, idle, startFlow } from './flow-walker.js';
import { changeLanguage, handToHuman, replyInPlace, statusReply } from './global-replies.js';

export const INTAKE_FLOW = 'intake';
/** Long enough to be a description of the problem rather than "hi": it prefills one. */
const FIRST_MESSAGE_MIN_CHARS = 25;
const FIRST_MESSAGE_MIN_CJK_CHARS = 12;

function describesProblem(text: string | undefined): boolean {
  if (!text || text.startsWith('/')) return false;
  const chars = [...text.trim()].length;
  if (/[\u3400-\u9fff]/u.test(text)) return chars >= FIRST_MESSAGE_MIN_CJK_CHARS;
  return chars >= FIRST_MESSAGE_MIN_CHARS && text.trim().split(/\s+/).length >= 4;
}

function startIntake(
  flows: FlowRegistry,
  state: ConversationState,
  ctx: FlowContext,
  firstMessage?: string,
): StepResult {
  const intake = flows[INTAKE_FLOW];
  if (!intake) {
    return { state: idle(state), effects: [{ type: 'request_human' }, say('human.handoff')] };
  }
  const data = describesProblem(firstMessage) ? { first_message: firstMessage?.trim() } : {};
  return startFlow(intake, idle(state), ctx, data);
}

function runCommand(
  command: GlobalCommand,
  flows: FlowRegistry,
  state: ConversationState,
  ctx: FlowContext,
): StepResult | null {
  switch (command.kind) {
    case 'language':
      return changeLanguage(flows, state, command.code, ctx);
    case 'human':
      return handToHuman(state);
    case 'status':
      return replyInPlace(flows, state, ctx, statusReply(ctx));
    case 'help':
      return replyInPlace(flows, state, ctx, [say('help.text')]);
    case 'unknown_command':
      return replyInPlace(flows, state, ctx, [say('help.unknown_command'), say('help.text')]);
    case 'new_issue':
      return startIntake(flows, state, ctx);
    case 'start': {
      const newest = ctx.openTickets[0];
      if (newest && !ctx.receipt) {
        return {
          state: idle(state),
          effects: [say('flow.threading_note', { number: newest.number })],
        };
      }
      return startIntake(flows, state, ctx);
    }
    case 'cancel':
      if (state.flow !== null) return { state: idle(state), effects: [say('flow.cancelled')] };
      // Idle "cancel" typed to an open ticket is a message for the agent ("cancel my order").
      if (!command.explicit && ctx.openTickets.length > 0) return null;
      return { state, effects: [say('flow.nothing_to_cancel')] };
  }
}

/** A state left by a flow or step that no longer exists (flows changed since) is idle. */
function sanitize(flows: FlowRegistry, state: ConversationState): ConversationState {
  if (state.flow === null || state.flow === CSAT_FLOW) return state;
  return currentStep(flows, state) ? state : idle(state);
}

function route(
  flows: FlowRegistry,
  stored: ConversationState,
  input: FlowInput,
  ctx: FlowContext,
): StepResult {
  const state = sanitize(flows, stored);
  const csatButton = csatPayload(state, input, ctx);
  if (csatButton) return csatButton;

  const command = detectCommand(input);
  const commandResult = command ? runCommand(command, flows, state, ctx) : null;
  if (commandResult) return commandResult;

  const rating = csatTypedRating(state, input);
  if (rating) return rating;

  const current = currentStep(flows, state);
  if (current) return answerStep(current.flow, current.stepId, state, input, ctx);
  const idleState = idle(state);

  const csatAnswer = csatTyped(idleState, input, ctx);
  if (csatAnswer) return csatAnswer;

  const newest = ctx.openTickets[0];
  if (newest) {
    return {
      state: idleState,
      effects: [{ type: 'append_to_ticket', ticketNumber: newest.number }],
    };
  }
  return startIntake(flows, idleState, ctx, typedText(input));
}

export function runFlowStep(
  flows: FlowRegistry,
  state: ConversationState,
  input: FlowInput,
  ctx: FlowContext,
): StepResult {
  try {
    return route(flows, state, input, ctx);
  } catch {
    // A broken flow must not leave the customer in silence or stuck in it.
    return { state: idle(state), effects: [say('error.generic')] };
  }
}
