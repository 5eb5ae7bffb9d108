/**
 * ask_choice: options from the flow or from the tenant's categories. Up to 3 options are buttons
 * (WhatsApp's limit), more are a list (at most 10 rows). An answer matches by button id, by the
 * option's number ("2"), by its id, or by its label in any language, case-insensitively.
 */
import { DEFAULT_CATEGORIES } from '../../domain/vocabulary.js';
import { reprompt, say, stepButton, tappedOption, typedText } from '../effects.js';
import type { StepOf } from '../flow-definition.js';
import type { FlowContext, FlowEffect, FlowInput } from '../flow-types.js';
import { matchesLabel, normalize } from '../lexicon.js';
import type { StepEnv, WaitingStepHandler } from '../step-types.js';

type Step = StepOf<'ask_choice'>;
export interface ChoiceOption {
  id: string;
  key: string;
}

export const MAX_BUTTONS = 3;
export const MAX_LIST_ROWS = 10;

export function categoryOptions(ctx: FlowContext): ChoiceOption[] {
  const keys = ctx.categories.length > 0 ? ctx.categories.map((c) => c.key) : DEFAULT_CATEGORIES;
  return keys.map((key) => ({ id: key, key: `category.${key}` }));
}

export function optionsOf(step: Step, ctx: FlowContext): ChoiceOption[] {
  return step.options ?? categoryOptions(ctx);
}

/** Buttons for up to 3 options, else a list; ids are `<step id>:<option id>`. */
export function renderChoice(
  key: string,
  stepId: string,
  options: ChoiceOption[],
  listButtonKey: string,
  params?: Record<string, string | number>,
): FlowEffect {
  const rows = options.map((o) => stepButton(stepId, o.id, o.key));
  if (rows.length <= MAX_BUTTONS) return say(key, params, { buttons: rows });
  return say(key, params, {
    list: { buttonKey: listButtonKey, rows: rows.slice(0, MAX_LIST_ROWS) },
  });
}

export function matchOption(
  options: ChoiceOption[],
  input: FlowInput,
  stepId: string,
  language: string,
): ChoiceOption | undefined {
  const tapped = tappedOption(input, stepId);
  if (tapped !== undefined) return options.find((o) => o.id === tapped);
  const text = typedText(input);
  if (text === undefined) return undefined;
  const typed = normalize(text);
  if (/^\d{1,2}$/.test(typed)) return options[Number(typed) - 1];
  return (
    options.find((o) => typed === o.id || typed === o.id.replace(/_/g, ' ')) ??
    options.find((o) => matchesLabel(text, o.key, language))
  );
}

export const askChoice: WaitingStepHandler<Step> = {
  prompt(step: Step, env: StepEnv) {
    return [renderChoice(step.key, env.stepId, optionsOf(step, env.ctx), step.listButtonKey)];
  },
  answer(step, env, input) {
    const option = matchOption(optionsOf(step, env.ctx), input, env.stepId, env.language);
    if (!option) return reprompt(say('prompt.choose_option'), askChoice.prompt(step, env));
    return {
      action: 'go',
      next: step.branches?.[option.id] ?? step.next ?? null,
      data: { ...env.data, [step.field]: option.id },
      effects: [],
    };
  },
};
