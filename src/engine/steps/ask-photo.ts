/**
 * ask_photo: counts the photos the customer sends (the pipeline keeps the files as the
 * conversation's media). Required always, never, or when the chosen category requires a photo.
 * "Done" moves on once there is at least one photo; "Skip" when photos are optional.
 */
import { isImage, reprompt, say, said, stepButton } from '../effects.js';
import type { StepOf } from '../flow-definition.js';
import type { WaitingStepHandler, StepEnv } from '../step-types.js';

type Step = StepOf<'ask_photo'>;

export function photosRequired(step: Step, env: StepEnv): boolean {
  if (typeof step.required === 'boolean') return step.required;
  const category = env.data[step.categoryField];
  return env.ctx.categories.some((c) => c.key === category && c.requires_photo);
}

function photoCount(step: Step, env: StepEnv): number {
  const count = Number(env.data[step.field] ?? 0);
  return Number.isFinite(count) && count > 0 ? Math.floor(count) : 0;
}

function buttonsFor(step: Step, env: StepEnv, count: number) {
  if (count > 0) return { buttons: [stepButton(env.stepId, 'done', 'button.done')] };
  if (!photosRequired(step, env))
    return { buttons: [stepButton(env.stepId, 'skip', 'button.skip')] };
  return {};
}

export const askPhoto: WaitingStepHandler<Step> = {
  prompt(step, env) {
    const key = photosRequired(step, env) ? step.key : (step.optionalKey ?? step.key);
    return [say(key, undefined, buttonsFor(step, env, photoCount(step, env)))];
  },
  answer(step, env, input) {
    const required = photosRequired(step, env);
    const before = photoCount(step, env);
    const media = input.media ?? [];
    const photos = media.filter(isImage).length;
    if (photos > 0) {
      const count = before + photos;
      const data = { ...env.data, [step.field]: count };
      if (count >= step.max) return { action: 'go', next: step.next, data, effects: [] };
      return {
        action: 'wait',
        data,
        effects: [say('photo.received', { count }, buttonsFor(step, env, count))],
      };
    }
    if (media.length > 0) return reprompt(say('photo.not_a_photo'), askPhoto.prompt(step, env));
    const finished =
      said(input, env.stepId, 'done', 'done') || said(input, env.stepId, 'skip', 'skip');
    if (finished && (before > 0 || !required)) {
      return {
        action: 'go',
        next: step.next,
        data: { ...env.data, [step.field]: before },
        effects: [],
      };
    }
    const refusal = required && before === 0 ? 'photo.required' : 'prompt.not_understood';
    return reprompt(say(refusal), askPhoto.prompt(step, env));
  },
};
