/** ask_text: free text of at least `minLength` characters (a photo's caption counts). */
import { reprompt, say, typedText } from '../effects.js';
import type { StepOf } from '../flow-definition.js';
import type { WaitingStepHandler } from '../step-types.js';

type Step = StepOf<'ask_text'>;

export const askText: WaitingStepHandler<Step> = {
  prompt(step) {
    return [say(step.key)];
  },
  answer(step, env, input) {
    const text = input.buttonPayload === undefined ? typedText(input) : undefined;
    if (text === undefined) return reprompt(say('prompt.text_expected'), askText.prompt(step, env));
    if ([...text].length < step.minLength) {
      return reprompt(
        say('prompt.text_too_short', { min: step.minLength }),
        askText.prompt(step, env),
      );
    }
    const value = [...text].slice(0, step.maxLength).join('');
    return {
      action: 'go',
      next: step.next,
      data: { ...env.data, [step.field]: value },
      effects: [],
    };
  },
};
