/** The HTTP entry points main.ts uses: the app with Parley's use cases, and the server. */
import type { Express } from 'express';
import { buildHttpApp, type HttpAppOptions } from './app.js';
import { defaultUseCases } from './default-use-cases.js';
import type { HttpUseCases } from './use-cases.js';

export type { HttpAppOptions } from './app.js';
export type { ChannelStatus } from './landing.js';
export { startHttpServer, type RunningServer, type ListenOptions } from './listen.js';

export function createHttpApp(
  options: HttpAppOptions & { useCases?: Partial<HttpUseCases> },
): Express {
  return buildHttpApp({ ...options, useCases: { ...defaultUseCases, ...options.useCases } });
}
