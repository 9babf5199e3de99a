// Handlers for the jobs domain: list, inspect, wait for and cancel long-running work.
import type { jobsApi } from '../../../shared/api/jobs';
import type { Handlers } from '../../../shared/api/define';
import type { Engine } from '../../engine';

export function jobsHandlers(engine: Engine): Handlers<{ jobs: typeof jobsApi }>['jobs'] {
  return {
    list: () => engine.jobs.list(),
    get: (id) => engine.jobs.get(id),
    cancel: (id) => engine.jobs.cancel(id),
    wait: (id) => engine.jobs.wait(id),
  };
}
