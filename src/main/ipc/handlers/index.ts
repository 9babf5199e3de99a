// The engine's handler object: one entry per contract domain, checked against the shared contract type.
import type { ApiHandlers } from '../../../shared/api';
import type { Engine } from '../../engine';
import { appHandlers } from './app';
import { jobsHandlers } from './jobs';
import { modelsHandlers, sessionsHandlers } from './models';
import { studioHandlers } from './studio';

export function createHandlers(engine: Engine): ApiHandlers {
  return {
    app: appHandlers(engine),
    jobs: jobsHandlers(engine),
    models: modelsHandlers(engine),
    sessions: sessionsHandlers(engine),
    studio: studioHandlers(engine),
  };
}
