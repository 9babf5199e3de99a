// The drag-out temp folders: one per running app, named with its pid, removed at quit and swept at the next start if a crash left one.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DRAG_DIR_PREFIX = 'deep-symphony-drag-';
/** "<prefix><pid>-<random>", or "<prefix><random>" as versions before the pid made them. */
const DRAG_DIR = /^deep-symphony-drag-(?:(\d+)-)?[A-Za-z0-9]{6}$/;
/** A folder of an older version (no pid) is taken as left over once it is this old. */
const LEGACY_STALE_MS = 3600_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function createDragDir(root: string = tmpdir()): string {
  return mkdtempSync(join(root, `${DRAG_DIR_PREFIX}${process.pid}-`));
}

export function removeDragDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Removes the drag folders of app runs that are no longer running (a crash or a kill skips the clean-up at quit).
 * @returns the folder names removed
 */
export function sweepDragDirs(root: string = tmpdir(), isAlive: (pid: number) => boolean = alive, now: number = Date.now()): string[] {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = DRAG_DIR.exec(name);
    if (!m) continue;
    const path = join(root, name);
    if (m[1] !== undefined) {
      const pid = Number(m[1]);
      if (pid === process.pid || isAlive(pid)) continue;
    } else {
      const mtime = (() => {
        try {
          return statSync(path).mtimeMs;
        } catch {
          return now;
        }
      })();
      if (now - mtime < LEGACY_STALE_MS) continue;
    }
    try {
      rmSync(path, { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Someone else's folder we cannot remove is left alone.
    }
  }
  return removed;
}
