/** Test helpers: a scripted conversation through runFlowStep with the default flows. */
import { defaultFlows } from '../../../flows/index.js';
import { defaultVocabulary } from '../../../src/domain/tenant-vocabulary.js';
import type { FlowRegistry } from '../../../src/engine/flow-definition.js';
import { runFlowStep } from '../../../src/engine/flow-runner.js';
import type {
  ConversationState,
  FlowContext,
  FlowEffect,
  FlowInput,
  StepResult,
} from '../../../src/engine/flow-types.js';
import { SUPPORTED_LANGUAGES } from '../../../src/locales.js';

export const NOW = new Date('2026-03-20T10:00:00Z');

export function makeCtx(overrides: Partial<FlowContext> = {}): FlowContext {
  return {
    now: NOW,
    categories: defaultVocabulary().categories,
    openTickets: [],
    firstResponseSeconds: 4 * 3600,
    supportedLanguages: SUPPORTED_LANGUAGES,
    ...overrides,
  };
}

export function idleState(language = 'en'): ConversationState {
  return { flow: null, step: null, data: {}, language };
}

export type SayEffect = Extract<FlowEffect, { type: 'say' }>;

export function sayKeys(effects: FlowEffect[]): string[] {
  return effects.filter((e): e is SayEffect => e.type === 'say').map((e) => e.key);
}

/** A conversation that keeps its state between messages, like the pipeline does. */
export class Chat {
  last: StepResult = { state: idleState(), effects: [] };

  constructor(
    public ctx: FlowContext = makeCtx(),
    public state: ConversationState = idleState(),
    private readonly flows: FlowRegistry = defaultFlows,
  ) {}

  send(input: FlowInput | string): StepResult {
    const normalized = typeof input === 'string' ? { text: input } : input;
    this.last = runFlowStep(this.flows, this.state, normalized, this.ctx);
    this.state = this.last.state;
    return this.last;
  }

  tap(payload: string): StepResult {
    return this.send({ buttonPayload: payload });
  }

  photo(count = 1): StepResult {
    return this.send({ media: Array.from({ length: count }, () => ({ kind: 'photo' as const })) });
  }

  /** The keys of the `say` effects of the last answer. */
  get keys(): string[] {
    return sayKeys(this.last.effects);
  }

  get effects(): FlowEffect[] {
    return this.last.effects;
  }

  /** The last say effect (usually the prompt with its buttons). */
  get prompt(): SayEffect {
    const says = this.last.effects.filter((e): e is SayEffect => e.type === 'say');
    const last = says.at(-1);
    if (!last) throw new Error(`no say effect in ${JSON.stringify(this.last.effects)}`);
    return last;
  }

  openTicketDraft() {
    const effect = this.last.effects.find((e) => e.type === 'open_ticket');
    if (!effect || effect.type !== 'open_ticket') throw new Error('no open_ticket effect');
    return effect;
  }
}
