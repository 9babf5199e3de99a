// Jobs run in a worker thread, report progress, finish with a result, and stop when cancelled.
import { afterEach, describe, expect, it } from 'vitest';
import type { JobStatus } from '../../shared/jobs';
import { JobManager } from './manager';

describe('JobManager', () => {
  let jobs: JobManager;
  afterEach(async () => jobs.dispose());

  it('runs a job to completion with progress', async () => {
    jobs = new JobManager();
    const seen: JobStatus[] = [];
    jobs.onChange((j) => seen.push(j));
    const started = jobs.start('self-test', 'count', { steps: 50, stepMs: 2 });
    const done = await jobs.wait(started.id);
    expect(done.state).toBe('done');
    expect(done.result).toEqual({ sum: (50 * 51) / 2 });
    expect(seen.some((s) => s.state === 'running' && s.fraction > 0 && s.fraction < 1)).toBe(true);
    expect(seen.at(-1)?.state).toBe('done');
  });

  it('cancels a running job', async () => {
    jobs = new JobManager();
    const started = jobs.start('self-test', 'slow', { steps: 10_000, stepMs: 5 });
    await new Promise((r) => setTimeout(r, 300));
    jobs.cancel(started.id);
    const end = await jobs.wait(started.id);
    expect(end.state).toBe('cancelled');
    expect(end.fraction).toBeLessThan(1);
  });

  it('reports a failing job with its error', async () => {
    jobs = new JobManager();
    const started = jobs.start('self-test', 'bad', { steps: -1, stepMs: 0 });
    const end = await jobs.wait(started.id);
    expect(end.state).toBe('failed');
    expect(end.error?.name).toBe('ZodError');
  });

  it('refuses an unknown job kind', () => {
    jobs = new JobManager();
    expect(() => jobs.start('nope', 'x', {})).toThrow(/unknown job kind "nope"/);
  });
});
