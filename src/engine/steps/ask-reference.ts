/** ask_reference: an order or invoice number checked against the step's pattern; optional skip. */
import { reprompt, say, said, stepButton, typedText } from '../effects.js';
import type { StepOf } from '../flow-definition.js';
import type { WaitingStepHandler } from '../step-types.js';

type Step = StepOf<'ask_reference'>;
const MAX_INPUT = 100;

function skipButtons(step: Step, stepId: string) {
  return step.skip ? { buttons: [stepButton(stepId, 'skip', 'button.skip')] } : {};
}

/** The reference as typed, or with its inner spaces removed ("ORD 123" → "ORD123"). */
export function matchReference(pattern: string, text: string): string | undefined {
  if (text.length > MAX_INPUT) return undefined;
  const regex = new RegExp(pattern);
  const compact = text.replace(/\s+/g, '');
  return [text, compact].find((candidate) => regex.test(candidate));
}

export const askReference: WaitingStepHandler<Step> = {
  prompt(step, env) {
    return [say(step.key, undefined, skipButtons(step, env.stepId))];
  },
  answer(step, env, input) {
    if (step.skip && said(input, env.stepId, 'skip', 'skip')) {
      return { action: 'go', next: step.next, effects: [] };
    }
    const text = input.buttonPayload === undefined ? typedText(input) : undefined;
    if (text === undefined)
      return reprompt(say('prompt.text_expected'), askReference.prompt(step, env));
    const value = matchReference(step.pattern, text);
    if (value === undefined) {
      return {
        action: 'wait',
        effects: [say(step.refusalKey, undefined, skipButtons(step, env.stepId))],
      };
    }
    return {
      action: 'go',
      next: step.next,
      data: { ...env.data, [step.field]: value },
      effects: [],
    };
  },
};
