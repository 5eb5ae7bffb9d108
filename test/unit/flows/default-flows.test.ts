import { describe, expect, it } from 'vitest';
import { defaultFlows, intakeFlow } from '../../../flows/index.js';
import intakeJson from '../../../flows/intake.json' with { type: 'json' };
import { parseFlow, stepTargets } from '../../../src/engine/flow-definition.js';
import { loadLocaleResources } from '../../../src/locales.js';

const en = loadLocaleResources().en?.bot as Record<string, unknown>;

function has(key: string): boolean {
  let node: unknown = en;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object') return false;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string';
}

/** Every string value under a `*key`/`*Key` property of the flow JSON. */
function i18nKeys(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => i18nKeys(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (/key$/i.test(k) && typeof v === 'string') out.push(v);
      else i18nKeys(v, out);
    }
  }
  return out;
}

describe('default flows', () => {
  it('registers intake, validated', () => {
    expect(Object.keys(defaultFlows)).toEqual(['intake']);
    expect(parseFlow(intakeJson)).toEqual(intakeFlow);
  });

  it('every key the flows use exists in the English bot locale', () => {
    const keys = i18nKeys(intakeJson);
    expect(keys).toContain('intake.opened');
    for (const key of keys) expect(has(key), key).toBe(true);
  });

  it('every step is reachable from the start', () => {
    const seen = new Set<string>();
    const visit = (id: string | null) => {
      if (id === null || seen.has(id)) return;
      seen.add(id);
      const step = intakeFlow.steps[id];
      if (step) stepTargets(step).forEach(visit);
    };
    visit(intakeFlow.start);
    expect([...seen].sort()).toEqual(Object.keys(intakeFlow.steps).sort());
  });

  it('the opened confirmation says the ticket number and the first-response target', () => {
    expect(en.intake).toMatchObject({
      opened: 'Ticket {{number}} opened, we answer within {{target}}.',
    });
  });
});
