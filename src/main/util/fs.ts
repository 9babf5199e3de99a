// File writes that never leave a half-written file behind: write a sibling temp file, flush it, rename over; and sweep the temp files of writers that were killed.
import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** The temp file of a write to `path`: the writer's pid tells a later sweep whether the write can still be going on. */
export function tempPathFor(path: string): string {
  return `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
}

/** Writes and flushes a file in place (for files inside a temp folder that is renamed into place as a whole). */
export async function writeDurable(file: string, content: string | Uint8Array): Promise<void> {
  const handle = await open(file, 'w');
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a folder's entries, so that a rename into it survives a power cut. */
export async function syncDir(dir: string): Promise<void> {
  // Windows cannot open a folder for flushing; its renames are durable enough for us.
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `path` through a flushed temp file renamed over it, then flushes the folder: a reader sees the old file or the new one. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempPathFor(path);
  try {
    await writeDurable(tmp, data);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await syncDir(dirname(path));
}

/** "<target>.<pid>.<12 hex>.tmp", or the older "<target>.<12 hex>.tmp" without a pid. */
const TEMP_NAME = /^(.+?)\.(?:(\d+)\.)?[0-9a-f]{12}\.tmp$/;
/** No write takes this long: a temp file older than this is stale even if its pid now names a live process. */
const STALE_AFTER_MS = 3600_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temp files that writeFileAtomic left in `dir` when its process was killed mid-write, for targets that
 * `isTarget` accepts. A temp file of a live process (this one included) is kept unless it is an hour old.
 * @returns the names removed
 */
export async function removeStaleTempFiles(dir: string, isTarget: (target: string) => boolean): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (!m || !isTarget(m[1]!)) continue;
    const path = join(dir, name);
    const pid = m[2] === undefined ? undefined : Number(m[2]);
    if (pid !== undefined && alive(pid)) {
      const info = await stat(path).catch(() => null);
      if (!info || Date.now() - info.mtimeMs < STALE_AFTER_MS) continue;
    }
    await rm(path, { force: true }).then(
      () => removed.push(name),
      () => undefined,
    );
  }
  return removed;
}
