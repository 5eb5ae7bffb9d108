/**
 * Hostile input over every webhook and public endpoint (issue 6): Telegram (with the right
 * secret token), WhatsApp Cloud (signed with X-Hub-Signature-256), Slack events, slash commands
 * and interactions (signed), and the web chat (session, messages, poll, upload). Payloads are
 * the shared platform fixtures with one field replaced by a hostile value, pollution keys added
 * at any depth, malformed JSON, and customer texts full of unicode edge cases and SQL; the same
 * payloads unsigned must be refused with 401 and record nothing.
 *
 * Every answer is 2xx or 4xx (4xx in the contract's error shape). Afterwards: every recorded
 * customer event went through the bot without an error, each hostile customer text got a
 * localized answer that is not the bot's "something went wrong", nothing is half-written,
 * the process is up and no prototype is polluted.
 *
 * Bounded by FUZZ_RUNS (default 12 runs per property); FUZZ_SEED replays a failing run.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedFixture, waitFor } from '../../support/chat-driver.js';
import {
  SECRETS,
  type FuzzParley,
  slackHeaders,
  startFuzzParley,
  whatsappSignature,
} from './fuzz/harness.js';
import { type BodyMutation, malformedJson, mutatedBody, nastyString } from './fuzz/hostile.js';
import {
  expectAlive,
  expectNothingHalfWritten,
  expectPrototypesClean,
  genericErrorReplies,
} from './fuzz/invariants.js';
import { type Probe, describeProbe, expectPolite } from './fuzz/probe.js';
import { JPEG, encodeSegment } from './fuzz/rest-inputs.js';
import { RUNS, fcOptions } from './fuzz/runs.js';

const AGENT_SLACK_ID = 'U0TESTAGTB'; // the Slack fixtures' user
const AGENT_TELEGRAM_ID = 100_000_002; // an agent in the Telegram agents' group
/** Hostile strings short enough for a URL (Node answers 431 itself to a 16 KB request head). */
const shortNasty = nastyString.filter((s) => s.length < 2000);

let fuzz: FuzzParley;
let ticketNumber = '';
let seq = 0;
const url = (path: string) => `${fuzz.parley.url}${path}`;
/** Chats that were sent a hostile text as their first message: each must get a polite answer. */
const hostileChats: { channel: string; chatId: string; text: string }[] = [];

beforeAll(async () => {
  fuzz = await startFuzzParley();
  await fuzz.parley.api('POST', '/agents', {
    body: {
      name: 'Agent B',
      role: 'supervisor',
      slack_user_id: AGENT_SLACK_ID,
      telegram_user_id: String(AGENT_TELEGRAM_ID),
    },
  });
  const ticket = await fuzz.parley.api('POST', '/tickets', {
    body: { customer: { name: 'Someone' }, subject: 'Existing', category: 'order_issue' },
  });
  ticketNumber = ticket.body.number;
}, 60_000);

afterAll(async () => {
  await fuzz?.close();
});

/** What a refused webhook must not have written: a recorded inbound event (the bot's work on
 * earlier events goes on meanwhile, so messages are not counted here). */
async function inboundCount(): Promise<number> {
  const { rows } = await fuzz.parley.database.pool.query<{ n: number }>(
    "select count(*)::int as n from outbox where destination like 'inbound:%'",
  );
  return rows[0]!.n;
}

async function expectRefusedUnsigned(probe: Probe): Promise<void> {
  const before = await inboundCount();
  const answer = await expectPolite(probe);
  expect(answer.status, describeProbe(probe, answer)).toBe(401);
  expect(await inboundCount(), describeProbe(probe, answer)).toBe(before);
}

// ── Telegram ─────────────────────────────────────────────────────────────────────────────

const TELEGRAM_FIXTURES = [
  'message_text',
  'message_start_deeplink',
  'message_photo',
  'message_document',
  'message_voice',
  'message_location',
  'message_contact',
  'edited_message',
  'callback_query',
  'my_chat_member_blocked',
];

/** A fixture as from a new customer (fresh update, message and chat ids). */
function telegramUpdate(name: string): Record<string, any> {
  const update = sharedFixture(`telegram/${name}.json`);
  const n = ++seq;
  update.update_id = 900_000_000 + n;
  const chatId = 300_000_000 + n;
  for (const key of ['message', 'edited_message']) {
    if (!update[key]) continue;
    update[key].message_id = 70_000 + n;
    update[key].chat.id = chatId;
    update[key].from.id = chatId;
  }
  if (update.callback_query) {
    update.callback_query.id = `cb${n}`;
    update.callback_query.from.id = chatId;
    update.callback_query.message.chat.id = chatId;
  }
  if (update.my_chat_member) {
    update.my_chat_member.chat.id = chatId;
    update.my_chat_member.from.id = chatId;
  }
  return update;
}

const telegramProbe = (m: BodyMutation, secret: string | null = SECRETS.telegramSecret): Probe => ({
  label: `telegram [${m.label}]`,
  method: 'POST',
  url: url('/webhooks/telegram'),
  headers: {
    'content-type': 'application/json',
    ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }),
  },
  body: m.text,
});

describe('Telegram webhook fuzz', { timeout: 60_000 }, () => {
  it('answers hostile updates (right secret) with 2xx/4xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...TELEGRAM_FIXTURES).chain((name) => mutatedBody(telegramUpdate(name))),
        async (m) => {
          await expectPolite(telegramProbe(m));
        },
      ),
      { ...fcOptions, numRuns: RUNS * 4 },
    );
  });

  it('answers a hostile text from a new customer with a polite reply', async () => {
    await fc.assert(
      fc.asyncProperty(nastyString, async (text) => {
        const update = telegramUpdate('message_text');
        update.message.text = text;
        const answer = await expectPolite(
          telegramProbe({
            label: `text ${JSON.stringify(text.slice(0, 30))}`,
            text: JSON.stringify(update),
          }),
        );
        if (answer.status === 200 && text.split('\u0000').join('').trim() !== '')
          hostileChats.push({ channel: 'telegram', chatId: String(update.message.chat.id), text });
      }),
      fcOptions,
    );
  });

  it("answers hostile agent commands in the agents' group with 2xx/4xx", async () => {
    const verbs = [
      '/ticket',
      '/ticket reply',
      '/ticket note',
      '/ticket link',
      '/ticket status',
      '',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...verbs),
        fc.constantFrom(ticketNumber, '', '__proto__', '1'),
        nastyString,
        async (verb, ref, text) => {
          const update = telegramUpdate('message_text');
          update.message.chat = {
            id: Number(SECRETS.telegramAgentChat),
            title: 'Agents',
            type: 'supergroup',
          };
          update.message.from.id = AGENT_TELEGRAM_ID;
          update.message.text = `${verb} ${ref} ${text}`.trim();
          await expectPolite(
            telegramProbe({
              label: `agents' group ${JSON.stringify(update.message.text.slice(0, 40))}`,
              text: JSON.stringify(update),
            }),
          );
        },
      ),
      fcOptions,
    );
  });

  it('refuses the same updates without the secret or with a wrong one (401, nothing recorded)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...TELEGRAM_FIXTURES).map((name) => telegramUpdate(name)),
        fc.constantFrom(
          null,
          '',
          'wrong',
          `${SECRETS.telegramSecret}x`,
          SECRETS.telegramSecret.slice(1),
        ),
        async (update, secret) => {
          await expectRefusedUnsigned(
            telegramProbe(
              { label: `secret ${JSON.stringify(secret)}`, text: JSON.stringify(update) },
              secret,
            ),
          );
        },
      ),
      fcOptions,
    );
  });
});

// ── WhatsApp Cloud ───────────────────────────────────────────────────────────────────────

const WHATSAPP_FIXTURES = [
  'text',
  'image',
  'document',
  'audio',
  'video',
  'location',
  'contacts',
  'interactive_button_reply',
  'interactive_list_reply',
  'button',
  'status_sent',
  'status_delivered',
  'status_read',
  'status_failed',
  'unsupported',
];

function whatsappNotification(name: string): Record<string, any> {
  const notification = sharedFixture(`whatsapp/${name}.json`);
  const value = notification.entry[0].changes[0].value;
  const n = ++seq;
  const waId = `91990${String(1_000_000 + n)}`;
  if (value.contacts) value.contacts = [{ profile: { name: 'Cust F' }, wa_id: waId }];
  for (const message of value.messages ?? []) {
    message.from = waId;
    message.id = `wamid.FUZZ${n}`;
  }
  return notification;
}

const whatsappProbe = (m: BodyMutation, signed = true): Probe => ({
  label: `whatsapp [${m.label}]`,
  method: 'POST',
  url: url('/webhooks/whatsapp'),
  headers: {
    'content-type': 'application/json',
    ...(signed ? { 'x-hub-signature-256': whatsappSignature(m.text) } : {}),
  },
  body: m.text,
});

describe('WhatsApp webhook fuzz', { timeout: 60_000 }, () => {
  it('answers hostile notifications (correctly signed) with 2xx/4xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom(...WHATSAPP_FIXTURES)
          .chain((name) => mutatedBody(whatsappNotification(name))),
        async (m) => {
          await expectPolite(whatsappProbe(m));
        },
      ),
      { ...fcOptions, numRuns: RUNS * 4 },
    );
  });

  it('answers a hostile text from a new customer with a polite reply', async () => {
    await fc.assert(
      fc.asyncProperty(nastyString, async (text) => {
        const notification = whatsappNotification('text');
        const message = notification.entry[0].changes[0].value.messages[0];
        message.text.body = text;
        const answer = await expectPolite(
          whatsappProbe({
            label: `text ${JSON.stringify(text.slice(0, 30))}`,
            text: JSON.stringify(notification),
          }),
        );
        if (answer.status === 200 && text.split('\u0000').join('').trim() !== '')
          hostileChats.push({ channel: 'whatsapp', chatId: message.from, text });
      }),
      fcOptions,
    );
  });

  it('refuses unsigned and wrongly signed notifications (401, nothing recorded)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom(...WHATSAPP_FIXTURES)
          .map((name) => JSON.stringify(whatsappNotification(name))),
        fc.constantFrom(null, '', 'sha256=', 'sha256=00', 'sha1=abc', 'wrong'),
        async (text, signature) => {
          const probe = whatsappProbe(
            { label: `signature ${JSON.stringify(signature)}`, text },
            false,
          );
          if (signature !== null) probe.headers!['x-hub-signature-256'] = signature;
          await expectRefusedUnsigned(probe);
        },
      ),
      fcOptions,
    );
    // Signed for other bytes than the ones sent.
    const body = JSON.stringify(whatsappNotification('text'));
    const probe = whatsappProbe({ label: 'signature of other bytes', text: `${body} ` }, false);
    probe.headers!['x-hub-signature-256'] = whatsappSignature(body);
    await expectRefusedUnsigned(probe);
  });

  it('answers hostile subscription checks with the challenge or 403', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('subscribe', 'unsubscribe', '', '__proto__'),
        fc.oneof(fc.constant(SECRETS.whatsappVerify), shortNasty.map(encodeSegment)),
        shortNasty.map(encodeSegment),
        async (mode, token, challenge) => {
          const answer = await expectPolite({
            label: 'whatsapp verify',
            method: 'GET',
            url: url(
              `/webhooks/whatsapp?hub.mode=${mode}&hub.verify_token=${token}&hub.challenge=${challenge}`,
            ),
          });
          // The challenge is echoed, but as inert text: never something a browser would render.
          if (answer.status === 200) {
            expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
            expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
          }
        },
      ),
      fcOptions,
    );
  });
});

// ── Slack ────────────────────────────────────────────────────────────────────────────────

const SLACK_EVENT_FIXTURES = [
  'event_message_in_thread',
  'event_app_mention',
  'event_message_changed',
  'event_message_bot',
  'url_verification',
];

function slackEvent(name: string): Record<string, any> {
  const event = sharedFixture(`slack/${name}.json`);
  if (event.event_id) event.event_id = `Ev${++seq}FUZZ`;
  if (event.event) event.event.channel = SECRETS.slackTriage;
  return event;
}

function slashForm(text: string): string {
  const form = new URLSearchParams(
    'token=x&team_id=T0TESTHD01&channel_id=C0FUZZTRIAGE&user_id=U0TESTAGTB&command=%2Fticket&response_url=http%3A%2F%2F127.0.0.1%3A9%2Fnowhere&trigger_id=1.2.3',
  );
  form.set('text', text);
  return form.toString();
}

const slackProbe = (label: string, body: string, contentType: string, signed = true): Probe => ({
  label: `slack [${label}]`,
  method: 'POST',
  url: url('/slack/events'),
  headers: signed ? slackHeaders(body, contentType) : { 'content-type': contentType },
  body,
});

describe('Slack fuzz', { timeout: 60_000 }, () => {
  it('answers hostile events (correctly signed) with 2xx/4xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SLACK_EVENT_FIXTURES).chain((name) => mutatedBody(slackEvent(name))),
        async (m) => {
          await expectPolite(slackProbe(m.label, m.text, 'application/json'));
        },
      ),
      { ...fcOptions, numRuns: RUNS * 3 },
    );
  });

  it('answers hostile slash commands (correctly signed) with 2xx/4xx', async () => {
    const verbs = [
      '',
      'help',
      'show',
      'reply',
      'note',
      'status',
      'assign',
      'priority',
      'resolve',
      'link',
      'canned',
      'list',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...verbs),
        fc.constantFrom(ticketNumber, '', '#1', '__proto__', '../../etc/passwd'),
        nastyString,
        async (verb, ref, text) => {
          const body = slashForm(`${verb} ${ref} ${text}`.trim());
          await expectPolite(
            slackProbe(
              `/ticket ${verb} ${JSON.stringify(text.slice(0, 30))}`,
              body,
              'application/x-www-form-urlencoded',
            ),
          );
        },
      ),
      { ...fcOptions, numRuns: RUNS * 3 },
    );
    // A form with every field hostile, and one with fields repeated.
    await expectPolite(
      slackProbe(
        'form of junk',
        'text=%&user_id=%00&command=',
        'application/x-www-form-urlencoded',
      ),
    );
    await expectPolite(
      slackProbe(
        'repeated fields',
        `${slashForm('help')}&user_id=U0OTHER&text=list`,
        'application/x-www-form-urlencoded',
      ),
    );
  });

  it('answers hostile interactions (correctly signed) with 2xx/4xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom('block_actions', 'view_submission')
          .chain((name) => mutatedBody(sharedFixture(`slack/${name}.json`))),
        async (m) => {
          const body = `payload=${encodeURIComponent(m.text.replace(/[\ud800-\udfff]/g, '?'))}`;
          await expectPolite(slackProbe(m.label, body, 'application/x-www-form-urlencoded'));
        },
      ),
      { ...fcOptions, numRuns: RUNS * 3 },
    );
  });

  it("carries hostile agent replies in a ticket's thread to the customer", async () => {
    // A Telegram customer asks for an agent: a ticket and its card in Slack.
    const update = telegramUpdate('message_text');
    update.message.text = 'agent';
    const chatId = String(update.message.chat.id);
    expect(
      (
        await expectPolite(
          telegramProbe({ label: 'ask for an agent', text: JSON.stringify(update) }),
        )
      ).status,
    ).toBe(200);
    const card = await waitFor(async () => {
      const { rows } = await fuzz.parley.database.pool.query<{ ts: string; ticket_id: string }>(
        `select s.ts, s.ticket_id from slack_cards s join tickets t on t.id = s.ticket_id
         join conversations c on c.id = t.conversation_id where c.chat_id = $1`,
        [chatId],
      );
      return rows[0];
    }, 20_000);
    const replies: string[] = [];
    await fc.assert(
      fc.asyncProperty(nastyString, async (text) => {
        const event = slackEvent('event_message_in_thread');
        Object.assign(event.event, {
          text,
          thread_ts: card.ts,
          user: AGENT_SLACK_ID,
          ts: `${Date.now() / 1000}`,
        });
        delete event.event.blocks;
        const body = JSON.stringify(event);
        const answer = await expectPolite(
          slackProbe(`thread reply ${JSON.stringify(text.slice(0, 30))}`, body, 'application/json'),
        );
        if (answer.status === 200) replies.push(text);
      }),
      fcOptions,
    );
    // Every reply Slack was told we took is on the ticket (as the agent's message), in one piece.
    const storable = replies.filter((t) => t.split('\u0000').join('').trim() !== '');
    const { rows } = await waitFor(async () => {
      const found = await fuzz.parley.database.pool.query<{ body: string }>(
        "select body from messages where ticket_id = $1 and author_type = 'agent'",
        [card.ticket_id],
      );
      return found.rows.length >= storable.length ? found : undefined;
    }, 20_000);
    expect(rows.length).toBeGreaterThanOrEqual(storable.length);
  });

  it('refuses unsigned, wrongly signed and stale requests (401, nothing recorded)', async () => {
    const body = JSON.stringify(slackEvent('event_message_in_thread'));
    const good = slackHeaders(body, 'application/json');
    const stale = Math.floor(Date.now() / 1000) - 600;
    const variants: Record<string, string>[] = [
      { 'content-type': 'application/json' },
      { ...good, 'x-slack-signature': 'v0=00' },
      { ...good, 'x-slack-request-timestamp': String(stale) },
      { ...good, 'x-slack-request-timestamp': 'NaN' },
      { ...good, 'x-slack-request-timestamp': '-1' },
      { ...good, 'x-slack-signature': '' },
    ];
    for (const headers of variants) {
      const probe: Probe = {
        label: 'slack unsigned',
        method: 'POST',
        url: url('/slack/events'),
        headers,
        body,
      };
      await expectRefusedUnsigned(probe);
      // Which check failed is for the logs, not for a forger.
      expect((await expectPolite(probe)).text).not.toMatch(/stale|bad_|missing_headers|timestamp/);
    }
  });
});

// ── Web chat ─────────────────────────────────────────────────────────────────────────────

async function webchatSession(): Promise<{ session: string; token: string }> {
  const res = await fetch(url('/chat/api/session'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { session: string; token: string };
}

describe('web chat fuzz', { timeout: 60_000 }, () => {
  it('answers hostile session requests with 2xx/4xx', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedBody({ token: 'abc.def' }), async (m) => {
        await expectPolite({
          label: `session [${m.label}]`,
          method: 'POST',
          url: url('/chat/api/session'),
          headers: { 'content-type': 'application/json' },
          body: m.text,
        });
      }),
      fcOptions,
    );
  });

  it('answers hostile messages with 2xx/4xx, and a hostile first text with a polite reply', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          mutatedBody({ client_message_id: 'm1', text: 'hello', name: 'Visitor' }),
          mutatedBody({ client_message_id: 'm1', button: 'cat:order_issue' }),
          mutatedBody({ client_message_id: 'm1', text: 'hi', receipt: 'abc.def', upload: 'x.y' }),
          nastyString.map((text) => ({
            label: `text ${JSON.stringify(text.slice(0, 30))}`,
            text: JSON.stringify({ client_message_id: 'first', text }),
            hostileText: text,
          })),
        ),
        fc.constantFrom('es-MX,es;q=0.9', 'zz', '*', '__proto__', 'hi-IN', ''),
        async (m, language) => {
          const { session, token } = await webchatSession();
          const answer = await expectPolite({
            label: `webchat message [${m.label}]`,
            method: 'POST',
            url: url('/chat/api/messages'),
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${token}`,
              'accept-language': language,
            },
            body: m.text,
          });
          const text = (m as { hostileText?: string }).hostileText;
          if (
            text !== undefined &&
            answer.status < 300 &&
            text.trim().length > 0 &&
            text.length <= 4000
          )
            hostileChats.push({ channel: 'webchat', chatId: session, text });
        },
      ),
      { ...fcOptions, numRuns: RUNS * 3 },
    );
  });

  it('answers hostile polls with 2xx/4xx, quickly', async () => {
    const { token } = await webchatSession();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          shortNasty.map(encodeSegment),
          fc.constantFrom('-1', '1e309', '99999999999999999999', '%'),
        ),
        async (after) => {
          await expectPolite({
            label: 'webchat poll',
            method: 'GET',
            url: url(`/chat/api/messages?wait=0&after=${after}`),
            headers: { authorization: `Bearer ${token}` },
          });
        },
      ),
      fcOptions,
    );
  });

  it('refuses uploads whose bytes are not the image type they claim, and unsigned ones', async () => {
    const { token } = await webchatSession();
    const spoofs: { type: string; data: Buffer; ok: boolean }[] = [
      { type: 'image/jpeg', data: JPEG, ok: true },
      { type: 'image/png', data: JPEG, ok: false },
      { type: 'image/svg+xml', data: Buffer.from('<svg onload="alert(1)"/>'), ok: false },
      { type: 'text/html', data: Buffer.from('<script>alert(1)</script>'), ok: false },
      { type: 'image/jpeg', data: Buffer.from('<script>alert(1)</script>xxxxxxxx'), ok: false },
      { type: 'image/gif', data: Buffer.from('MZ\x90\x00 windows exe...'), ok: false },
      { type: '', data: JPEG, ok: false },
      { type: 'image/jpeg; name="../../etc/passwd"', data: JPEG, ok: true },
      { type: 'application/octet-stream', data: JPEG, ok: false },
      { type: 'image/jpeg', data: Buffer.alloc(0), ok: false },
    ];
    for (const spoof of spoofs) {
      const probe: Probe = {
        label: `upload as ${spoof.type}`,
        method: 'POST',
        url: url('/chat/api/upload'),
        headers: {
          authorization: `Bearer ${token}`,
          ...(spoof.type ? { 'content-type': spoof.type } : {}),
        },
        body: spoof.data,
      };
      const answer = await expectPolite(probe);
      expect(answer.status < 300, describeProbe(probe, answer)).toBe(spoof.ok);
    }
    await expectRefusedUnsigned({
      label: 'upload without a session',
      method: 'POST',
      url: url('/chat/api/upload'),
      headers: { 'content-type': 'image/jpeg', authorization: 'Bearer forged.token' },
      body: JPEG,
    });
  });

  it('answers hostile requests to the pages and probes with 2xx/4xx', async () => {
    for (const path of ['/', '/chat', '/healthz', '/readyz', '/api/v1/openapi.json', '/nowhere']) {
      for (const query of [
        '',
        '?__proto__[polluted]=1',
        '?constructor[prototype][polluted]=1',
        '?receipt=%00%ff%',
        `?x=${'a'.repeat(8000)}`,
      ]) {
        await expectPolite({ label: 'page', method: 'GET', url: url(`${path}${query}`) });
      }
    }
    for (const body of malformedJsonSamples()) {
      await expectPolite({
        label: 'post to a page',
        method: 'POST',
        url: url('/chat'),
        headers: { 'content-type': 'application/json' },
        body,
      });
    }
  });
});

function malformedJsonSamples(): string[] {
  return fc.sample(malformedJson({ a: 1 }), { numRuns: 5, seed: 1 }).map((m) => m.text);
}

// ── Afterwards ───────────────────────────────────────────────────────────────────────────

describe('webhook fuzz: afterwards', { timeout: 60_000 }, () => {
  it('ran every recorded customer event through the bot, with polite localized replies', async () => {
    const pool = fuzz.parley.database.pool;
    await waitFor(async () => {
      const { rows } = await pool.query<{ n: number }>(
        "select count(*)::int as n from outbox where destination like 'inbound:%' and status in ('pending','sending') and attempts = 0",
      );
      return rows[0]!.n === 0 ? true : undefined;
    }, 20_000);
    const generic = genericErrorReplies();
    const { rows: botReplies } = await pool.query<{ body: string }>(
      "select body from messages where author_type = 'bot'",
    );
    expect(botReplies.filter((m) => generic.includes(m.body))).toEqual([]);
    expect(hostileChats.length).toBeGreaterThan(0);
    for (const chat of hostileChats) {
      const { rows } = await pool.query<{ body: string }>(
        `select m.body from messages m join conversations c on c.id = m.conversation_id
         where c.channel = $1 and c.chat_id = $2 and m.author_type = 'bot'`,
        [chat.channel, chat.chatId],
      );
      expect(
        rows.length,
        `${chat.channel} ${chat.chatId} got no reply to ${JSON.stringify(chat.text.slice(0, 60))}`,
      ).toBeGreaterThan(0);
    }
  });

  it('is still up, with no prototype polluted and nothing half-written', async () => {
    await expectAlive(fuzz.parley);
    expectPrototypesClean();
    await expectNothingHalfWritten(fuzz.parley);
  });
});
