/** What step handlers see and return. Handlers are pure: no I/O, time only from `ctx.now`. */
import type { FlowDefinition, FlowStep, StepOf } from './flow-definition.js';
import type { FlowContext, FlowEffect, FlowInput } from './flow-types.js';

export type FlowData = Record<string, unknown>;

export interface StepEnv {
  flow: FlowDefinition;
  stepId: string;
  data: FlowData;
  language: string;
  ctx: FlowContext;
}

/** `wait`: stay on this step for the customer's answer; `go`: move to `next` (null ends the flow). */
export type StepOutcome =
  | { action: 'wait'; effects: FlowEffect[]; data?: FlowData }
  | { action: 'go'; next: string | null; effects: FlowEffect[]; data?: FlowData };

/** A step that asks: it prompts when the flow arrives and then reads the answer. */
export interface WaitingStepHandler<S extends FlowStep> {
  prompt(step: S, env: StepEnv): FlowEffect[];
  answer(step: S, env: StepEnv, input: FlowInput): StepOutcome;
}

/** A step that runs at once. */
export interface AutoStepHandler<S extends FlowStep> {
  run(step: S, env: StepEnv): StepOutcome;
}

export type WaitingKind =
  'ask_text' | 'ask_choice' | 'ask_photo' | 'ask_date' | 'ask_reference' | 'confirm';
export type AutoKind = Exclude<FlowStep['kind'], WaitingKind>;

export type WaitingHandlers = { [K in WaitingKind]: WaitingStepHandler<StepOf<K>> };
export type AutoHandlers = { [K in AutoKind]: AutoStepHandler<StepOf<K>> };
