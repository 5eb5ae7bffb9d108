import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../fakes/slack-api.js';
import { outboxDrained } from '../../support/chat-driver.js';
import { type TestParley, apiClient, startTestParley } from '../../support/test-parley.js';

const TOKEN = 'xoxb-watchers';
let slack: FakeSlack;
let parley: TestParley;
let ana: { id: string };
let ben: { id: string };
let asAna: ReturnType<typeof apiClient>;

beforeAll(async () => {
  slack = await startFakeSlack({ token: TOKEN });
  parley = await startTestParley({
    channels: { slackPaceIntervalMs: 10 },
    env: {
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: 'watchers-signing',
      SLACK_API_URL: slack.apiUrl,
      SLACK_TRIAGE_CHANNEL: 'C0TRIAGE77',
    },
  });
  ana = (
    await parley.api('POST', '/agents', {
      body: { name: 'Ana', role: 'agent', slack_user_id: 'U0ANA00001' },
    })
  ).body;
  ben = (
    await parley.api('POST', '/agents', {
      body: { name: 'Ben', role: 'agent', slack_user_id: 'U0BEN00001' },
    })
  ).body;
  asAna = apiClient(
    `${parley.url}/api/v1`,
    (await parley.api('POST', `/agents/${ana.id}/api-keys`)).body.api_key,
  );
});
afterAll(async () => {
  await parley?.close();
  await slack?.close();
});

const dms = (user: string) => slack.posted(user).map((m) => m.text);

describe('watcher notices', () => {
  it('DMs watchers about the events they chose, and never about their own changes', async () => {
    const ticket = (
      await parley.api('POST', '/tickets', {
        body: { customer: { name: 'C' }, subject: 'Wobbly table', category: 'order_issue' },
      })
    ).body;
    await parley.api('PUT', `/tickets/${ticket.id}/watchers/${ana.id}`, { body: {} });
    await parley.api('PUT', `/tickets/${ticket.id}/watchers/${ben.id}`, {
      body: { notify: { events: ['status'] } },
    });

    await parley.api('PATCH', `/tickets/${ticket.id}`, { body: { status: 'in_progress' } });
    const asBen = apiClient(
      `${parley.url}/api/v1`,
      (await parley.api('POST', `/agents/${ben.id}/api-keys`)).body.api_key,
    );
    await asBen('POST', `/tickets/${ticket.id}/messages`, {
      body: { body: 'Checked the warehouse photos', internal: true },
    });
    await outboxDrained(parley.database.pool);
    expect(dms('U0ANA00001')).toEqual([
      `${ticket.number} Wobbly table: new → in_progress`,
      `${ticket.number} Wobbly table, note: Checked the warehouse photos`,
    ]);
    expect(dms('U0BEN00001')).toEqual([`${ticket.number} Wobbly table: new → in_progress`]);

    // Ana's own change reaches Ben (it is a status change) but not Ana.
    await asAna('PATCH', `/tickets/${ticket.id}`, { body: { status: 'awaiting_customer' } });
    await outboxDrained(parley.database.pool);
    expect(dms('U0ANA00001')).toHaveLength(2);
    expect(dms('U0BEN00001').at(-1)).toBe(
      `${ticket.number} Wobbly table: in_progress → awaiting_customer`,
    );
  });
});
