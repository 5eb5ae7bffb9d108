/** Small builders for effects, button payloads and reading the customer's input. */
import type { FlowEffect, FlowInput } from './flow-types.js';
import { isKeyword, type KeywordKind } from './lexicon.js';
import type { StepOutcome } from './step-types.js';

export type SayEffect = Extract<FlowEffect, { type: 'say' }>;
export type Button = NonNullable<SayEffect['buttons']>[number];

export function say(
  key: string,
  params?: Record<string, string | number>,
  extra: Pick<SayEffect, 'buttons' | 'list'> = {},
): SayEffect {
  return { type: 'say', key, ...(params ? { params } : {}), ...extra };
}

/** The payload of a step's button: `<step id>:<option id>`. */
export function payloadFor(stepId: string, optionId: string): string {
  return `${stepId}:${optionId}`;
}

export function stepButton(stepId: string, optionId: string, key: string): Button {
  return { id: payloadFor(stepId, optionId), key };
}

/** The option id when `input` is a tap on one of this step's buttons. */
export function tappedOption(input: FlowInput, stepId: string): string | undefined {
  const payload = input.buttonPayload;
  const prefix = `${stepId}:`;
  return payload?.startsWith(prefix) ? payload.slice(prefix.length) : undefined;
}

/** The typed text, trimmed; undefined when there is none. */
export function typedText(input: FlowInput): string | undefined {
  const text = input.text?.trim();
  return text ? text : undefined;
}

/** A tap on this step's `optionId` button, or one of the `kind` words typed. */
export function said(
  input: FlowInput,
  stepId: string,
  optionId: string,
  kind: KeywordKind,
): boolean {
  if (input.buttonPayload !== undefined) return tappedOption(input, stepId) === optionId;
  return isKeyword(typedText(input), kind);
}

/** A refusal followed by the step's prompt again: never silence. */
export function reprompt(refusal: SayEffect, prompt: FlowEffect[]): StepOutcome {
  return { action: 'wait', effects: [refusal, ...prompt] };
}

export function isImage(media: NonNullable<FlowInput['media']>[number]): boolean {
  return (
    media.kind === 'photo' || (media.kind === 'document' && !!media.mimeType?.startsWith('image/'))
  );
}

/** Whether a value counts as answered (not undefined, null or blank). */
export function hasValue(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  return typeof value !== 'string' || value.trim().length > 0;
}
