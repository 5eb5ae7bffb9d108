import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../../adapters/slack/verify.js';
import { type FakeSlack, startFakeSlack } from '../../fakes/slack-api.js';
import { waitFor } from '../../support/chat-driver.js';
import { type TestParley, startTestParley } from '../../support/test-parley.js';

const TOKEN = 'xoxb-deadline';
const SIGNING = 'deadline-signing-secret';
let slack: FakeSlack;
let parley: TestParley;

beforeAll(async () => {
  slack = await startFakeSlack({ token: TOKEN });
  parley = await startTestParley({
    // Every command counts as slow here, so the response_url path is the one exercised.
    channels: { slackPaceIntervalMs: 10, slackCommandDeadlineMs: 0 },
    env: {
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: SIGNING,
      SLACK_API_URL: slack.apiUrl,
      SLACK_TRIAGE_CHANNEL: 'C0TRIAGE55',
    },
  });
  await parley.api('POST', '/agents', {
    body: { name: 'Dee', role: 'agent', slack_user_id: 'U0DEE00001' },
  });
});
afterAll(async () => {
  await parley?.close();
  await slack?.close();
});

describe('a slow /ticket command', () => {
  it('is acknowledged at once and answered through response_url, running once', async () => {
    const ticket = (
      await parley.api('POST', '/tickets', {
        body: { customer: { name: 'C' }, subject: 'Late sofa', category: 'order_issue' },
      })
    ).body;
    const raw = readFileSync(
      fileURLToPath(
        new URL('../../../../shared/fixtures/slack/slash_command.txt', import.meta.url),
      ),
      'utf8',
    );
    const form = new URLSearchParams(raw);
    form.set('text', `claim ${ticket.number}`);
    form.set('user_id', 'U0DEE00001');
    form.set('response_url', slack.responseUrl('slow-claim'));
    const body = form.toString();
    const ts = Math.floor(Date.now() / 1000);
    const res = await fetch(`${parley.url}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': signSlackRequest(SIGNING, ts, body),
      },
      body,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ response_type: 'ephemeral', text: 'Working on it…' });
    const [late] = await waitFor(() => {
      const r = slack.responses('slow-claim');
      return r.length ? r : undefined;
    });
    expect(late!.body).toMatchObject({ response_type: 'ephemeral' });
    expect(JSON.stringify(late!.body)).toContain(ticket.number);
    expect((await parley.api('GET', `/tickets/${ticket.id}`)).body.assignee?.name).toBe('Dee');
  });
});
