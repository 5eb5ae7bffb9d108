/**
 * A pg client that prepares the application's parametrized statements. drizzle sends every
 * statement unnamed, so PostgreSQL parses, analyzes and plans it on every call; most of what
 * the inbound pipeline costs the server is that, not executing. Named by their text, each
 * statement is prepared once per connection and then only bound and executed (PostgreSQL picks
 * a generic or a custom plan per statement, as for any prepared statement).
 *
 * Statement texts are few (one per query shape: the inbound pipeline and the dispatcher use a
 * few dozen), but a shape may vary with a list's length (`in ($1, $2…)`): past `MAX_NAMED`
 * distinct texts per process, new texts go unnamed, so a connection never holds more than that
 * many prepared statements (each costs its backend some memory for the parsed query and plan).
 */
import pg from 'pg';

const MAX_NAMED = 500;
const names = new Map<string, string>();

function nameFor(text: string): string | undefined {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMED) {
    name = `parley_${names.size.toString(36)}`;
    names.set(text, name);
  }
  return name;
}

interface QueryConfigLike {
  text?: unknown;
  name?: unknown;
  values?: unknown;
  submit?: unknown;
}

export class PreparingClient extends pg.Client {
  // pg's many overloads cannot be restated here (this only adds a name to a config object).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(config: unknown, values?: unknown, callback?: unknown): any {
    const c = config as QueryConfigLike | null;
    const params = Array.isArray(values) ? values : c?.values;
    if (
      c &&
      typeof c === 'object' &&
      typeof c.text === 'string' &&
      c.name === undefined &&
      typeof c.submit !== 'function' &&
      Array.isArray(params) &&
      params.length > 0
    ) {
      const name = nameFor(c.text);
      if (name) config = { ...c, name };
    }
    return (super.query as (...args: unknown[]) => unknown)(config, values, callback);
  }
}
