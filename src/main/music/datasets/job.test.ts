// The 'import-dataset' job through the real job manager: progress, result, and bad parameters.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JobStatus } from '../../../shared/jobs';
import { JobManager } from '../../jobs/manager';
import { loadDataset } from './shards';

const fixtures = new URL('../../../../tests/fixtures/piano/', import.meta.url).pathname;
let root: string;
let jobs: JobManager;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ds-job-'));
  for (const f of ['haydn_7_1.mid', 'haydn_8_1.mid']) cpSync(join(fixtures, f), join(root, 'music', f), { recursive: true });
  writeFileSync(join(root, 'music', 'empty.mid'), new Uint8Array(0));
});
afterEach(async () => jobs.dispose());
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("'import-dataset' job", () => {
  it('imports a folder with progress and returns the summary and cache key', async () => {
    jobs = new JobManager();
    const seen: JobStatus[] = [];
    jobs.onChange((j) => seen.push(j));
    const cacheDir = join(root, 'cache');
    const started = jobs.start('import-dataset', 'import music', { params: { folder: join(root, 'music'), cacheDir } });
    const done = await jobs.wait(started.id);
    expect(done.error).toBeUndefined();
    expect(done.state).toBe('done');
    const result = done.result as { cacheKey: string; fromCache: boolean; summary: { files: number; pieces: number }; skipped: { file: string }[] };
    expect(result.fromCache).toBe(false);
    expect(result.summary).toMatchObject({ files: 3, pieces: 2 });
    expect(result.skipped.map((s) => s.file)).toEqual(['empty.mid']);
    expect((await loadDataset(cacheDir, result.cacheKey)).pieces).toHaveLength(2);
    expect(seen.some((s) => s.state === 'running' && s.fraction > 0)).toBe(true);
  });

  it('fails with a validation error on bad parameters', async () => {
    jobs = new JobManager();
    const started = jobs.start('import-dataset', 'bad', { params: { folder: '' } });
    const done = await jobs.wait(started.id);
    expect(done.state).toBe('failed');
    expect(done.error?.name).toBe('ZodError');
  });
});
