import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultFlows } from '../../../flows/index.js';
import { WAITING_KINDS } from '../../../src/engine/flow-definition.js';
import { runFlowStep } from '../../../src/engine/flow-runner.js';
import type {
  ConversationState,
  FlowEffect,
  FlowInput,
  TicketSummary,
} from '../../../src/engine/flow-types.js';
import { loadLocaleResources } from '../../../src/locales.js';
import { makeCtx } from './conversation.js';

const en = loadLocaleResources().en?.bot;

function keyExists(key: string): boolean {
  let node: unknown = en;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object') return false;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string';
}

function keysOf(effects: FlowEffect[]): string[] {
  return effects.flatMap((e) =>
    e.type === 'say'
      ? [
          e.key,
          ...(e.buttons ?? []).map((b) => b.key),
          ...(e.list ? [e.list.buttonKey, ...e.list.rows.map((r) => r.key)] : []),
        ]
      : e.type === 'open_ticket'
        ? [e.confirmKey]
        : [],
  );
}

const intake = defaultFlows.intake!;
const waitingSteps = Object.entries(intake.steps)
  .filter(([, step]) => WAITING_KINDS.has(step.kind))
  .map(([id]) => id);

const words = fc.constantFrom(
  'yes',
  'no',
  'skip',
  'done',
  'today',
  'agent',
  'status',
  'cancel',
  'help',
  'language',
  'new issue',
  '/lang hi',
  '/lang xx',
  '/start',
  '/new',
  '2',
  '0',
  '99',
  'ORD-123',
  '14/03/2026',
  '2030-01-01',
  'हाँ',
  '是',
  'sí',
  'kemarin',
  '⭐⭐',
  '?',
  '',
  '   ',
  'English',
  'quality issue',
);
const text = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  words,
);
const payload = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    'category:quality_issue',
    'category:nope',
    'reference:skip',
    'photos:done',
    'photos:skip',
    'delivery_date:skip',
    'summary:yes',
    'summary:no',
    'lang:hi',
    'lang:',
    'csat:yes',
    'csat:no:TK-1',
    'csat:rate:3',
    'csat:rate:9',
  ),
);
const mediaKind = fc.constantFrom(
  'photo',
  'document',
  'audio',
  'voice',
  'video',
  'sticker' as const,
);
const input: fc.Arbitrary<FlowInput> = fc.oneof(
  text.map((t) => ({ text: t })),
  payload.map((p) => ({ buttonPayload: p })),
  fc
    .record({ name: fc.string({ maxLength: 10 }), args: fc.string({ maxLength: 20 }) })
    .map((command) => ({ command })),
  fc
    .array(fc.record({ kind: mediaKind }), { minLength: 1, maxLength: 3 })
    .map((media) => ({ media })),
  fc.record({ latitude: fc.double(), longitude: fc.double() }).map((location) => ({ location })),
  fc.constant({}),
);
const state: fc.Arbitrary<ConversationState> = fc.record({
  flow: fc.constantFrom<string | null>(null, 'intake', 'csat', 'ghost'),
  step: fc.constantFrom<string | null>(null, ...waitingSteps, 'greeting', 'nowhere'),
  data: fc.record(
    {
      category: fc.constantFrom('quality_issue', 'billing', 'unknown', 42),
      description: fc.string({ maxLength: 80 }),
      photos: fc.oneof(fc.integer({ min: -2, max: 12 }), fc.constant('x')),
      ticket: fc.constant('TK-2026-00001'),
    },
    { requiredKeys: [] },
  ),
  language: fc.constantFrom('en', 'hi', 'id', 'zh', 'es', 'fr'),
});
const ctx = fc.record({
  openTickets: fc.constantFrom<TicketSummary[]>(
    [],
    [{ number: 'TK-2026-00009', subject: 'Old', status: 'new' }],
  ),
  csat: fc.boolean(),
  receipt: fc.boolean(),
});

function check(result: ReturnType<typeof runFlowStep>): void {
  const { effects } = result;
  const threaded = effects.some((e) => e.type === 'append_to_ticket');
  expect(threaded || effects.length >= 1).toBe(true);
  expect(effects.some((e) => e.type === 'say' && e.key === 'error.generic')).toBe(false);
  for (const key of keysOf(effects)) expect(keyExists(key), key).toBe(true);
  for (const e of effects) {
    if (e.type === 'say' && e.buttons) expect(e.buttons.length).toBeLessThanOrEqual(3);
    if (e.type === 'say' && e.list) expect(e.list.rows.length).toBeLessThanOrEqual(10);
  }
  if (result.state.flow === 'intake') expect(waitingSteps).toContain(result.state.step);
}

describe('runFlowStep (property)', () => {
  it('never throws, never goes silent (except threading), emits only known keys', () => {
    fc.assert(
      fc.property(state, input, ctx, (s, i, c) => {
        const context = makeCtx({
          openTickets: c.openTickets,
          ...(c.csat
            ? { csatTicket: { number: 'TK-2026-00001', subject: 'x', status: 'resolved' } }
            : {}),
          ...(c.receipt ? { receipt: { invoice_ref: 'INV-1', store_ref: 'S-1' } } : {}),
        });
        check(runFlowStep(defaultFlows, s, i, context));
      }),
      { numRuns: 2000 },
    );
  });

  it('holds over whole random conversations', () => {
    fc.assert(
      fc.property(fc.array(input, { minLength: 1, maxLength: 25 }), ctx, (inputs, c) => {
        const context = makeCtx({ openTickets: c.openTickets });
        let current: ConversationState = { flow: null, step: null, data: {}, language: 'en' };
        for (const i of inputs) {
          const result = runFlowStep(defaultFlows, current, i, context);
          check(result);
          current = result.state;
        }
      }),
      { numRuns: 300 },
    );
  });
});
