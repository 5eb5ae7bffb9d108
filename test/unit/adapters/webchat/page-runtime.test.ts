import { describe, expect, it } from 'vitest';
import { loadPage, until } from './fake-browser.js';
import { request, setup } from './support.js';

const TOKEN_KEY = 'parley.webchat.token';
const RECEIPT_KEY = 'parley.webchat.receipt';

async function pageHtml(channel: ReturnType<typeof setup>['channel']) {
  return (await channel.page(request('GET'))).body as string;
}

describe('the chat page script, run against the handlers', () => {
  it('opens a session, sends the receipt with the first message and shows replies', async () => {
    const { channel, events, add } = setup({ longPollMs: 5_000 });
    const storage = new Map<string, string>();
    const html = await pageHtml(channel);
    const page = loadPage(channel, html, {
      storage,
      search: '?receipt=RCPT.sig',
      languages: ['hi-IN', 'en'],
    });
    await until(() => storage.has(TOKEN_KEY));

    // Localized from the browser's language; the receipt is out of the address bar.
    expect(page.document.documentElement.lang).toBe('hi');
    expect(page.el('send').textContent).toBe('भेजें');
    expect(page.el('input').placeholder).toBe('संदेश लिखें…');
    expect(page.el('title').textContent).toBe('हमसे चैट करें');
    expect(page.history.replaced).toEqual(['/chat']);
    expect(storage.get(RECEIPT_KEY)).toBe('RCPT.sig');

    page.el('input').value = '  my fan stopped  ';
    page.el('composer').dispatch('submit');
    await until(() => events.length === 1);
    const session = storage.get(TOKEN_KEY)!.split('.')[0]!;
    expect(events[0]).toMatchObject({
      channel: 'webchat',
      kind: 'text',
      chatId: session,
      text: 'my fan stopped',
      receiptToken: 'RCPT.sig',
      from: { id: session, languageCode: 'hi-IN' },
    });
    expect(page.el('input').value).toBe('');
    const log = page.el('log');
    // The poll brings the customer's own message back; it confirms the bubble, no duplicate.
    // The receipt is dropped once the post is accepted (the poll may answer before or after).
    await until(() => log.children[0]!.className === 'msg me' && !storage.has(RECEIPT_KEY));

    add(session, {
      author: 'bot',
      text: '<img src=x onerror=alert(1)> Which one?',
      buttons: [{ id: 'p:fan', title: 'Ceiling fan' }],
      list: { buttonText: 'More', rows: [{ id: 'p:ac', title: 'AC', description: 'Split' }] },
    });
    await channel.sender.send({ channel: 'webchat', chatId: session, text: 'Which one?' });
    await until(() => log.children.length === 2);
    const bot = log.children[1]!;
    expect(bot.className).toBe('msg them');
    expect(bot.children[0]!.textContent).toBe('<img src=x onerror=alert(1)> Which one?');
    const chips = bot.find((e) => e.className === 'chip');
    expect(chips.map((c) => c.textContent)).toEqual(['Ceiling fan', 'ACSplit']);

    chips[0]!.click();
    await until(() => events.length === 2);
    expect(events[1]).toMatchObject({
      kind: 'button',
      buttonPayload: 'p:fan',
      text: 'Ceiling fan',
    });
    expect(events[1]!.receiptToken).toBeUndefined();
    expect(chips.every((c) => c.disabled)).toBe(true);
    await until(() => log.children.length === 3 && !log.children[2]!.classList.contains('pending'));

    page.el('input').value = '/start again';
    page.el('input').dispatch('keydown', { key: 'Enter', shiftKey: false });
    await until(() => events.length === 3);
    expect(events[2]).toMatchObject({ kind: 'command', command: { name: 'start', args: 'again' } });
    page.stop();

    // A reload keeps the session (token in localStorage) and shows the history.
    const reloaded = loadPage(channel, await pageHtml(channel), { storage, languages: ['es-MX'] });
    await until(() => reloaded.el('log').children.length === 4);
    expect(storage.get(TOKEN_KEY)!.startsWith(`${session}.`)).toBe(true);
    expect(reloaded.el('log').children.map((c) => c.textContent.slice(0, 11))).toEqual([
      'my fan stop',
      '<img src=x ',
      'Ceiling fan',
      '/start agai',
    ]);
    expect(reloaded.el('send').textContent).toBe('Enviar');
    reloaded.stop();
  });

  it('starts over with a new session when the stored token is refused', async () => {
    const { channel, events } = setup({ longPollMs: 5_000 });
    const storage = new Map([[TOKEN_KEY, 'forged.token']]);
    const page = loadPage(channel, await pageHtml(channel), { storage });
    await until(() => storage.get(TOKEN_KEY) !== 'forged.token');
    page.el('input').value = 'hello';
    page.el('composer').dispatch('submit');
    await until(() => events.length === 1);
    expect(events[0]!.chatId).toBe(storage.get(TOKEN_KEY)!.split('.')[0]);
    expect(page.document.documentElement.lang).toBe('en');
    page.stop();
  });

  it('shows the error state and a retry button when a message is refused', async () => {
    const { channel } = setup({
      longPollMs: 5_000,
      onEvent: async () => {
        throw new Error('down');
      },
    });
    const storage = new Map<string, string>();
    const page = loadPage(channel, await pageHtml(channel), { storage });
    await until(() => storage.has(TOKEN_KEY));
    page.el('input').value = 'x'.repeat(4001); // over the limit: 400, which retrying cannot fix
    page.el('composer').dispatch('submit');
    const log = page.el('log');
    await until(() => log.children[0]?.classList.contains('failed') === true);
    expect(page.el('status').hidden).toBe(false);
    expect(page.el('status').textContent).toBe('Something went wrong. Please try again.');
    expect(log.children[0]!.find((e) => e.className === 'retry')).toHaveLength(1);
    page.stop();
  });
});
