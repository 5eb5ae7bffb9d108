/** ask_date: a real date not in the future (see date-parse.ts), with an optional skip. */
import { parseCustomerDate } from '../date-parse.js';
import { reprompt, say, said, stepButton, typedText } from '../effects.js';
import type { StepOf } from '../flow-definition.js';
import type { WaitingStepHandler } from '../step-types.js';

type Step = StepOf<'ask_date'>;

export const askDate: WaitingStepHandler<Step> = {
  prompt(step, env) {
    const buttons = step.skip ? [stepButton(env.stepId, 'skip', 'button.skip')] : undefined;
    return [say(step.key, undefined, buttons ? { buttons } : {})];
  },
  answer(step, env, input) {
    if (step.skip && said(input, env.stepId, 'skip', 'skip')) {
      return { action: 'go', next: step.next, effects: [] };
    }
    const text = input.buttonPayload === undefined ? typedText(input) : undefined;
    if (text === undefined) return reprompt(say('prompt.text_expected'), askDate.prompt(step, env));
    const parsed = parseCustomerDate(text, env.ctx.now);
    if (!parsed.ok) {
      const refusal = parsed.reason === 'future' ? 'date.future' : 'date.invalid';
      const buttons = step.skip ? [stepButton(env.stepId, 'skip', 'button.skip')] : undefined;
      return { action: 'wait', effects: [say(refusal, undefined, buttons ? { buttons } : {})] };
    }
    return {
      action: 'go',
      next: step.next,
      data: { ...env.data, [step.field]: parsed.date },
      effects: [],
    };
  },
};
