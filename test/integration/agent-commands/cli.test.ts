import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli.js';
import { type TestParley, startTestParley } from '../../support/test-parley.js';

let parley: TestParley;
beforeAll(async () => {
  parley = await startTestParley();
});
afterAll(() => parley?.close());

describe('npx parley ticket …', () => {
  it('runs the agent grammar against the same database, as the named agent', async () => {
    await parley.api('POST', '/agents', {
      body: { name: 'Cli Agent', email: 'cli@example.test', role: 'agent' },
    });
    const ticket = (
      await parley.api('POST', '/tickets', {
        body: { customer: { name: 'C' }, subject: 'From the CLI', category: 'billing' },
      })
    ).body;
    const env = {
      DATABASE_URL: parley.database.url,
      DATA_DIR: '/tmp/parley-cli-test',
      LOG_LEVEL: 'silent',
    };

    const claim = await runCli(['ticket', '--as', 'cli@example.test', 'claim', ticket.number], env);
    expect(claim.code).toBe(0);
    expect((await parley.api('GET', `/tickets/${ticket.id}`)).body.assignee.name).toBe('Cli Agent');

    const close = await runCli(['ticket', '--as', 'cli@example.test', 'close', ticket.number], env);
    expect(close.code).toBe(1);
    expect(close.out).toMatch(/supervisor/i);

    const stranger = await runCli(
      ['ticket', '--as', 'nobody@example.test', 'show', ticket.number],
      env,
    );
    expect(stranger.out).toBe('You are not an agent of this team.');
    const bad = await runCli(['ticket', 'frobnicate'], env);
    expect(bad.code).toBe(2);
  });
});
