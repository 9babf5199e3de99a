// Jobs wait in queues by kind, run in a worker thread or through a function, report progress, finish, cancel, and are pruned.
import { afterEach, describe, expect, it } from 'vitest';
import { CancelledError } from '../../shared/errors';
import type { JobStatus } from '../../shared/jobs';
import { JobManager } from './manager';

describe('JobManager', () => {
  let jobs: JobManager;
  afterEach(async () => jobs.dispose());

  it('runs a worker job to completion with progress', async () => {
    jobs = new JobManager();
    const seen: JobStatus[] = [];
    jobs.onChange((j) => seen.push(j));
    const started = jobs.start('self-test', 'count', { params: { steps: 50, stepMs: 2 } });
    const done = await jobs.wait(started.id);
    expect(done.state).toBe('done');
    if (done.kind !== 'self-test') throw new Error('wrong kind');
    expect(done.result).toEqual({ sum: (50 * 51) / 2 });
    expect(seen.some((s) => s.state === 'running' && s.fraction > 0 && s.fraction < 1)).toBe(true);
    expect(seen.at(-1)?.state).toBe('done');
  });

  it('cancels a running job', async () => {
    jobs = new JobManager();
    const started = jobs.start('self-test', 'slow', { params: { steps: 10_000, stepMs: 5 } });
    await new Promise((r) => setTimeout(r, 300));
    jobs.cancel(started.id);
    const end = await jobs.wait(started.id);
    expect(end.state).toBe('cancelled');
    expect(end.fraction).toBeLessThan(1);
  });

  it('reports a failing job with its error', async () => {
    jobs = new JobManager();
    const started = jobs.start('self-test', 'bad', { params: { steps: -1, stepMs: 0 } });
    const end = await jobs.wait(started.id);
    expect(end.state).toBe('failed');
    expect(end.error?.name).toBe('ZodError');
  });

  it('refuses an unknown job kind, and worker work for a kind that has no worker runner', () => {
    jobs = new JobManager();
    expect(() => jobs.start('nope' as 'self-test', 'x', { params: {} })).toThrow(/unknown job kind "nope"/);
    expect(() => jobs.start('generate', 'x', { params: {} })).toThrow(/does not run in a job worker/);
  });

  it('runs function jobs with progress; their cancel aborts the signal at once', async () => {
    jobs = new JobManager();
    const done = await jobs.wait(
      jobs.start('generate', 'inline', {
        run: async (ctx) => {
          ctx.progress({ fraction: 0.5, message: 'half' });
          return { seed: 1 };
        },
      }).id,
    );
    expect(done.state).toBe('done');
    const slow = jobs.start('generate', 'slow', {
      run: (ctx) =>
        new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new CancelledError('stopped')))),
    });
    await new Promise((r) => setTimeout(r, 10));
    jobs.cancel(slow.id);
    expect((await jobs.wait(slow.id)).state).toBe('cancelled');
  });

  it('queues work beyond a lane\'s limit: one training at a time, the next starts when it ends', async () => {
    jobs = new JobManager({ lanes: { generation: 2 } });
    const releases: (() => void)[] = [];
    const started: string[] = [];
    const hold = (name: string) => ({
      run: () =>
        new Promise<{ name: string }>((resolve) => {
          started.push(name);
          releases.push(() => resolve({ name }));
        }),
    });
    const a = jobs.start('generate', 'a', hold('a'));
    const b = jobs.start('generate', 'b', hold('b'));
    const c = jobs.start('generate', 'c', hold('c'));
    const d = jobs.start('generate', 'd', hold('d'));
    await new Promise((r) => setTimeout(r, 10));
    expect(started).toEqual(['a', 'b']);
    expect(jobs.get(c.id).state).toBe('queued');
    // A queued job cancels at once, without ever starting.
    expect(jobs.cancel(d.id).state).toBe('cancelled');
    releases[0]!();
    await jobs.wait(a.id);
    await new Promise((r) => setTimeout(r, 10));
    expect(started).toEqual(['a', 'b', 'c']);
    for (const r of releases.slice(1)) r();
    await Promise.all([jobs.wait(b.id), jobs.wait(c.id)]);
    expect(started).not.toContain('d');
  });

  it('keeps only the last finished jobs', async () => {
    jobs = new JobManager({ keepFinished: 5 });
    for (let i = 0; i < 12; i++) await jobs.wait(jobs.start('generate', `g${i}`, { run: async () => ({ i }) }).id);
    const left = jobs.list();
    expect(left.map((j) => j.title)).toEqual(['g7', 'g8', 'g9', 'g10', 'g11']);
  });
});
