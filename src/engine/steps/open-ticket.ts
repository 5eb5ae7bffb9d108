/**
 * open_ticket: maps the answers to a TicketDraft. The subject is the category's English label
 * (agents read it) and the first characters of the description; a receipt's store, product and
 * invoice references are carried into the draft.
 */
import { hasValue } from '../effects.js';
import type { StepOf } from '../flow-definition.js';
import type { TicketDraft } from '../flow-types.js';
import { label } from '../lexicon.js';
import type { AutoStepHandler, StepEnv } from '../step-types.js';

type Step = StepOf<'open_ticket'>;
const OPTIONAL_FIELDS = [
  'order_ref',
  'invoice_ref',
  'store_ref',
  'product_sku',
  'delivery_date',
] as const;
const RECEIPT_FIELDS = ['store_ref', 'product_sku', 'invoice_ref'] as const;

/** The first `max` characters on one line, cut at a word boundary when one is near. */
export function excerpt(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const chars = [...line];
  if (chars.length <= max) return line;
  const cut = chars.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}

function text(env: StepEnv, field: string | undefined): string | undefined {
  const value = field === undefined ? undefined : env.data[field];
  return hasValue(value) ? String(value).trim() : undefined;
}

/** A draft needs a category: the general one when the tenant has it, else its first. */
function fallbackCategory(env: StepEnv): string {
  const keys = env.ctx.categories.map((c) => c.key);
  return keys.includes('general_inquiry') ? 'general_inquiry' : (keys[0] ?? 'general_inquiry');
}

export function buildDraft(step: Step, env: StepEnv): TicketDraft {
  const category = text(env, step.draft.category) ?? fallbackCategory(env);
  const description = text(env, step.draft.description) ?? '';
  const about = text(env, step.subject.text) ?? '';
  const categoryLabel = step.subject.labelOf
    ? label('en', `category.${text(env, step.subject.labelOf) ?? category}`)
    : '';
  const subject =
    [categoryLabel, excerpt(about, step.subject.max)].filter((s) => s.length > 0).join(': ') ||
    label('en', `category.${category}`);
  const draft: TicketDraft = { category, subject, description };
  for (const name of OPTIONAL_FIELDS) {
    const value = text(env, step.draft[name]);
    if (value !== undefined) draft[name] = value;
  }
  if (step.carryReceipt) {
    for (const name of RECEIPT_FIELDS) {
      const value = env.ctx.receipt?.[name];
      if (draft[name] === undefined && hasValue(value)) draft[name] = value;
    }
  }
  if (step.priority) draft.priority = step.priority;
  return draft;
}

export const openTicket: AutoStepHandler<Step> = {
  run(step, env) {
    return {
      action: 'go',
      next: step.next ?? null,
      effects: [{ type: 'open_ticket', draft: buildDraft(step, env), confirmKey: step.confirmKey }],
    };
  },
};
