import { describe, expect, it } from 'vitest';
import { firstLanguageTag } from '../../../../adapters/webchat/inbound.js';
import { newSession, NOW, request, setup } from './support.js';

describe('POST /chat/api/messages', () => {
  it('records a text message as an InboundEvent and answers 202', async () => {
    const { channel, events } = setup();
    const { session, token } = await newSession(channel);
    const res = await channel.postMessage(
      request('POST', {
        token,
        headers: { 'accept-language': 'hi-IN,hi;q=0.9,en;q=0.8' },
        body: { client_message_id: 'c-1', text: '  my fan is broken  ', name: 'Asha' },
      }),
    );
    expect(res).toMatchObject({ status: 202, body: { ok: true } });
    expect(events).toEqual([
      {
        channel: 'webchat',
        kind: 'text',
        externalId: `${session}:c-1`,
        chatId: session,
        from: { id: session, name: 'Asha', languageCode: 'hi-IN' },
        sentAt: NOW,
        text: 'my fan is broken',
      },
    ]);
  });

  it('detects commands and forwards the receipt token', async () => {
    const { channel, events } = setup();
    const { token } = await newSession(channel);
    await channel.postMessage(
      request('POST', {
        token,
        body: { client_message_id: 'c-2', text: '/Start hello  there', receipt: 'rcpt.abc' },
      }),
    );
    expect(events[0]).toMatchObject({
      kind: 'command',
      text: '/Start hello  there',
      command: { name: 'start', args: 'hello  there' },
      receiptToken: 'rcpt.abc',
    });
    expect(events[0]!.from.languageCode).toBeUndefined();
    await channel.postMessage(
      request('POST', { token, body: { client_message_id: 'c-3', text: '/ nope' } }),
    );
    expect(events[1]).toMatchObject({ kind: 'text', text: '/ nope' });
    expect(events[1]!.receiptToken).toBeUndefined();
  });

  it('sends a tapped chip as a button event', async () => {
    const { channel, events } = setup();
    const { token } = await newSession(channel);
    await channel.postMessage(
      request('POST', {
        token,
        body: { client_message_id: 'c-4', text: 'Refund', button: 'cat:refund' },
      }),
    );
    expect(events[0]).toMatchObject({
      kind: 'button',
      buttonPayload: 'cat:refund',
      text: 'Refund',
    });
  });

  it('answers 401 without a valid token and records nothing', async () => {
    const { channel, events } = setup();
    const { token } = await newSession(channel);
    const body = { client_message_id: 'c-5', text: 'hi' };
    for (const bad of [
      undefined,
      `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`,
      'x.y',
    ]) {
      const res = await channel.postMessage(
        request('POST', { ...(bad ? { token: bad } : {}), body }),
      );
      expect(res).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    }
    expect(events).toEqual([]);
  });

  it.each([
    ['not JSON', Buffer.from('{')],
    ['no client id', { text: 'hi' }],
    ['a client id with a colon', { client_message_id: 'a:b', text: 'hi' }],
    ['a client id over 64', { client_message_id: 'a'.repeat(65), text: 'hi' }],
    ['empty text', { client_message_id: 'c', text: '   ' }],
    ['text over 4000', { client_message_id: 'c', text: 'x'.repeat(4001) }],
    ['a name over 100', { client_message_id: 'c', text: 'hi', name: 'n'.repeat(101) }],
    ['a text that is a number', { client_message_id: 'c', text: 5 }],
    ['an upload when uploads are off', { client_message_id: 'c', upload: 'x.y' }],
  ])('answers 400 invalid_request for %s', async (_name, body) => {
    const { channel, events } = setup();
    const { token } = await newSession(channel);
    const res = await channel.postMessage(
      request('POST', { token, ...(Buffer.isBuffer(body) ? { raw: body } : { body }) }),
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: { code: 'invalid_request', message: expect.any(String) },
    });
    expect(events).toEqual([]);
  });

  it('answers 500 when recording fails, so the page sends it again', async () => {
    const { channel, lines } = setup({
      onEvent: async () => {
        throw new Error('db down');
      },
    });
    const { token } = await newSession(channel);
    const res = await channel.postMessage(
      request('POST', { token, body: { client_message_id: 'c-6', text: 'secret text' } }),
    );
    expect(res).toMatchObject({ status: 500, body: { error: { code: 'internal' } } });
    expect(lines.some((l) => l.level === 'error')).toBe(true);
    expect(JSON.stringify(lines.map((l) => l.obj))).not.toContain('secret text');
  });

  it('refuses other methods', async () => {
    const { channel } = setup();
    const res = await channel.postMessage(request('PUT'));
    expect(res.status).toBe(405);
    expect(res.headers?.allow).toBe('POST');
  });
});

describe('firstLanguageTag', () => {
  it('takes the first well-formed tag', () => {
    expect(firstLanguageTag('es-419,es;q=0.9')).toBe('es-419');
    expect(firstLanguageTag('zh-Hant-TW')).toBe('zh-Hant-TW');
    expect(firstLanguageTag(' id ; q=1')).toBe('id');
    expect(firstLanguageTag('*')).toBeUndefined();
    expect(firstLanguageTag('')).toBeUndefined();
    expect(firstLanguageTag(undefined)).toBeUndefined();
    expect(firstLanguageTag('<script>')).toBeUndefined();
  });
});
