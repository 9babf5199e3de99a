// Lowers the scheduling priority of the calling thread, so that background training yields the cores to interactive work.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * On Linux every thread has its own nice value; /proc/thread-self names this thread's id. Elsewhere (macOS, Windows)
 * a worker thread cannot be reniced alone, and this does nothing. Returns whether it took effect.
 */
export function lowerThreadPriority(nice = 10): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return false;
    setPriority(tid, nice);
    return true;
  } catch {
    return false;
  }
}
