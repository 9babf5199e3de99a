// Drag-out folders are the app's own, removed at quit, and those of crashed runs are swept at the next start.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDragDir, removeDragDir, sweepDragDirs } from './dragFiles';

describe('drag-out folders', () => {
  it('creates a folder named with this pid and removes it with its files', () => {
    const root = mkdtempSync(join(tmpdir(), 'ds-drag-'));
    const dir = createDragDir(root);
    expect(dir).toMatch(new RegExp(`deep-symphony-drag-${process.pid}-[A-Za-z0-9]{6}$`));
    writeFileSync(join(dir, 'Theme.mid'), 'MThd');
    removeDragDir(dir);
    expect(existsSync(dir)).toBe(false);
  });

  it('sweeps the folders of runs that are gone, and keeps live ones and unrelated folders', () => {
    const root = mkdtempSync(join(tmpdir(), 'ds-drag-'));
    const mine = createDragDir(root);
    const dead = join(root, 'deep-symphony-drag-4000001-abcDEF');
    const live = join(root, 'deep-symphony-drag-4000002-abcDEF');
    const legacyOld = join(root, 'deep-symphony-drag-Xy12Zq');
    const legacyNew = join(root, 'deep-symphony-drag-Ab34Cd');
    const other = join(root, 'deep-symphony-drag-notes');
    for (const d of [dead, live, legacyOld, legacyNew, other]) {
      mkdirSync(d);
      writeFileSync(join(d, 'x.mid'), 'MThd');
    }
    const old = new Date(Date.now() - 2 * 3600_000);
    utimesSync(legacyOld, old, old);
    const removed = sweepDragDirs(root, (pid) => pid === 4000002);
    expect(removed.sort()).toEqual(['deep-symphony-drag-4000001-abcDEF', 'deep-symphony-drag-Xy12Zq']);
    expect(readdirSync(root).sort()).toEqual(
      ['deep-symphony-drag-4000002-abcDEF', 'deep-symphony-drag-Ab34Cd', 'deep-symphony-drag-notes', mine.slice(root.length + 1)].sort(),
    );
  });
});
