/** One handler per step kind. */
import { askChoice } from './ask-choice.js';
import { askDate } from './ask-date.js';
import { askPhoto } from './ask-photo.js';
import { askReference } from './ask-reference.js';
import { askText } from './ask-text.js';
import { branch, say, set } from './auto-steps.js';
import { confirm } from './confirm.js';
import { openTicket } from './open-ticket.js';
import type { AutoHandlers, WaitingHandlers } from '../step-types.js';

export const WAITING_HANDLERS: WaitingHandlers = {
  ask_text: askText,
  ask_choice: askChoice,
  ask_photo: askPhoto,
  ask_date: askDate,
  ask_reference: askReference,
  confirm,
};

export const AUTO_HANDLERS: AutoHandlers = { say, branch, set, open_ticket: openTicket };
