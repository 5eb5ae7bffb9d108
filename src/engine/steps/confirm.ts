/**
 * confirm: a summary (params taken from the answers, labels resolved in the customer's language)
 * with Yes / No buttons; `yes` and `no` name the next steps.
 */
import { hasValue, reprompt, say, said, stepButton } from '../effects.js';
import type { StepOf } from '../flow-definition.js';
import { label } from '../lexicon.js';
import type { StepEnv, WaitingStepHandler } from '../step-types.js';

type Step = StepOf<'confirm'>;
/** WhatsApp caps an interactive message's body at 1024 characters: keep each value short. */
const MAX_PARAM_CHARS = 300;

function shorten(text: string): string {
  const chars = [...text];
  return chars.length <= MAX_PARAM_CHARS
    ? text
    : `${chars.slice(0, MAX_PARAM_CHARS - 1).join('')}…`;
}

export function summaryParams(step: Step, env: StepEnv): Record<string, string | number> {
  const params: Record<string, string | number> = {};
  for (const [name, spec] of Object.entries(step.params)) {
    const fields = Array.isArray(spec.field) ? spec.field : [spec.field];
    const value = fields.map((f) => env.data[f]).find(hasValue);
    if (value === undefined) params[name] = label(env.language, step.emptyKey);
    else if (spec.labelPrefix)
      params[name] = label(env.language, `${spec.labelPrefix}.${String(value)}`);
    else if (typeof value === 'number') params[name] = value;
    else params[name] = shorten(String(value));
  }
  return params;
}

export const confirm: WaitingStepHandler<Step> = {
  prompt(step, env) {
    return [
      say(step.key, summaryParams(step, env), {
        buttons: [
          stepButton(env.stepId, 'yes', 'button.yes'),
          stepButton(env.stepId, 'no', 'button.no'),
        ],
      }),
    ];
  },
  answer(step, env, input) {
    if (said(input, env.stepId, 'yes', 'yes')) return { action: 'go', next: step.yes, effects: [] };
    if (said(input, env.stepId, 'no', 'no')) return { action: 'go', next: step.no, effects: [] };
    return reprompt(say('prompt.yes_or_no'), confirm.prompt(step, env));
  },
};
