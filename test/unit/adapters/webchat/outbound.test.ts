import { describe, expect, it } from 'vitest';
import { ChannelApiError } from '../../../../src/ports/channel.js';
import { createWebchatSender } from '../../../../adapters/webchat/outbound.js';
import type { WebchatPublished } from '../../../../adapters/webchat/outbound.js';

describe('createWebchatSender', () => {
  it('publishes text, buttons and list to the session and returns a wc- id', async () => {
    const published: [string, WebchatPublished][] = [];
    const sender = createWebchatSender({ publish: (s, m) => void published.push([s, m]) });
    const list = {
      buttonText: 'Choose',
      rows: [{ id: 'p1', title: 'Fan', description: 'Model X' }],
    };
    const a = await sender.send({
      channel: 'webchat',
      chatId: 'sess',
      text: 'Pick one',
      buttons: [{ id: 'y', title: 'Yes' }],
      list,
    });
    const b = await sender.send({ channel: 'webchat', chatId: 'sess', text: 'again' });
    expect(a.externalId).toMatch(/^wc-[A-Za-z0-9_-]{16}$/);
    expect(b.externalId).not.toBe(a.externalId);
    expect(published).toEqual([
      ['sess', { text: 'Pick one', buttons: [{ id: 'y', title: 'Yes' }], list }],
      ['sess', { text: 'again' }],
    ]);
  });

  it('refuses a message for another channel as permanent', async () => {
    const sender = createWebchatSender({ publish: () => undefined });
    const err = await sender.send({ channel: 'telegram', chatId: '1', text: 'x' }).catch((e) => e);
    expect(err).toBeInstanceOf(ChannelApiError);
    expect(err.details).toMatchObject({ channel: 'webchat', permanent: true });
  });
});
