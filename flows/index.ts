/**
 * The default conversation flows, as data (validated at import: a broken flow fails start-up,
 * not a customer's conversation). Threading, status, CSAT and the human handoff are built into
 * the runner (src/engine/flow-runner.ts); they need no flow data.
 */
import { createFlowRegistry, parseFlow, type FlowRegistry } from '../src/engine/flow-definition.js';
import intake from './intake.json' with { type: 'json' };

export const intakeFlow = parseFlow(intake);

export const defaultFlows: FlowRegistry = createFlowRegistry([intakeFlow]);
