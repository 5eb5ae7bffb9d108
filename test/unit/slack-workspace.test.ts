/** The AgentWorkspace on Slack: delivery marks are reactions, and a repeated one is not an error. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackWebClient } from '../../adapters/slack/web-client.js';
import { createPacer } from '../../src/channel-pacer.js';
import { WorkspaceApiError } from '../../src/ports/agent-workspace.js';
import { slackWorkspace } from '../../src/slack-workspace.js';
import { type FakeSlack, slackError, startFakeSlack } from '../fakes/slack-api.js';

const TOKEN = 'xoxb-workspace-unit';
let slack: FakeSlack;

beforeAll(async () => {
  slack = await startFakeSlack({ token: TOKEN });
});
afterAll(() => slack?.close());

const workspace = () =>
  slackWorkspace(
    createSlackWebClient({ token: TOKEN, apiUrl: slack.apiUrl }),
    createPacer({ intervalMs: 1, maxWaitMs: 1000 }),
  );

describe('slackWorkspace.markMessage', () => {
  it('adds the reaction, and takes already_reacted (a retry after Slack took it) as done', async () => {
    const ts = slack.userPosts('C0UNIT01', { user: 'U0AGENT01', text: 'hello' });
    await workspace().markMessage({ channel: 'C0UNIT01', ts }, 'outbox_tray');
    expect(slack.reactionsOn('C0UNIT01', ts)).toEqual(['outbox_tray']);
    await expect(
      workspace().markMessage({ channel: 'C0UNIT01', ts }, 'outbox_tray'),
    ).resolves.toBeUndefined();
    expect(slack.requests.filter((r) => r.method === 'reactions.add').at(-1)?.params.name).toBe(
      'outbox_tray',
    );
  });

  it('reports other failures as WorkspaceApiError with permanence and retry-after', async () => {
    const ts = slack.userPosts('C0UNIT01', { user: 'U0AGENT01', text: 'again' });
    slack.script('reactions.add', [slackError('ratelimited', { status: 429, retryAfter: '3' })]);
    const limited = await workspace()
      .markMessage({ channel: 'C0UNIT01', ts }, 'x')
      .catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(WorkspaceApiError);
    expect((limited as WorkspaceApiError).retryAfterMs).toBe(3000);
    const gone = await workspace()
      .markMessage({ channel: 'C0UNIT01', ts: '1.000001' }, 'x')
      .catch((e: unknown) => e);
    expect((gone as WorkspaceApiError).permanent).toBe(true);
  });
});
