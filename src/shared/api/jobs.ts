// Job control: list, inspect and cancel long-running work.
import { z } from 'zod';
import type { JobStatus } from '../jobs';
import { method } from './define';

export const jobId = z.string().regex(/^job-[a-z0-9-]+$/, 'a job id like "job-1"');

export const jobsApi = {
  list: method(z.tuple([])).returns<JobStatus[]>(),
  get: method(z.tuple([jobId])).returns<JobStatus>(),
  cancel: method(z.tuple([jobId])).returns<JobStatus>(),
  /** Waits until the job ends and returns its final status. */
  wait: method(z.tuple([jobId])).returns<JobStatus>(),
};
