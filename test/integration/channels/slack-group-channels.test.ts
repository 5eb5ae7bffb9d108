import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../fakes/slack-api.js';
import { outboxDrained } from '../../support/chat-driver.js';
import { type TestParley, startTestParley } from '../../support/test-parley.js';

const TOKEN = 'xoxb-group-channels';
const TRIAGE = 'C0TRIAGE99';

let slack: FakeSlack;
let parley: TestParley;
beforeAll(async () => {
  slack = await startFakeSlack({ token: TOKEN });
  parley = await startTestParley({
    channels: { slackPaceIntervalMs: 10 },
    env: {
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: 'group-channels-signing',
      SLACK_API_URL: slack.apiUrl,
      SLACK_TRIAGE_CHANNEL: TRIAGE,
    },
  });
});
afterAll(async () => {
  await parley?.close();
  await slack?.close();
});

describe('per-group Slack channels', () => {
  it("posts a ticket's card in its queue's channel, others in triage", async () => {
    await parley.api('POST', '/groups', {
      body: { name: 'Returns', slack_channel_id: 'C0RETURNS1' },
    });
    await parley.api('PATCH', '/settings', { body: { routing: { return_refund: 'Returns' } } });
    const open = async (subject: string, category: string) =>
      (
        await parley.api('POST', '/tickets', {
          body: { customer: { name: 'C' }, subject, category },
        })
      ).body;
    const routed = await open('Return my kettle', 'return_refund');
    const other = await open('Where is my order', 'order_issue');
    await outboxDrained(parley.database.pool);
    expect(slack.posted('C0RETURNS1').map((m) => m.text)).toEqual([
      expect.stringContaining(routed.number),
    ]);
    expect(slack.posted(TRIAGE).map((m) => m.text)).toEqual([
      expect.stringContaining(other.number),
    ]);
    // Later changes update the card where it is.
    await parley.api('PATCH', `/tickets/${routed.id}`, { body: { priority: 'urgent' } });
    await outboxDrained(parley.database.pool);
    expect(slack.posted('C0RETURNS1')[0]!.edits).toBeGreaterThan(0);
  });
});
