/**
 * Slack presence as availability (tenant setting `slack_presence_availability`): with it on,
 * round-robin skips an agent whose Slack presence is away (users.getPresence on the fake Slack,
 * cached 60 s on Parley's clock); with it off, presence is not even asked; a Slack error counts
 * as available.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/domain/clock.js';
import { type FakeSlack, slackError, startFakeSlack } from '../../fakes/slack-api.js';
import { outboxDrained } from '../../support/chat-driver.js';
import { type TestParley, startTestParley } from '../../support/test-parley.js';

const TOKEN = 'xoxb-presence';
const ANN = 'U0PRESANN1';
const BOB = 'U0PRESBOB1';
const clock = new ManualClock(Date.now());

let slack: FakeSlack;
let parley: TestParley;
const agentIds: Record<string, string> = {};

beforeAll(async () => {
  slack = await startFakeSlack({ token: TOKEN });
  parley = await startTestParley({
    clock,
    channels: { slackPaceIntervalMs: 5 },
    env: {
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: 'presence-signing-secret',
      SLACK_API_URL: slack.apiUrl,
      SLACK_TRIAGE_CHANNEL: 'C0TESTSUP1',
    },
  });
  for (const [name, slackId] of [
    ['Ann', ANN],
    ['Bob', BOB],
  ] as const) {
    const res = await parley.api('POST', '/agents', {
      body: { name, role: 'agent', slack_user_id: slackId, groups: ['desk'] },
    });
    expect(res.status).toBe(201);
    agentIds[name] = res.body.id;
  }
  const groups = (await parley.api('GET', '/groups')).body.data as { id: string; name: string }[];
  const desk = groups.find((g) => g.name === 'desk')!;
  expect(
    (await parley.api('PATCH', `/groups/${desk.id}`, { body: { assignment: 'round_robin' } }))
      .status,
  ).toBe(200);
  await setting({ routing: { billing: 'desk' } });
});
afterAll(async () => {
  await parley?.close();
  await slack?.close();
});

async function setting(patch: Record<string, unknown>) {
  const res = await parley.api('PATCH', '/settings', { body: patch });
  expect(res.status).toBe(200);
}

/** A new billing ticket (routed to the desk group, auto-assigned); the assignee's name. */
async function nextTicketGoesTo(): Promise<string | null> {
  clock.advance(1000);
  const res = await parley.api('POST', '/tickets', {
    body: {
      customer: { name: 'Cust', email: 'c@example.test' },
      subject: 'Bill',
      category: 'billing',
    },
  });
  expect(res.status).toBe(201);
  const ticket = (await parley.api('GET', `/tickets/${res.body.id}`)).body;
  return ticket.assignee?.name ?? null;
}

const presenceCalls = () => slack.requests.filter((r) => r.method === 'users.getPresence');

describe('Slack presence as availability', () => {
  it('is off by default: round-robin as before, and Slack is not asked', async () => {
    slack.setPresence(ANN, 'away');
    const got = [await nextTicketGoesTo(), await nextTicketGoesTo(), await nextTicketGoesTo()];
    expect(new Set(got)).toEqual(new Set(['Ann', 'Bob']));
    expect(got[0]).not.toBe(got[1]);
    expect(got[1]).not.toBe(got[2]);
    expect(presenceCalls()).toHaveLength(0);
  });

  it('when on, tickets go to the active agent while the other is away', async () => {
    await setting({ slack_presence_availability: true });
    const got = [await nextTicketGoesTo(), await nextTicketGoesTo(), await nextTicketGoesTo()];
    expect(got).toEqual(['Bob', 'Bob', 'Bob']);
    // Cached: one look-up per agent within the minute, not one per ticket.
    expect(presenceCalls().filter((r) => r.params.user === ANN)).toHaveLength(1);
  });

  it('the agent who comes back gets the next ticket (once the cached presence expires)', async () => {
    slack.setPresence(ANN, 'active');
    expect(await nextTicketGoesTo()).toBe('Bob'); // still cached as away
    clock.advance(61_000);
    expect(await nextTicketGoesTo()).toBe('Ann');
    expect(await nextTicketGoesTo()).toBe('Bob');
  });

  it('counts a Slack error as available', async () => {
    slack.setPresence(ANN, 'away');
    slack.setPresence(BOB, 'away');
    clock.advance(61_000);
    slack.script('users.getPresence', [slackError('internal_error'), slackError('internal_error')]);
    const got = [await nextTicketGoesTo(), await nextTicketGoesTo()];
    // Both errors counted as available for the first ticket; the second sees both away.
    expect(got[0]).not.toBeNull();
    expect(got[1]).toBeNull();
    await outboxDrained(parley.database.pool);
  });
});
