import { describe, expect, it } from 'vitest';
import { createSessionNotifier } from '../../../../adapters/webchat/notifier.js';
import { newSession, request, setup } from './support.js';

type PollBody = { messages: { id: string; text: string }[]; cursor: string | null };

describe('GET /chat/api/messages', () => {
  it('returns what listMessages gives, with the last id as the cursor', async () => {
    const { channel, add } = setup();
    const { session, token } = await newSession(channel);
    const hello = add(session, {
      author: 'bot',
      text: 'What is it about?',
      buttons: [{ id: 'cat:refund', title: 'Refund' }],
    });
    const res = await channel.poll(request('GET', { token }));
    expect(res.status).toBe(200);
    expect(res.headers?.['cache-control']).toBe('no-store');
    expect(res.body).toEqual({ messages: [hello], cursor: hello.id });
    const second = add(session, { author: 'agent', text: 'Hi, Ravi here' });
    const next = await channel.poll(request('GET', { token, query: { after: hello.id } }));
    expect(next.body).toEqual({ messages: [second], cursor: second.id });
  });

  it('long-polls until the sender publishes for that session', async () => {
    const { channel, add } = setup({ longPollMs: 5_000 });
    const { session, token } = await newSession(channel);
    const other = await newSession(channel);
    const started = Date.now();
    const pending = channel.poll(request('GET', { token, query: { after: 'm0000' } }));
    await new Promise((r) => setTimeout(r, 30));
    await channel.sender.send({ channel: 'webchat', chatId: other.session, text: 'not yours' });
    await new Promise((r) => setTimeout(r, 30));
    const reply = add(session, { author: 'bot', text: 'Thanks!' });
    const receipt = await channel.sender.send({
      channel: 'webchat',
      chatId: session,
      text: 'Thanks!',
    });
    expect(receipt.externalId).toMatch(/^wc-[A-Za-z0-9_-]+$/);
    const res = await pending;
    expect((res.body as PollBody).messages).toEqual([reply]);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('answers an empty page after the long-poll timeout, keeping the cursor', async () => {
    const { channel } = setup({ longPollMs: 50 });
    const { token } = await newSession(channel);
    const started = Date.now();
    const res = await channel.poll(request('GET', { token, query: { after: 'm0007' } }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(res.body).toEqual({ messages: [], cursor: 'm0007' });
  });

  it('does not wait with wait=0, when the client goes away, or after close()', async () => {
    const { channel } = setup({ longPollMs: 10_000 });
    const { token } = await newSession(channel);
    const started = Date.now();
    expect((await channel.poll(request('GET', { token, query: { wait: '0' } }))).body).toEqual({
      messages: [],
      cursor: null,
    });
    const abort = new AbortController();
    const aborted = channel.poll(request('GET', { token, signal: abort.signal }));
    setTimeout(() => abort.abort(), 20);
    await aborted;
    const closing = channel.poll(request('GET', { token }));
    setTimeout(() => channel.close(), 20);
    await closing;
    await channel.poll(request('GET', { token }));
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('answers 401, 400 and 500 where due', async () => {
    const { channel } = setup({
      listMessages: async () => {
        throw new Error('db down');
      },
    });
    const { token } = await newSession(channel);
    expect((await channel.poll(request('GET'))).status).toBe(401);
    const bad = await channel.poll(request('GET', { token, query: { after: '<x>' } }));
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    expect((await channel.poll(request('GET', { token }))).status).toBe(500);
    expect((await channel.poll(request('DELETE', { token }))).status).toBe(405);
  });
});

describe('session notifier', () => {
  it('bounds waiting polls per session and in all', async () => {
    const notifier = createSessionNotifier({ maxWaiters: 3, maxWaitersPerSession: 2 });
    const a1 = notifier.subscribe('a');
    const a2 = notifier.subscribe('a');
    expect(notifier.subscribe('a')).toBeUndefined();
    const b1 = notifier.subscribe('b');
    expect(notifier.subscribe('c')).toBeUndefined();
    expect(notifier.waiting()).toBe(3);
    for (const s of [a1, a2, b1]) s!.close();
    expect(notifier.waiting()).toBe(0);
    expect(notifier.subscribe('c')).toBeDefined();
  });

  it('keeps a wake-up that came before wait()', async () => {
    const notifier = createSessionNotifier();
    const sub = notifier.subscribe('a')!;
    notifier.notify('a');
    expect(sub.notified).toBe(true);
    await sub.wait(60_000);
    sub.close();
  });
});
