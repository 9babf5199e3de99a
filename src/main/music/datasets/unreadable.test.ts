// One unreadable folder or file does not fail a dataset import: it is skipped and reported, and the rest is imported.
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { importDataset } from './import';

// Tests run as root, for whom chmod 000 changes nothing: the file system's refusal is simulated for chosen paths.
const locked = new Set<string>();
function refuse(path: unknown, syscall: string): void {
  if (typeof path === 'string' && locked.has(path)) {
    throw Object.assign(new Error(`EACCES: permission denied, ${syscall} '${path}'`), { code: 'EACCES', syscall, path });
  }
}
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof fsp>();
  return {
    ...actual,
    readdir: (async (path: string, ...rest: unknown[]) => {
      refuse(path, 'scandir');
      return (actual.readdir as (...a: unknown[]) => Promise<unknown>)(path, ...rest);
    }) as typeof actual.readdir,
    readFile: (async (path: string, ...rest: unknown[]) => {
      refuse(path, 'open');
      return (actual.readFile as (...a: unknown[]) => Promise<unknown>)(path, ...rest);
    }) as typeof actual.readFile,
  };
});

const fixtures = new URL('../../../../tests/fixtures/', import.meta.url).pathname;
let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ds-unreadable-'));
  mkdirSync(join(root, 'music', 'private'), { recursive: true });
  mkdirSync(join(root, 'music', 'ok'), { recursive: true });
  cpSync(join(fixtures, 'piano/haydn_7_1.mid'), join(root, 'music', 'ok', 'haydn_7_1.mid'));
  cpSync(join(fixtures, 'piano/mond_1.mid'), join(root, 'music', 'private', 'mond_1.mid'));
  cpSync(join(fixtures, 'piano/haydn_8_1.mid'), join(root, 'music', 'secret.mid'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('importDataset with unreadable parts', () => {
  it('skips an unreadable folder and an unreadable file, reports both, and imports the rest', async () => {
    const folder = join(root, 'music');
    locked.add(join(folder, 'private'));
    locked.add(join(folder, 'secret.mid'));
    const dataset = await importDataset(folder, { cacheDir: join(root, 'cache') });
    expect(dataset.pieces.map((p) => p.file)).toEqual(['ok/haydn_7_1.mid']);
    expect(dataset.skipped).toEqual([
      { file: 'private/', error: 'UnreadableError', message: 'cannot read the folder "private/": permission denied (EACCES)' },
      { file: 'secret.mid', error: 'UnreadableError', message: 'cannot read "secret.mid": permission denied (EACCES)' },
    ]);
    // No absolute path reaches the user.
    expect(JSON.stringify(dataset.skipped)).not.toContain(root);
    locked.clear();
  });

  it('still refuses a folder that cannot be read at all', async () => {
    const folder = join(root, 'music');
    locked.add(folder);
    await expect(importDataset(folder, { cacheDir: join(root, 'cache') })).rejects.toMatchObject({ name: 'DatasetFolderError' });
    locked.clear();
  });
});
