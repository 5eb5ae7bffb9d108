/** The conversation-flow engine: pure functions over flows (data), state and context. */
export type * from './flow-types.js';
export {
  createFlowRegistry,
  FlowDefinitionError,
  flowSchema,
  parseFlow,
  type FlowDefinition,
  type FlowRegistry,
  type FlowStep,
} from './flow-definition.js';
export { INTAKE_FLOW, runFlowStep } from './flow-runner.js';
export { CSAT_FLOW, csatQuestion } from './csat.js';
export { expireFlow, isAwaitingAnswer, remindFlow } from './reminders.js';
export { parseCustomerDate } from './date-parse.js';
