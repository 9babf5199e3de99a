// Comparing two versions of a piece in the roll (before and after a polish): which notes of one are not where a note of the other is.
import type { Note } from '../../../shared/song';

const place = (n: Note): string => `${n.pitch}:${n.startTick}:${n.endTick}`;

/**
 * The notes of `other` that no note of `shown` covers exactly (same pitch, start and end): the ones worth outlining,
 * since an outline on top of an identical note says nothing. Each note of `shown` accounts for one note of `other`,
 * so a doubled note that lost its twin still shows.
 */
export function movedNotes(other: readonly Note[], shown: readonly Note[]): Note[] {
  const left = new Map<string, number>();
  for (const n of shown) left.set(place(n), (left.get(place(n)) ?? 0) + 1);
  const out: Note[] = [];
  for (const n of other) {
    const k = place(n);
    const count = left.get(k) ?? 0;
    if (count > 0) left.set(k, count - 1);
    else out.push(n);
  }
  return out;
}
