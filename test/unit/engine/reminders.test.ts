import { describe, expect, it } from 'vitest';
import { defaultFlows } from '../../../flows/index.js';
import { CSAT_FLOW } from '../../../src/engine/csat.js';
import { expireFlow, isAwaitingAnswer, remindFlow } from '../../../src/engine/reminders.js';
import { Chat, idleState, makeCtx, sayKeys } from './conversation.js';

describe('abandoned flows', () => {
  it('a reminder nudges and repeats the pending question without changing the state', () => {
    const chat = new Chat();
    chat.send('hi');
    chat.tap('category:billing');
    expect(isAwaitingAnswer(defaultFlows, chat.state)).toBe(true);
    const reminded = remindFlow(defaultFlows, chat.state, makeCtx());
    expect(sayKeys(reminded.effects)).toEqual(['reminder.nudge', 'intake.description']);
    expect(reminded.state).toBe(chat.state);
  });

  it('expiry returns to idle with a note; idle and CSAT states expire silently', () => {
    const chat = new Chat();
    chat.send('hi');
    const expired = expireFlow(defaultFlows, chat.state);
    expect(expired.state).toEqual(idleState());
    expect(sayKeys(expired.effects)).toEqual(['reminder.expired']);
    expect(expireFlow(defaultFlows, idleState()).effects).toEqual([]);
    const rating = { flow: CSAT_FLOW, step: 'rating', data: { ticket: 'TK-1' }, language: 'en' };
    expect(isAwaitingAnswer(defaultFlows, rating)).toBe(false);
    expect(remindFlow(defaultFlows, rating, makeCtx()).effects).toEqual([]);
    expect(expireFlow(defaultFlows, rating)).toEqual({ state: idleState(), effects: [] });
  });
});
