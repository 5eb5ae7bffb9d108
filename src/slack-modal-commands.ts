/**
 * A submitted Slack modal as a command of the agent grammar. Most modals read as one line
 * (`assign 42 <@U…>`); the Resolve modal's reference field has no place in a line, so it is
 * set on the parsed command.
 */
import type { ModalSubmission } from '../adapters/slack/modals.js';
import {
  type ParseError,
  type ParsedCommand,
  isParseError,
  parseAgentCommand,
} from './engine/agent-commands/parse.js';

export function modalCommand(submitted: ModalSubmission): ParsedCommand | ParseError {
  const n = submitted.ticketNumber;
  switch (submitted.kind) {
    case 'assign':
      return parseAgentCommand(`assign ${n} <@${submitted.slackUserId}>`);
    case 'resolve': {
      const notes = submitted.notes ? ` ${submitted.notes}` : '';
      const parsed = parseAgentCommand(`resolve ${n} ${submitted.code}${notes}`);
      if (isParseError(parsed) || parsed.verb !== 'resolve' || !submitted.reference) return parsed;
      return { ...parsed, reference: submitted.reference };
    }
    case 'canned':
      return parseAgentCommand(`canned ${n} ${submitted.name}`);
    default:
      return parseAgentCommand(`${submitted.kind} ${n} ${submitted.text}`);
  }
}
