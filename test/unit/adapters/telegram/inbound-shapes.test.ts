import type { Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { toInboundEvents } from '../../../../adapters/telegram/inbound.js';
import { fixture } from './support.js';

/** A private-chat message from Cust A with the given content. */
function privateMessage(
  content: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Update {
  const message = fixture('message_text.json').message as Record<string, unknown>;
  const { text: _text, ...rest } = message;
  return { update_id: 1, ...extra, message: { ...rest, ...content } } as unknown as Update;
}

describe('toInboundEvents, other shapes', () => {
  it('strips @botname from a command and lower-cases its name', () => {
    const update = privateMessage({
      text: '/Help@helpdesk_test_bot  now please',
      entities: [{ type: 'bot_command', offset: 0, length: '/Help@helpdesk_test_bot'.length }],
    });
    expect(toInboundEvents(update)[0]).toMatchObject({
      kind: 'command',
      command: { name: 'help', args: 'now please' },
    });
  });

  it('treats a command that is not at offset 0 as text', () => {
    const update = privateMessage({
      text: 'see /start',
      entities: [{ type: 'bot_command', offset: 4, length: 6 }],
    });
    expect(toInboundEvents(update)[0]).toMatchObject({ kind: 'text', text: 'see /start' });
    expect(toInboundEvents(update)[0]?.command).toBeUndefined();
  });

  it('reads video, audio and sticker media', () => {
    const video = privateMessage({
      video: {
        file_id: 'v1',
        file_unique_id: 'u',
        width: 1,
        height: 1,
        duration: 3,
        mime_type: 'video/mp4',
        file_size: 99,
        file_name: 'clip.mp4',
      },
      caption: 'look',
    });
    expect(toInboundEvents(video)[0]).toMatchObject({
      kind: 'media',
      text: 'look',
      media: [
        {
          kind: 'video',
          platformFileId: 'v1',
          mimeType: 'video/mp4',
          fileName: 'clip.mp4',
          sizeBytes: 99,
        },
      ],
    });
    const audio = privateMessage({
      audio: {
        file_id: 'a1',
        file_unique_id: 'u',
        duration: 3,
        mime_type: 'audio/mpeg',
        file_name: 'song.mp3',
      },
    });
    expect(toInboundEvents(audio)[0]?.media).toStrictEqual([
      { kind: 'audio', platformFileId: 'a1', mimeType: 'audio/mpeg', fileName: 'song.mp3' },
    ]);
    const sticker = privateMessage({
      sticker: {
        file_id: 's1',
        file_unique_id: 'u',
        type: 'regular',
        width: 512,
        height: 512,
        is_animated: false,
        is_video: false,
        emoji: '👍',
      },
    });
    expect(toInboundEvents(sticker)[0]).toMatchObject({
      kind: 'media',
      media: [{ kind: 'sticker', platformFileId: 's1', mimeType: 'image/webp' }],
    });
  });

  it('keeps a venue name and address with the location', () => {
    const update = privateMessage({
      location: { latitude: 1, longitude: 2 },
      venue: { location: { latitude: 1, longitude: 2 }, title: 'Store 7', address: 'MG Road' },
    });
    expect(toInboundEvents(update)[0]?.location).toStrictEqual({
      latitude: 1,
      longitude: 2,
      name: 'Store 7',
      address: 'MG Road',
    });
  });

  it("does not take someone else's shared contact as the sender's phone", () => {
    const update = privateMessage({
      contact: { phone_number: '+44 20 7946 0000', first_name: 'Other', user_id: 5 },
    });
    const [event] = toInboundEvents(update);
    expect(event?.contact).toStrictEqual({ phone: '+442079460000', name: 'Other', userId: '5' });
    expect(event?.from.phone).toBeUndefined();
  });

  it('answers a poll as unsupported and ignores service messages', () => {
    expect(toInboundEvents(privateMessage({ poll: { id: 'p' } }))[0]?.kind).toBe('unsupported');
    expect(toInboundEvents(privateMessage({ pinned_message: { message_id: 1 } }))).toEqual([]);
  });

  it('reads an unblock (kicked → member) as blocked: false', () => {
    const update = fixture('my_chat_member_blocked.json') as any;
    update.my_chat_member.old_chat_member.status = 'kicked';
    update.my_chat_member.new_chat_member = {
      user: update.my_chat_member.new_chat_member.user,
      status: 'member',
    };
    expect(toInboundEvents(update)[0]).toMatchObject({
      kind: 'blocked',
      blocked: false,
      externalId: '100000001:unblocked:1767262200',
    });
  });

  it('ignores edits without text (live locations) and group callbacks', () => {
    const edit = fixture('edited_message.json') as any;
    delete edit.edited_message.text;
    edit.edited_message.location = { latitude: 1, longitude: 2 };
    expect(toInboundEvents(edit)).toEqual([]);
    const callback = fixture('callback_query.json') as any;
    callback.callback_query.message.chat = {
      id: -1001000000001,
      type: 'supergroup',
      title: 'Agents',
    };
    expect(toInboundEvents(callback)).toEqual([]);
  });

  it('ignores channel posts and other update kinds', () => {
    const post = {
      update_id: 3,
      channel_post: {
        message_id: 1,
        date: 1,
        chat: { id: -100, type: 'channel', title: 'x' },
        text: 'hi',
      },
    };
    expect(toInboundEvents(post as unknown as Update)).toEqual([]);
    expect(toInboundEvents({ update_id: 4, poll: { id: 'p' } } as unknown as Update)).toEqual([]);
  });
});
