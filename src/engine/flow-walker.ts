/**
 * Moves a conversation through a flow: runs the at-once steps, stops at the next step that asks
 * (emitting its prompt), or ends the flow. Also answers the waiting step with the customer's input.
 */
import { hasValue } from './effects.js';
import type { FlowDefinition, FlowStep } from './flow-definition.js';
import type {
  ConversationState,
  FlowContext,
  FlowEffect,
  FlowInput,
  StepResult,
} from './flow-types.js';
import type {
  AutoStepHandler,
  FlowData,
  StepEnv,
  StepOutcome,
  WaitingStepHandler,
} from './step-types.js';
import { AUTO_HANDLERS, WAITING_HANDLERS } from './steps/index.js';

/** More at-once steps in a row than this means a loop parseFlow missed. */
const MAX_AUTO_STEPS = 100;

export function idle(state: ConversationState): ConversationState {
  return { flow: null, step: null, data: {}, language: state.language };
}

function waitingHandler(step: FlowStep): WaitingStepHandler<FlowStep> | undefined {
  return (WAITING_HANDLERS as Record<string, WaitingStepHandler<FlowStep> | undefined>)[step.kind];
}

function autoHandler(step: FlowStep): AutoStepHandler<FlowStep> {
  const handler = (AUTO_HANDLERS as Record<string, AutoStepHandler<FlowStep> | undefined>)[
    step.kind
  ];
  if (!handler) throw new Error(`no handler for step kind ${step.kind}`);
  return handler;
}

/** `receipt.invoice_ref` or `data.first_message`: a known answer skips the question. */
function prefilled(step: FlowStep, env: StepEnv): StepOutcome | null {
  if (!('prefill' in step) || !step.prefill) return null;
  const [source, name = ''] = step.prefill.from.split('.');
  const from: Record<string, unknown> = source === 'receipt' ? (env.ctx.receipt ?? {}) : env.data;
  const value = from[name];
  if (!hasValue(value)) return null;
  const data: FlowData = { ...env.data, [step.prefill.into ?? step.field]: String(value).trim() };
  if (source === 'data') delete data[name];
  return { action: 'go', next: step.next, data, effects: [] };
}

function envFor(
  flow: FlowDefinition,
  stepId: string,
  data: FlowData,
  state: ConversationState,
  ctx: FlowContext,
): StepEnv {
  return { flow, stepId, data, language: state.language, ctx };
}

/** Enters `stepId` (null: end the flow) and keeps going until a step waits or the flow ends. */
export function enterStep(
  flow: FlowDefinition,
  stepId: string | null,
  data: FlowData,
  state: ConversationState,
  ctx: FlowContext,
  effects: FlowEffect[] = [],
): StepResult {
  let current = stepId;
  let currentData = data;
  for (let count = 0; count < MAX_AUTO_STEPS; count++) {
    if (current === null) return { state: idle(state), effects };
    const step = flow.steps[current];
    if (!step) throw new Error(`flow ${flow.name}: unknown step ${current}`);
    const env = envFor(flow, current, currentData, state, ctx);
    const waiting = waitingHandler(step);
    const outcome: StepOutcome = waiting
      ? (prefilled(step, env) ?? { action: 'wait', effects: waiting.prompt(step, env) })
      : autoHandler(step).run(step, env);
    effects.push(...outcome.effects);
    currentData = outcome.data ?? currentData;
    if (outcome.action === 'wait') {
      return {
        state: { ...state, flow: flow.name, step: current, data: currentData },
        effects,
      };
    }
    current = outcome.next;
  }
  throw new Error(`flow ${flow.name}: too many steps without a question`);
}

export function startFlow(
  flow: FlowDefinition,
  state: ConversationState,
  ctx: FlowContext,
  data: FlowData = {},
  effects: FlowEffect[] = [],
): StepResult {
  return enterStep(flow, flow.start, data, state, ctx, effects);
}

/** The waiting step the state points at, or null when the state is idle or stale. */
export function currentStep(
  flows: Readonly<Record<string, FlowDefinition>>,
  state: ConversationState,
): { flow: FlowDefinition; stepId: string; step: FlowStep } | null {
  if (state.flow === null || state.step === null) return null;
  const flow = flows[state.flow];
  const step = flow?.steps[state.step];
  if (!flow || !step || !waitingHandler(step)) return null;
  return { flow, stepId: state.step, step };
}

/** The current question again (after a command mid-flow, a reminder, a language change). */
export function promptAgain(
  flows: Readonly<Record<string, FlowDefinition>>,
  state: ConversationState,
  ctx: FlowContext,
): FlowEffect[] {
  const current = currentStep(flows, state);
  if (!current) return [];
  const env = envFor(current.flow, current.stepId, state.data, state, ctx);
  return waitingHandler(current.step)?.prompt(current.step, env) ?? [];
}

/** The customer's answer to the waiting step. */
export function answerStep(
  flow: FlowDefinition,
  stepId: string,
  state: ConversationState,
  input: FlowInput,
  ctx: FlowContext,
): StepResult {
  const step = flow.steps[stepId];
  const handler = step ? waitingHandler(step) : undefined;
  if (!step || !handler) throw new Error(`flow ${flow.name}: ${stepId} does not wait`);
  const outcome = handler.answer(step, envFor(flow, stepId, state.data, state, ctx), input);
  const data = outcome.data ?? state.data;
  if (outcome.action === 'wait') {
    return { state: { ...state, flow: flow.name, step: stepId, data }, effects: outcome.effects };
  }
  return enterStep(flow, outcome.next, data, state, ctx, [...outcome.effects]);
}
