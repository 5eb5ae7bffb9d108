import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGraphClient } from '../../../../adapters/whatsapp-cloud/graph-client.js';
import { createWhatsAppCloudSender } from '../../../../adapters/whatsapp-cloud/outbound.js';
import { ChannelApiError, type OutboundMessage } from '../../../../src/ports/channel.js';
import { graphError, startFakeGraph, type FakeGraph } from '../../../fakes/graph-api.js';
import { fixtureJson } from './fixtures.js';

const TOKEN = 'fake-token';
const PHONE_NUMBER_ID = '100000000000002';
const TO = '919900000001';
const files = new Map([['abc123', Buffer.from('fake-jpeg-bytes')]]);

let graph: FakeGraph;
beforeEach(async () => {
  graph = await startFakeGraph({ token: TOKEN });
});
afterEach(async () => {
  await graph.close();
});

function sender(token = TOKEN) {
  return createWhatsAppCloudSender({
    client: createGraphClient({ baseUrl: graph.baseUrl, token }),
    phoneNumberId: PHONE_NUMBER_ID,
    readFile: async (sha) => files.get(sha) ?? Buffer.alloc(0),
    listButtonText: 'Options',
  });
}
const msg = (m: Partial<OutboundMessage>): OutboundMessage => ({
  channel: 'whatsapp',
  chatId: TO,
  ...m,
});

async function failure(p: Promise<unknown>): Promise<ChannelApiError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ChannelApiError);
  return err as ChannelApiError;
}

describe('WhatsApp Cloud sender', () => {
  it('sends text exactly as send_text_request.json, with the bearer token', async () => {
    const expected = fixtureJson('send_text_request.json');
    const receipt = await sender().send(msg({ text: expected.text.body }));
    expect(receipt).toEqual({ externalId: 'wamid.1' });
    expect(graph.sentMessages()).toEqual([expected]);
    expect(graph.requests[0]).toMatchObject({
      method: 'POST',
      path: `/${PHONE_NUMBER_ID}/messages`,
    });
    expect(graph.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('sends reply buttons shaped like send_interactive_buttons_request.json', async () => {
    const fixture = fixtureJson('send_interactive_buttons_request.json');
    const buttons = fixture.interactive.action.buttons.map((b: any) => b.reply);
    await sender().send(msg({ text: fixture.interactive.body.text, buttons }));
    delete fixture.interactive.header; // the port has no header or footer
    delete fixture.interactive.footer;
    expect(graph.sentMessages()).toEqual([fixture]);
  });

  it('sends a list shaped like send_interactive_list_request.json (one section)', async () => {
    const fixture = fixtureJson('send_interactive_list_request.json');
    const rows = fixture.interactive.action.sections.flatMap((s: any) => s.rows);
    await sender().send(
      msg({
        text: fixture.interactive.body.text,
        list: { buttonText: fixture.interactive.action.button, rows },
      }),
    );
    delete fixture.interactive.header;
    delete fixture.interactive.footer;
    fixture.interactive.action.sections = [{ rows }];
    expect(graph.sentMessages()).toEqual([fixture]);
  });

  it('sends a template shaped like send_template_request.json (body parameters)', async () => {
    const fixture = fixtureJson('send_template_request.json');
    const body = fixture.template.components.find((c: any) => c.type === 'body');
    await sender().send(
      msg({
        template: {
          name: fixture.template.name,
          language: fixture.template.language.code,
          bodyParams: body.parameters.map((p: any) => p.text),
        },
      }),
    );
    fixture.template.components = [body]; // the port carries no button parameters
    expect(graph.sentMessages()).toEqual([fixture]);
  });

  it('turns more than 3 buttons into a list, truncating long labels', async () => {
    const buttons = [1, 2, 3, 4].map((n) => ({
      id: `b${n}`,
      title: `Option number ${n} with a long title`,
    }));
    await sender().send(msg({ text: 'Pick one', buttons }));
    const [sent] = graph.sentMessages() as any[];
    expect(sent.interactive.type).toBe('list');
    expect(sent.interactive.action.button).toBe('Options');
    expect(sent.interactive.action.sections).toEqual([
      { rows: buttons.map((b) => ({ id: b.id, title: `${b.title.slice(0, 23)}…` })) },
    ]);
  });

  it('truncates button titles to 20 characters with an ellipsis', async () => {
    await sender().send(
      msg({ text: 'Done?', buttons: [{ id: 'y', title: 'Yes, this fixed my problem' }] }),
    );
    const [sent] = graph.sentMessages() as any[];
    expect(sent.interactive.action.buttons[0].reply.title).toBe('Yes, this fixed my …');
    expect(Array.from(sent.interactive.action.buttons[0].reply.title as string)).toHaveLength(20);
  });

  it('refuses buttons without a text, permanently', async () => {
    const err = await failure(sender().send(msg({ buttons: [{ id: 'y', title: 'Yes' }] })));
    expect(err.details).toMatchObject({ code: 'body_required', permanent: true });
    expect(graph.requests).toHaveLength(0);
  });

  it('splits text over 4096 characters into ordered messages', async () => {
    const paragraph = `${'word '.repeat(199)}end.\n`; // 1000 characters
    const text = paragraph.repeat(9).trimEnd();
    const receipt = await sender().send(msg({ text }));
    const bodies = (graph.sentMessages() as any[]).map((m) => m.text.body as string);
    expect(bodies.length).toBe(3);
    for (const b of bodies) expect(b.length).toBeLessThanOrEqual(4096);
    expect(bodies.join('\n')).toBe(text);
    expect(receipt.externalId).toBe('wamid.3');
  });

  it('uploads media, then sends it by id with its caption', async () => {
    await sender().send(
      msg({
        media: {
          kind: 'photo',
          sha256: 'abc123',
          mimeType: 'image/jpeg',
          fileName: 'p.jpg',
          caption: 'The parcel',
        },
      }),
    );
    const [upload, send] = graph.requests;
    expect(upload).toMatchObject({ method: 'POST', path: `/${PHONE_NUMBER_ID}/media` });
    expect(upload?.form?.fields).toEqual({ messaging_product: 'whatsapp', type: 'image/jpeg' });
    expect(upload?.form?.file).toEqual({
      name: 'p.jpg',
      type: 'image/jpeg',
      data: files.get('abc123'),
    });
    expect(send?.json).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: TO,
      type: 'image',
      image: { id: 'media.1', caption: 'The parcel' },
    });
  });

  it('sends a document with its file name, and audio captions as a following text', async () => {
    await sender().send(
      msg({
        media: {
          kind: 'document',
          sha256: 'abc123',
          mimeType: 'application/pdf',
          fileName: 'i.pdf',
        },
      }),
    );
    await sender().send(
      msg({
        media: {
          kind: 'voice',
          sha256: 'abc123',
          mimeType: 'audio/ogg',
          fileName: 'v.ogg',
          caption: 'Listen',
        },
      }),
    );
    expect(graph.sentMessages().map((m) => [m.type, m[m.type as string]])).toEqual([
      ['document', { id: 'media.1', filename: 'i.pdf' }],
      ['audio', { id: 'media.2' }],
      ['text', { preview_url: false, body: 'Listen' }],
    ]);
  });

  describe('failures', () => {
    it('a 429 is retryable after Retry-After', async () => {
      graph.script('messages', [graphError(130429, { status: 429, retryAfter: '7' })]);
      const err = await failure(sender().send(msg({ text: 'hi' })));
      expect(err.details).toMatchObject({
        status: 429,
        code: 130429,
        retryAfterMs: 7000,
        permanent: false,
      });
    });

    it('a rate-limit code without Retry-After waits the default 60 s', async () => {
      graph.script('messages', [graphError(80007, { status: 400 })]);
      const err = await failure(sender().send(msg({ text: 'hi' })));
      expect(err.details).toMatchObject({ code: 80007, retryAfterMs: 60_000, permanent: false });
    });

    it('131047 (outside the 24-hour window) is permanent with its code', async () => {
      graph.script('messages', [graphError(131047, { message: 'Re-engagement message' })]);
      const err = await failure(sender().send(msg({ text: 'hi' })));
      expect(err.details).toMatchObject({
        channel: 'whatsapp',
        status: 400,
        code: 131047,
        permanent: true,
      });
      expect(err.details.retryAfterMs).toBeUndefined();
      expect(err.details.payload).toMatchObject({ code: 131047, fbtrace_id: 'FakeTrace0001' });
    });

    it('a 5xx is retryable without a delay hint', async () => {
      graph.script('messages', [{ status: 503, body: { error: { message: 'down', code: 2 } } }]);
      const err = await failure(sender().send(msg({ text: 'hi' })));
      expect(err.details).toMatchObject({ status: 503, permanent: false });
      expect(err.details.retryAfterMs).toBeUndefined();
    });

    it('a bad token (190) is permanent', async () => {
      const err = await failure(sender('wrong-token').send(msg({ text: 'hi' })));
      expect(err.details).toMatchObject({ status: 401, code: 190, permanent: true });
    });

    it('an unreachable Graph is retryable', async () => {
      const client = createGraphClient({ baseUrl: 'http://127.0.0.1:9/v21.0', token: TOKEN });
      const err = await failure(client.post('/x/messages', {}));
      expect(err.details).toMatchObject({ code: 'network_error', permanent: false });
    });
  });
});
