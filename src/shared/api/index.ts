// The engine contract, defined once: the engine implements Handlers<Api>, the UI gets a Client<Api>.
import { appApi } from './app';
import type { Client, Handlers } from './define';
import { jobsApi } from './jobs';
import { modelsApi, sessionsApi } from './models';
import { studioApi } from './studio';

export const api = {
  app: appApi,
  jobs: jobsApi,
  models: modelsApi,
  sessions: sessionsApi,
  studio: studioApi,
} as const;

export type Api = typeof api;
export type ApiClient = Client<Api>;
export type ApiHandlers = Handlers<Api>;
export type { EngineEvent } from './events';
export { createClient } from './define';
