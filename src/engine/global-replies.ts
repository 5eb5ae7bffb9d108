/** Replies to the global commands: language, status, human, help. Pure like the rest. */
import { normalizeLanguage } from '../locales.js';
import { say } from './effects.js';
import type { FlowRegistry } from './flow-definition.js';
import type { ConversationState, FlowContext, FlowEffect, StepResult } from './flow-types.js';
import { LEXICON_LANGUAGES, label, normalize } from './lexicon.js';
import { idle, promptAgain } from './flow-walker.js';

const MAX_STATUS_LINES = 5;
const STATUS_KEYS = new Set(['new', 'assigned', 'in_progress', 'awaiting_customer']);

/** The tenant's languages that the bot can speak, in the tenant's order. */
export function offeredLanguages(ctx: FlowContext): string[] {
  const offered = ctx.supportedLanguages.filter((l) =>
    (LEXICON_LANGUAGES as readonly string[]).includes(l),
  );
  return offered.length > 0 ? offered : [...LEXICON_LANGUAGES];
}

function resolveCode(code: string, offered: string[]): string | null {
  const normalized = normalizeLanguage(code);
  if (normalized && offered.includes(normalized)) return normalized;
  const typed = normalize(code);
  return offered.find((l) => normalize(label(l, `language.name.${l}`)) === typed) ?? null;
}

export function languageChoice(
  ctx: FlowContext,
  key = 'language.choose',
  params?: Record<string, string>,
): FlowEffect {
  return say(key, params, {
    list: {
      buttonKey: 'button.languages',
      rows: offeredLanguages(ctx).map((l) => ({ id: `lang:${l}`, key: `language.name.${l}` })),
    },
  });
}

/** `/lang hi`: switch and confirm in the new language, then repeat the pending question. */
export function changeLanguage(
  flows: FlowRegistry,
  state: ConversationState,
  code: string | null,
  ctx: FlowContext,
): StepResult {
  if (code === null) return { state, effects: [languageChoice(ctx)] };
  const language = resolveCode(code, offeredLanguages(ctx));
  if (language === null) {
    return {
      state,
      effects: [languageChoice(ctx, 'language.unknown', { code: code.slice(0, 20) })],
    };
  }
  const next = { ...state, language };
  return {
    state: next,
    effects: [
      { type: 'set_language', language },
      say('language.changed'),
      ...promptAgain(flows, next, ctx),
    ],
  };
}

export function statusReply(ctx: FlowContext): FlowEffect[] {
  if (ctx.openTickets.length === 0) return [say('status.none')];
  const lines = ctx.openTickets
    .slice(0, MAX_STATUS_LINES)
    .map((t) =>
      STATUS_KEYS.has(t.status)
        ? say(`status.line.${t.status}`, { number: t.number, subject: t.subject })
        : say('status.line.other', { number: t.number, subject: t.subject, status: t.status }),
    );
  const more = ctx.openTickets.length - MAX_STATUS_LINES;
  return [
    say('status.header', { count: ctx.openTickets.length }),
    ...lines,
    ...(more > 0 ? [say('status.more', { count: more })] : []),
  ];
}

/** The customer wants a person: the bot steps aside; the pipeline routes the message to agents. */
export function handToHuman(state: ConversationState): StepResult {
  return { state: idle(state), effects: [{ type: 'request_human' }, say('human.handoff')] };
}

/** A reply that leaves the flow where it was, followed by its pending question. */
export function replyInPlace(
  flows: FlowRegistry,
  state: ConversationState,
  ctx: FlowContext,
  effects: FlowEffect[],
): StepResult {
  return { state, effects: [...effects, ...promptAgain(flows, state, ctx)] };
}
