/**
 * A notice to the team as a Slack message: the text (escaped: it can quote a customer's
 * subject), then its actions as buttons. The buttons' `action_id` is the notice's action id, so
 * interactions route them back (for example `sla_ack`).
 */
import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import type { StaffMessage } from '../../src/ports/staff-messenger.js';
import { BLOCK_KIT_LIMITS as L, escapeMrkdwn, plain, truncate } from './block-kit.js';

export function renderStaffMessage(message: StaffMessage): { text: string; blocks: KnownBlock[] } {
  const text = truncate(escapeMrkdwn(message.text), L.sectionText);
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text } }];
  const buttons: Button[] = message.actions.slice(0, L.actionsElements).map((a) => ({
    type: 'button',
    action_id: truncate(a.id, L.id),
    value: truncate(a.value, L.buttonValue),
    text: plain(a.label, L.buttonText),
  }));
  if (buttons.length) blocks.push({ type: 'actions', elements: buttons } satisfies ActionsBlock);
  return { text: truncate(escapeMrkdwn(message.text), L.fallbackText), blocks };
}
