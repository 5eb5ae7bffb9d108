/**
 * Flows are data: `{ name, start, steps }`, validated here. A step either waits for the customer
 * (ask_*, confirm) or runs at once (say, branch, set, open_ticket) and moves on.
 * `parseFlow` also checks that every target exists and that the run-at-once steps cannot loop.
 */
import { z } from 'zod';

const stepId = z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower_snake_case step id');
const fieldName = z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower_snake_case field name');
const i18nKey = z
  .string()
  .regex(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/, 'dotted i18n key in the bot namespace');
const optionId = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case option id');

/** `receipt.invoice_ref` (FlowContext.receipt) or `data.first_message`: answer known, skip the ask. */
const prefill = z.strictObject({
  from: z.string().regex(/^(receipt|data)\.[a-z_]+$/),
  /** The field to store it in (default: the step's field). */
  into: fieldName.optional(),
});

const regexString = z.string().refine((pattern) => {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}, 'not a valid regular expression');

const sayStep = z.strictObject({ kind: z.literal('say'), key: i18nKey, next: stepId.optional() });

const askTextStep = z.strictObject({
  kind: z.literal('ask_text'),
  key: i18nKey,
  field: fieldName,
  minLength: z.number().int().min(1).default(1),
  maxLength: z.number().int().min(1).default(4000),
  prefill: prefill.optional(),
  next: stepId,
});

const askChoiceStep = z
  .strictObject({
    kind: z.literal('ask_choice'),
    key: i18nKey,
    field: fieldName,
    options: z
      .array(z.strictObject({ id: optionId, key: i18nKey }))
      .min(1)
      .max(10)
      .optional(),
    from: z.literal('categories').optional(),
    listButtonKey: i18nKey.default('button.choose'),
    branches: z.record(optionId, stepId).optional(),
    next: stepId.optional(),
  })
  .refine((s) => (s.options === undefined) !== (s.from === undefined), {
    message: 'give exactly one of `options` or `from`',
  })
  .refine(
    (s) =>
      s.next !== undefined ||
      (s.options !== undefined && s.options.every((o) => s.branches?.[o.id] !== undefined)),
    { message: 'give `next`, or a branch for every option' },
  );

const askPhotoStep = z.strictObject({
  kind: z.literal('ask_photo'),
  /** Prompt when photos are required. */
  key: i18nKey,
  /** Prompt when they are optional (default: `key`). */
  optionalKey: i18nKey.optional(),
  field: fieldName,
  required: z.union([
    z.boolean(),
    z.strictObject({ when_category_requires_photo: z.literal(true) }),
  ]),
  categoryField: fieldName.default('category'),
  /** After this many photos the step moves on by itself. */
  max: z.number().int().min(1).max(30).default(10),
  next: stepId,
});

const askDateStep = z.strictObject({
  kind: z.literal('ask_date'),
  key: i18nKey,
  field: fieldName,
  skip: z.boolean().default(false),
  prefill: prefill.optional(),
  next: stepId,
});

const askReferenceStep = z.strictObject({
  kind: z.literal('ask_reference'),
  key: i18nKey,
  field: fieldName,
  pattern: regexString,
  skip: z.boolean().default(false),
  refusalKey: i18nKey,
  prefill: prefill.optional(),
  next: stepId,
});

const branchStep = z.strictObject({
  kind: z.literal('branch'),
  field: fieldName,
  cases: z.record(z.string(), stepId),
  default: stepId,
});

const setStep = z.strictObject({
  kind: z.literal('set'),
  values: z.record(fieldName, z.union([z.string(), z.number(), z.boolean(), z.null()])),
  next: stepId,
});

const confirmParam = z.strictObject({
  /** A field, or several: the first one with a value is shown. */
  field: z.union([fieldName, z.array(fieldName).min(1)]),
  /** Show the label `<labelPrefix>.<value>` instead of the raw value (e.g. `category`). */
  labelPrefix: z
    .string()
    .regex(/^[a-z0-9_.]+$/)
    .optional(),
});

const confirmStep = z.strictObject({
  kind: z.literal('confirm'),
  key: i18nKey,
  params: z.record(z.string().regex(/^[a-z_]+$/), confirmParam).default({}),
  /** Shown for a parameter whose fields are all empty. */
  emptyKey: i18nKey.default('flow.not_given'),
  yes: stepId,
  no: stepId,
});

const openTicketStep = z.strictObject({
  kind: z.literal('open_ticket'),
  confirmKey: i18nKey,
  /** TicketDraft field → data field. */
  draft: z.strictObject({
    category: fieldName,
    description: fieldName,
    order_ref: fieldName.optional(),
    invoice_ref: fieldName.optional(),
    store_ref: fieldName.optional(),
    product_sku: fieldName.optional(),
    delivery_date: fieldName.optional(),
  }),
  /** Subject = English label of `labelOf` + ": " + the first `max` characters of `text`. */
  subject: z.strictObject({
    labelOf: fieldName.optional(),
    text: fieldName,
    max: z.number().int().min(10).max(200).default(60),
  }),
  priority: z.enum(['low', 'medium', 'high', 'urgent']).optional(),
  /** Carry FlowContext.receipt's store_ref, product_sku and invoice_ref into the draft. */
  carryReceipt: z.boolean().default(true),
  next: stepId.optional(),
});

export const stepSchema = z.discriminatedUnion('kind', [
  sayStep,
  askTextStep,
  askChoiceStep,
  askPhotoStep,
  askDateStep,
  askReferenceStep,
  branchStep,
  setStep,
  confirmStep,
  openTicketStep,
]);

/** Button payloads are `<step id>:<option>`; these prefixes belong to the runner. */
export const RESERVED_STEP_IDS: readonly string[] = ['lang', 'csat'];

export const flowSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/),
  start: stepId,
  steps: z
    .record(stepId, stepSchema)
    .refine((steps) => !RESERVED_STEP_IDS.some((id) => id in steps), {
      message: `step ids ${RESERVED_STEP_IDS.join(', ')} are reserved`,
    }),
});

export type FlowStep = z.output<typeof stepSchema>;
export type FlowDefinition = z.output<typeof flowSchema>;
export type StepOf<K extends FlowStep['kind']> = Extract<FlowStep, { kind: K }>;
/** Flows by name. The runner starts `intake` for new issues. */
export type FlowRegistry = Readonly<Record<string, FlowDefinition>>;

/** Steps that wait for the customer's answer; the others run at once. */
export const WAITING_KINDS: ReadonlySet<FlowStep['kind']> = new Set([
  'ask_text',
  'ask_choice',
  'ask_photo',
  'ask_date',
  'ask_reference',
  'confirm',
]);

export class FlowDefinitionError extends Error {
  constructor(
    readonly flow: string,
    readonly problems: string[],
  ) {
    super(`invalid flow "${flow}": ${problems.join('; ')}`);
    this.name = 'FlowDefinitionError';
  }
}

/** Where a step may go next (null: the flow ends there). */
export function stepTargets(step: FlowStep): (string | null)[] {
  switch (step.kind) {
    case 'branch':
      return [...Object.values(step.cases), step.default];
    case 'confirm':
      return [step.yes, step.no];
    case 'ask_choice':
      return [...Object.values(step.branches ?? {}), ...(step.next ? [step.next] : [])];
    case 'say':
    case 'open_ticket':
      return [step.next ?? null];
    default:
      return [step.next];
  }
}

function findAutoLoop(flow: FlowDefinition): string | null {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string): string | null => {
    const step = flow.steps[id];
    if (!step || WAITING_KINDS.has(step.kind) || state.get(id) === 'done') return null;
    if (state.get(id) === 'visiting') return id;
    state.set(id, 'visiting');
    for (const target of stepTargets(step)) {
      const loop = target === null ? null : visit(target);
      if (loop) return loop;
    }
    state.set(id, 'done');
    return null;
  };
  for (const id of Object.keys(flow.steps)) {
    const loop = visit(id);
    if (loop) return loop;
  }
  return null;
}

/** Validates a flow (JSON data); throws FlowDefinitionError listing every problem. */
export function parseFlow(json: unknown): FlowDefinition {
  const parsed = flowSchema.safeParse(json);
  const name =
    typeof json === 'object' && json !== null && 'name' in json ? String(json.name) : '?';
  if (!parsed.success) {
    throw new FlowDefinitionError(
      name,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  const flow = parsed.data;
  const problems: string[] = [];
  if (!flow.steps[flow.start]) problems.push(`start: unknown step "${flow.start}"`);
  for (const [id, step] of Object.entries(flow.steps)) {
    for (const target of stepTargets(step)) {
      if (target !== null && !flow.steps[target]) {
        problems.push(`steps.${id}: unknown target step "${target}"`);
      }
    }
  }
  const loop = problems.length === 0 ? findAutoLoop(flow) : null;
  if (loop) problems.push(`steps.${loop}: loops without asking the customer anything`);
  if (problems.length > 0) throw new FlowDefinitionError(flow.name, problems);
  return flow;
}

/** Conversation states the runner keeps itself (the CSAT rating): no flow may take the name. */
export const RESERVED_FLOW_NAMES: readonly string[] = ['csat'];

export function createFlowRegistry(flows: FlowDefinition[]): FlowRegistry {
  const registry: Record<string, FlowDefinition> = {};
  for (const flow of flows) {
    if (RESERVED_FLOW_NAMES.includes(flow.name)) {
      throw new FlowDefinitionError(flow.name, ['reserved flow name']);
    }
    if (registry[flow.name]) throw new FlowDefinitionError(flow.name, ['duplicate flow name']);
    registry[flow.name] = flow;
  }
  return Object.freeze(registry);
}
