import { describe, expect, it } from 'vitest';
import { createSessionTokens, createSigner } from '../../../../adapters/webchat/session.js';
import { newSession, request, SECRET, setup } from './support.js';

describe('session tokens', () => {
  const tokens = createSessionTokens(createSigner(SECRET));

  it('issues <session>.<sig> in base64url and verifies it', () => {
    const { session, token } = tokens.issue();
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    expect(token.startsWith(`${session}.`)).toBe(true);
    expect(tokens.verify(token)).toBe(session);
    expect(tokens.issue().session).not.toBe(session);
  });

  it('refuses tampered, foreign and malformed tokens', () => {
    const { session, token } = tokens.issue();
    const other = tokens.issue();
    const sig = token.split('.')[1]!;
    const flipped = `${session}.${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    expect(tokens.verify(flipped)).toBeUndefined();
    expect(tokens.verify(`${other.session}.${sig}`)).toBeUndefined();
    expect(
      tokens.verify(createSessionTokens(createSigner(`${SECRET}x`)).issue().token),
    ).toBeUndefined();
    for (const bad of [undefined, '', session, `${token}.x`, `${session}.`, `.${sig}`, 'a.b']) {
      expect(tokens.verify(bad)).toBeUndefined();
    }
  });

  it('accepts exactly one spelling of a signature', () => {
    const { token } = tokens.issue();
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(token.at(-1)!);
    // The last of 43 characters carries 4 bits and 2 spare ones; flipping a spare bit must fail.
    for (const spare of [last ^ 1, last ^ 2, last ^ 3]) {
      expect(tokens.verify(token.slice(0, -1) + alphabet[spare])).toBeUndefined();
    }
  });

  it('needs a real secret', () => {
    expect(() => createSigner('short')).toThrow(/at least 16/);
  });
});

describe('POST /chat/api/session', () => {
  it('issues a session, and reuses it when its token is sent back', async () => {
    const { channel } = setup();
    const first = await channel.createSession(request('POST'));
    expect(first.status).toBe(200);
    expect(first.headers?.['cache-control']).toBe('no-store');
    const { session, token } = first.body as { session: string; token: string };
    const again = await channel.createSession(request('POST', { body: { token } }));
    expect(again.body).toEqual({ session, token });
  });

  it('issues a new session for a stale or tampered token', async () => {
    const { channel } = setup();
    const { session, token } = await newSession(channel);
    const res = await channel.createSession(request('POST', { body: { token: `${token}x` } }));
    expect(res.status).toBe(200);
    expect((res.body as { session: string }).session).not.toBe(session);
  });

  it('refuses other methods and bodies that are not an object', async () => {
    const { channel } = setup();
    expect((await channel.createSession(request('GET'))).status).toBe(405);
    const res = await channel.createSession(request('POST', { raw: Buffer.from('{nope') }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'invalid_request' } });
  });

  it('a token from another session cannot read its messages', async () => {
    const { channel, add } = setup();
    const a = await newSession(channel);
    const b = await newSession(channel);
    add(a.session, { author: 'bot', text: 'for A only' });
    const res = await channel.poll(request('GET', { token: b.token, query: { wait: '0' } }));
    expect(res.body).toMatchObject({ messages: [] });
    const forged = `${a.session}.${b.token.split('.')[1]}`;
    expect((await channel.poll(request('GET', { token: forged }))).status).toBe(401);
  });
});
