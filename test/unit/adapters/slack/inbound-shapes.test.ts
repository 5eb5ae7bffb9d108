import { describe, expect, it } from 'vitest';
import { parseSlackRequest } from '../../../../adapters/slack/inbound.js';

describe('parseSlackRequest: other shapes', () => {
  const raw = (body: string, contentType: string) => ({
    headers: { 'content-type': contentType },
    rawBody: Buffer.from(body),
  });
  const payload = (p: unknown) =>
    raw(
      new URLSearchParams({ payload: JSON.stringify(p) }).toString(),
      'application/x-www-form-urlencoded',
    );

  it('reaction_added and unknown event types', () => {
    const envelope = (event: unknown) =>
      raw(
        JSON.stringify({ type: 'event_callback', event_id: 'Ev1', team_id: 'T1', event }),
        'application/json',
      );
    const reaction = parseSlackRequest(
      envelope({
        type: 'reaction_added',
        user: 'U1',
        reaction: 'white_check_mark',
        item: { type: 'message', channel: 'C1', ts: '1.2' },
        item_user: 'U0TESTBOT1',
        event_ts: '3.4',
      }),
    );
    expect(reaction).toEqual({
      ok: true,
      inbound: {
        kind: 'event',
        event_id: 'Ev1',
        team_id: 'T1',
        event: {
          type: 'reaction_added',
          user: 'U1',
          reaction: 'white_check_mark',
          item: { type: 'message', channel: 'C1', ts: '1.2' },
          item_user: 'U0TESTBOT1',
          event_ts: '3.4',
        },
      },
    });
    // A reaction on a file has no channel or ts: acknowledged as another event, not a 400.
    expect(
      parseSlackRequest(
        envelope({
          type: 'reaction_added',
          user: 'U1',
          reaction: 'eyes',
          item: { type: 'file', file: 'F0TEST1' },
          event_ts: '3.5',
        }),
      ),
    ).toMatchObject({
      ok: true,
      inbound: { kind: 'event', event: { type: 'other', original_type: 'reaction_added' } },
    });
    expect(
      parseSlackRequest(envelope({ type: 'member_joined_channel', user: 'U1' })),
    ).toMatchObject({
      ok: true,
      inbound: { kind: 'event', event: { type: 'other', original_type: 'member_joined_channel' } },
    });
  });

  it('select actions inside a modal, and multi-value view inputs', () => {
    const actions = parseSlackRequest(
      payload({
        type: 'block_actions',
        user: { id: 'U1', team_id: 'T1' },
        trigger_id: 't',
        view: { id: 'V1', callback_id: 'ticket_resolve', private_metadata: 'TK-2026-00042' },
        actions: [
          {
            action_id: 'ticket_status',
            block_id: 'b',
            type: 'static_select',
            selected_option: {
              text: { type: 'plain_text', text: 'Closed' },
              value: 'TK-2026-00042|closed',
            },
          },
          { action_id: 'pick', block_id: 'b2', type: 'users_select', selected_user: 'U9' },
        ],
      }),
    );
    expect(actions).toEqual({
      ok: true,
      inbound: {
        kind: 'block_actions',
        user: { id: 'U1' },
        team_id: 'T1',
        view: { id: 'V1', callback_id: 'ticket_resolve', private_metadata: 'TK-2026-00042' },
        actions: [
          {
            action_id: 'ticket_status',
            block_id: 'b',
            type: 'static_select',
            selected_option: { value: 'TK-2026-00042|closed', text: 'Closed' },
          },
          { action_id: 'pick', block_id: 'b2', type: 'users_select', selected_user: 'U9' },
        ],
        trigger_id: 't',
      },
    });
    const submission = parseSlackRequest(
      payload({
        type: 'view_submission',
        user: { id: 'U1' },
        team: { id: 'T1' },
        view: {
          id: 'V2',
          callback_id: 'x',
          state: {
            values: {
              a: { users: { type: 'multi_users_select', selected_users: ['U1', 'U2'] } },
              b: {
                opts: { type: 'checkboxes', selected_options: [{ value: 'x' }, { value: 'y' }] },
              },
              c: { day: { type: 'datepicker', selected_date: '2026-01-02' } },
              d: { empty: { type: 'plain_text_input', value: null } },
            },
          },
        },
      }),
    );
    expect(submission).toMatchObject({
      ok: true,
      inbound: {
        view: {
          private_metadata: '',
          values: {
            'a.users': ['U1', 'U2'],
            'b.opts': ['x', 'y'],
            'c.day': '2026-01-02',
            'd.empty': null,
          },
        },
      },
    });
  });

  it('acknowledgeable kinds we do not handle come back as unsupported', () => {
    const form = 'application/x-www-form-urlencoded';
    expect(parseSlackRequest(raw('ssl_check=1&token=x', form))).toEqual({
      ok: true,
      inbound: { kind: 'unsupported', type: 'ssl_check' },
    });
    expect(parseSlackRequest(payload({ type: 'view_closed' }))).toMatchObject({
      inbound: { kind: 'unsupported', type: 'view_closed' },
    });
    expect(parseSlackRequest(raw('{"type":"app_rate_limited"}', 'application/json'))).toMatchObject(
      {
        inbound: { kind: 'unsupported', type: 'app_rate_limited' },
      },
    );
  });

  it('malformed bodies are errors, not exceptions', () => {
    const json = 'application/json';
    expect(parseSlackRequest(raw('{nope', json)).ok).toBe(false);
    expect(parseSlackRequest(raw('[]', json)).ok).toBe(false);
    expect(parseSlackRequest(raw('{"type":"event_callback","team_id":"T"}', json))).toMatchObject({
      ok: false,
      error: expect.stringContaining('event_id'),
    });
    expect(parseSlackRequest(raw('a=b', 'application/x-www-form-urlencoded')).ok).toBe(false);
    expect(parseSlackRequest(raw('payload=%7Bx', 'application/x-www-form-urlencoded')).ok).toBe(
      false,
    );
    expect(
      parseSlackRequest(raw('command=%2Fticket', 'application/x-www-form-urlencoded')),
    ).toMatchObject({
      ok: false,
    });
  });
});
