import { describe, expect, it } from 'vitest';
import {
  isBotOrSelf,
  isEdit,
  isHumanMessage,
  retryInfoOf,
} from '../../../../adapters/slack/inbound.js';
import { messageOf, parseFixture } from './fixtures.js';

const BOT_USER = 'U0TESTBOT1';

describe('parseSlackRequest: every fixture', () => {
  it('url_verification → the challenge', () => {
    expect(parseFixture('url_verification.json')).toEqual({
      kind: 'url_verification',
      challenge: 'fakeChallengeValue0001abcdefghijklmnopqrstuvwxyz',
    });
  });

  it('a thread reply message', () => {
    expect(parseFixture('event_message_in_thread.json')).toEqual({
      kind: 'event',
      event_id: 'Ev0TESTMSG01',
      team_id: 'T0TESTHD01',
      event_time: 1767261660,
      event: {
        type: 'message',
        channel: 'C0TESTSUP1',
        channel_type: 'channel',
        user: 'U0TESTAGTB',
        text: 'Customer says the parcel arrived damaged, any update?',
        ts: '1767261660.000200',
        event_ts: '1767261660.000200',
        thread_ts: '1767261600.000100',
        parent_user_id: 'U0TESTBOT1',
      },
    });
  });

  it('a bot_message', () => {
    const inbound = parseFixture('event_message_bot.json');
    expect(inbound).toMatchObject({ kind: 'event', event_id: 'Ev0TESTBOT01' });
    expect(messageOf(inbound)).toEqual({
      type: 'message',
      channel: 'C0TESTSUP1',
      channel_type: 'channel',
      subtype: 'bot_message',
      bot_id: 'B0TESTBOT1',
      text: 'New ticket #1042 from Cust A',
      ts: '1767261605.000300',
      event_ts: '1767261605.000300',
    });
  });

  it('message_changed: the edited message, its edit stamp and the previous text', () => {
    const inbound = parseFixture('event_message_changed.json');
    expect(inbound).toMatchObject({ kind: 'event', event_id: 'Ev0TESTCHG01' });
    expect(messageOf(inbound)).toEqual({
      type: 'message',
      channel: 'C0TESTSUP1',
      channel_type: 'channel',
      subtype: 'message_changed',
      hidden: true,
      event_ts: '1767261730.000500',
      user: 'U0TESTAGTB',
      text: 'Courier confirmed delivery for tomorrow.',
      ts: '1767261720.000400',
      thread_ts: '1767261600.000100',
      parent_user_id: 'U0TESTBOT1',
      edited: { user: 'U0TESTAGTB', ts: '1767261730.000000' },
      previous: {
        user: 'U0TESTAGTB',
        text: 'Courier confirmed delivery for tomorow.',
        ts: '1767261720.000400',
        thread_ts: '1767261600.000100',
      },
    });
  });

  it('app_mention', () => {
    expect(parseFixture('event_app_mention.json')).toEqual({
      kind: 'event',
      event_id: 'Ev0TESTMEN01',
      team_id: 'T0TESTHD01',
      event_time: 1767261740,
      event: {
        type: 'app_mention',
        channel: 'C0TESTSUP1',
        user: 'U0TESTAGTB',
        text: '<@U0TESTBOT1> assign ticket 1042 to me',
        ts: '1767261740.000600',
        event_ts: '1767261740.000600',
      },
    });
  });

  it('a slash command (form body)', () => {
    expect(parseFixture('slash_command.txt')).toEqual({
      kind: 'slash_command',
      team_id: 'T0TESTHD01',
      channel_id: 'C0TESTSUP1',
      user_id: 'U0TESTAGTB',
      user_name: 'agent.b',
      command: '/ticket',
      text: 'new Order 1042 not delivered',
      response_url:
        'https://hooks.slack.com/commands/T0TESTHD01/1000000000001/fakeResponseUrlSecret0001',
      trigger_id: '1000000000001.1000000000002.fakeTriggerId0001',
    });
  });

  it('block_actions (payload=…)', () => {
    expect(parseFixture('block_actions.json')).toEqual({
      kind: 'block_actions',
      user: { id: 'U0TESTAGTB', name: 'agent.b' },
      team_id: 'T0TESTHD01',
      channel_id: 'C0TESTSUP1',
      message: { ts: '1767261605.000300' },
      actions: [
        {
          action_id: 'claim_ticket',
          block_id: 'ticket_actions',
          type: 'button',
          value: '1042',
          action_ts: '1767261750.123456',
        },
      ],
      trigger_id: '1000000000003.1000000000002.fakeTriggerId0002',
      response_url:
        'https://hooks.slack.com/actions/T0TESTHD01/1000000000004/fakeResponseUrlSecret0002',
    });
  });

  it('view_submission with state.values flattened to block_id.action_id', () => {
    expect(parseFixture('view_submission.json')).toEqual({
      kind: 'view_submission',
      user: { id: 'U0TESTAGTB', name: 'agent.b' },
      team_id: 'T0TESTHD01',
      trigger_id: '1000000000005.1000000000002.fakeTriggerId0003',
      view: {
        id: 'V0TESTVIEW1',
        callback_id: 'new_ticket_modal',
        private_metadata: '{"channel":"C0TESTSUP1","thread_ts":"1767261600.000100"}',
        values: {
          'subject_block.subject_input': 'Order 1042 not delivered',
          'priority_block.priority_select': 'high',
        },
      },
    });
  });

  it('reads the retry headers of a redelivered event', () => {
    const inbound = parseFixture('event_message_in_thread.json', {
      'X-Slack-Retry-Num': '2',
      'X-Slack-Retry-Reason': 'http_timeout',
    });
    expect(inbound).toMatchObject({ kind: 'event', retryNum: 2, retryReason: 'http_timeout' });
    expect(parseFixture('event_message_in_thread.json')).not.toHaveProperty('retryNum');
    expect(retryInfoOf({ 'x-slack-retry-num': 'x' })).toEqual({});
  });
});

describe('bot and edit detection', () => {
  const bot = messageOf(parseFixture('event_message_bot.json'));
  const edit = messageOf(parseFixture('event_message_changed.json'));
  const human = messageOf(parseFixture('event_message_in_thread.json'));

  it('isBotOrSelf: bot_id, bot_message, or our own user', () => {
    expect(isBotOrSelf(bot, BOT_USER)).toBe(true);
    expect(isBotOrSelf({ subtype: 'bot_message' })).toBe(true);
    expect(isBotOrSelf({ user: BOT_USER }, BOT_USER)).toBe(true);
    expect(isBotOrSelf({ user: BOT_USER, bot_id: 'B0TESTBOT1' })).toBe(true);
    expect(isBotOrSelf(human, BOT_USER)).toBe(false);
    expect(isBotOrSelf(edit, BOT_USER)).toBe(false);
    expect(isBotOrSelf({ user: 'U1' }, '')).toBe(false);
  });

  it('an edit of a bot message is still the bot', () => {
    expect(isBotOrSelf({ ...edit, bot_id: 'B0TESTBOT1' }, BOT_USER)).toBe(true);
  });

  it('isEdit: message_changed only', () => {
    expect(isEdit(edit)).toBe(true);
    expect(isEdit(human)).toBe(false);
    expect(isEdit(bot)).toBe(false);
  });

  it('isHumanMessage: a new message by a person', () => {
    expect(isHumanMessage(human, BOT_USER)).toBe(true);
    expect(isHumanMessage({ user: 'U1', subtype: 'file_share' }, BOT_USER)).toBe(true);
    expect(isHumanMessage(edit, BOT_USER)).toBe(false);
    expect(isHumanMessage(bot, BOT_USER)).toBe(false);
    expect(isHumanMessage({ user: 'U1', subtype: 'channel_join' }, BOT_USER)).toBe(false);
    expect(isHumanMessage({ user: BOT_USER }, BOT_USER)).toBe(false);
  });
});
