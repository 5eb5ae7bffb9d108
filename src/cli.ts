/**
 * `npx parley ticket <command…>`: the agents' command grammar from a terminal, on the same
 * database as the server (DATABASE_URL, or the embedded PostgreSQL under DATA_DIR — a running
 * server's is reused and left running). The agent is `--as <email>` or PARLEY_AGENT_EMAIL.
 */
import { pino } from 'pino';
import { createAppDeps } from './app-deps.js';
import { type CommandResult, runAgentCommand } from './app/run-agent-command.js';
import { ConfigError, loadConfig } from './config.js';
import { systemClock } from './domain/clock.js';
import { isParseError, parseAgentCommand } from './engine/agent-commands/parse.js';
import { createDatabase, runMigrations } from './storage/database.js';
import { startEmbeddedPostgres } from './storage/embedded-postgres.js';

const USAGE = 'Usage: parley ticket [--as <agent email>] <command…>   (try: parley ticket help)';

function parseArgs(argv: string[]): { as?: string; words: string[] } {
  const [area, ...rest] = argv;
  if (area !== 'ticket') throw new Error(USAGE);
  let as: string | undefined;
  const words: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--as') as = rest[++i];
    else words.push(rest[i]!);
  }
  return { ...(as ? { as } : {}), words };
}

export async function runCli(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; out: string }> {
  let args;
  try {
    args = parseArgs(argv);
  } catch (err) {
    return { code: 2, out: (err as Error).message };
  }
  const parsed = parseAgentCommand(args.words.join(' '));
  if (isParseError(parsed)) return { code: 2, out: parsed.text };

  const config = loadConfig(env);
  const logger = pino({ level: 'warn' }, pino.destination(2));
  let stopEmbedded: (() => Promise<void>) | undefined;
  let url = config.databaseUrl;
  if (!url) {
    const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, logger, port: 0 });
    url = embedded.url;
    if (!embedded.reused) stopEmbedded = () => embedded.stop();
  }
  const database = createDatabase(url, { max: 2 });
  try {
    await runMigrations(database.db);
    const deps = createAppDeps({ config, db: database.db, clock: systemClock, logger });
    const tenant = await deps.uow.read.tenants.findBySlug(env.PARLEY_TENANT ?? 'default');
    if (!tenant)
      return {
        code: 1,
        out: `No tenant "${env.PARLEY_TENANT ?? 'default'}": start Parley once first.`,
      };
    const email = (args.as ?? env.PARLEY_AGENT_EMAIL ?? '').trim().toLowerCase();
    const agents = await deps.uow.read.agents.list(tenant.id);
    const agent = agents.find((a) => a.email === email && a.active) ?? null;
    const result: CommandResult = await runAgentCommand(
      deps,
      { tenant, agent, surface: 'cli' },
      parsed,
      async (mention) => {
        if (mention.kind === 'email')
          return agents.find((a) => a.email === mention.email.toLowerCase()) ?? null;
        if (mention.kind === 'slack')
          return agents.find((a) => a.slackUserId === mention.userId) ?? null;
        return (
          agents.find(
            (a) => a.telegramUserId === mention.username || a.name === mention.username,
          ) ?? null
        );
      },
    );
    return { code: result.ok ? 0 : 1, out: result.text };
  } finally {
    await database.close();
    await stopEmbedded?.();
  }
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  runCli(process.argv.slice(2)).then(
    ({ code, out }) => {
      process.stdout.write(`${out}\n`);
      process.exit(code);
    },
    (err: unknown) => {
      process.stderr.write(
        `${err instanceof ConfigError ? err.message : err instanceof Error ? err.stack : String(err)}\n`,
      );
      process.exit(1);
    },
  );
}
