import { describe, expect, it } from 'vitest';
import {
  createFlowRegistry,
  FlowDefinitionError,
  parseFlow,
} from '../../../src/engine/flow-definition.js';

function flow(steps: Record<string, unknown>, start = 'a') {
  return { name: 'sample', start, steps };
}

function problemsOf(json: unknown): string[] {
  try {
    parseFlow(json);
  } catch (error) {
    if (error instanceof FlowDefinitionError) return error.problems;
    throw error;
  }
  return [];
}

describe('parseFlow', () => {
  it('accepts a small valid flow and fills defaults', () => {
    const parsed = parseFlow(
      flow({
        a: { kind: 'ask_text', key: 'intake.description', field: 'description', next: 'b' },
        b: { kind: 'say', key: 'intake.restart' },
      }),
    );
    expect(parsed.steps.a).toMatchObject({ minLength: 1, maxLength: 4000 });
  });

  it('rejects a next that points nowhere', () => {
    expect(
      problemsOf(flow({ a: { kind: 'say', key: 'intake.greeting', next: 'missing' } })),
    ).toEqual(['steps.a: unknown target step "missing"']);
  });

  it('rejects an unknown start, unknown branch targets and confirm targets', () => {
    const problems = problemsOf(
      flow(
        {
          a: { kind: 'branch', field: 'x', cases: { one: 'nowhere' }, default: 'b' },
          b: { kind: 'confirm', key: 'intake.summary', yes: 'a', no: 'gone' },
        },
        'zzz',
      ),
    );
    expect(problems).toEqual([
      'start: unknown step "zzz"',
      'steps.a: unknown target step "nowhere"',
      'steps.b: unknown target step "gone"',
    ]);
  });

  it('rejects schema errors with their path', () => {
    const problems = problemsOf(
      flow({
        a: {
          kind: 'ask_reference',
          key: 'k.k',
          field: 'r',
          pattern: '([',
          refusalKey: 'k.r',
          next: 'a',
        },
        b: { kind: 'teleport', key: 'k.k' },
        c: { kind: 'say', key: 'k.k', extra: true },
      }),
    );
    expect(problems.some((p) => p.startsWith('steps.a.pattern'))).toBe(true);
    expect(problems.some((p) => p.startsWith('steps.b'))).toBe(true);
    expect(problems.some((p) => p.startsWith('steps.c'))).toBe(true);
  });

  it('requires options or from (not both) and a route for every option', () => {
    expect(
      problemsOf(flow({ a: { kind: 'ask_choice', key: 'k.k', field: 'f', next: 'a' } })),
    ).toHaveLength(1);
    expect(
      problemsOf(
        flow({
          a: {
            kind: 'ask_choice',
            key: 'k.k',
            field: 'f',
            options: [
              { id: 'x', key: 'k.x' },
              { id: 'y', key: 'k.y' },
            ],
            branches: { x: 'a' },
          },
        }),
      ),
    ).toHaveLength(1);
    expect(
      problemsOf(flow({ a: { kind: 'ask_choice', key: 'k.k', field: 'f', from: 'categories' } })),
    ).toHaveLength(1);
  });

  it('rejects steps that loop without asking anything, and reserved ids', () => {
    expect(
      problemsOf(
        flow({
          a: { kind: 'say', key: 'k.a', next: 'b' },
          b: { kind: 'set', values: { x: 1 }, next: 'a' },
        }),
      ),
    ).toEqual(['steps.a: loops without asking the customer anything']);
    expect(problemsOf(flow({ lang: { kind: 'say', key: 'k.a' } }, 'lang'))[0]).toContain(
      'reserved',
    );
  });

  it('refuses duplicate and reserved flow names in a registry', () => {
    const one = parseFlow(flow({ a: { kind: 'say', key: 'k.a' } }));
    expect(() => createFlowRegistry([one, one])).toThrow(FlowDefinitionError);
    const csat = parseFlow({ ...flow({ a: { kind: 'say', key: 'k.a' } }), name: 'csat' });
    expect(() => createFlowRegistry([csat])).toThrow(/reserved/);
  });
});
