/** The steps that run at once: say, branch, set. */
import { say as sayEffect } from '../effects.js';
import type { StepOf } from '../flow-definition.js';
import type { AutoStepHandler } from '../step-types.js';

export const say: AutoStepHandler<StepOf<'say'>> = {
  run(step) {
    return { action: 'go', next: step.next ?? null, effects: [sayEffect(step.key)] };
  },
};

export const branch: AutoStepHandler<StepOf<'branch'>> = {
  run(step, env) {
    const value = env.data[step.field];
    const key = value === undefined || value === null ? '' : String(value);
    const next = Object.hasOwn(step.cases, key) ? step.cases[key] : undefined;
    return { action: 'go', next: next ?? step.default, effects: [] };
  },
};

export const set: AutoStepHandler<StepOf<'set'>> = {
  run(step, env) {
    return { action: 'go', next: step.next, data: { ...env.data, ...step.values }, effects: [] };
  },
};
