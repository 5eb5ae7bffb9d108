import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../support/chat-driver.js';
import { ADMIN_KEY, type TestParley, startTestParley } from '../../support/test-parley.js';
import { FakeWhatsAppWebClient, waMessage } from '../../unit/adapters/whatsapp-web/fake-client.js';

let parley: TestParley;
const client = new FakeWhatsAppWebClient();

beforeAll(async () => {
  parley = await startTestParley({
    env: { WHATSAPP_MODE: 'web' },
    channels: { whatsappWebClient: client },
  });
});
afterAll(() => parley?.close());

describe('WhatsApp Web (phone-linked mode)', () => {
  it('shows the QR only to the admin', async () => {
    client.emit('qr', 'QR-DATA-123');
    const anonymous = await fetch(`${parley.url}/admin/whatsapp-web`);
    expect(anonymous.status).toBe(401);
    const admin = await fetch(`${parley.url}/admin/whatsapp-web`, {
      headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_KEY}`).toString('base64')}` },
    });
    expect(admin.status).toBe(200);
    expect(await admin.text()).toContain('QR-DATA-123');
  });

  it('takes a customer message through the bot and answers on the linked phone', async () => {
    client.emit('ready');
    client.emit(
      'message',
      waMessage({
        id: { _serialized: 'false_919900000005@c.us_AAA1' },
        from: '919900000005@c.us',
        body: 'hello',
      }),
    );
    const replies = await waitFor(() => {
      const sent = client.sent.filter((c) => c.chatId === '919900000005@c.us');
      return sent.length >= 2 ? sent : undefined;
    });
    const text = replies.map((c) => String(c.content)).join('\n');
    expect(text).toMatch(/choose a topic/i);
    expect(text).toMatch(/^1\. /m); // options as numbered lines: Web has no buttons
    const { rows } = await parley.database.pool.query(
      "select count(*)::int as n from messages where channel = 'whatsapp' and author_type = 'customer'",
    );
    expect(rows[0].n).toBe(1);
  });
});
