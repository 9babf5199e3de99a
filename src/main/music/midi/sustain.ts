// Sustain pedal applied to note lengths, as performance models (Performance RNN, Magenta) expect.
import type { Note, PedalEvent } from '../../../shared/song';
import type { Ticks } from '../../../shared/units';

/** Controller value from which the sustain pedal counts as down. */
export const PEDAL_DOWN = 64;

/**
 * Lengthens every note that is released while its track's sustain pedal is down: it then ends when the
 * pedal comes up, or at the next onset of the same pitch in the same track if that is earlier; a note
 * never ends before its own note-off. A pedal still down at the end holds notes to `songEnd` (default:
 * the last note-off). A note released on the tick the pedal goes down is held. Pure: changed notes are
 * copies, the others are returned as they are.
 */
export function extendNotesWithSustain(notes: readonly Note[], pedals: readonly PedalEvent[], songEnd?: Ticks): Note[] {
  if (pedals.length === 0 || notes.length === 0) return [...notes];
  let end = songEnd ?? 0;
  if (songEnd === undefined) for (const n of notes) if (n.endTick > end) end = n.endTick;

  // Per track: pedal-down spans [downs[i], ups[i]), in time order.
  const spans = new Map<number, { downs: number[]; ups: number[] }>();
  const byTrack = new Map<number, PedalEvent[]>();
  for (const p of pedals) {
    const list = byTrack.get(p.track);
    if (list) list.push(p);
    else byTrack.set(p.track, [p]);
  }
  for (const [track, list] of byTrack) {
    list.sort((a, b) => a.tick - b.tick);
    const downs: number[] = [];
    const ups: number[] = [];
    let down = -1;
    for (const p of list) {
      if (p.value >= PEDAL_DOWN) {
        if (down < 0) down = p.tick;
      } else if (down >= 0) {
        if (p.tick > down) {
          downs.push(down);
          ups.push(p.tick);
        }
        down = -1;
      }
    }
    if (down >= 0 && end > down) {
      downs.push(down);
      ups.push(end);
    }
    spans.set(track, { downs, ups });
  }

  const order = notes.map((_, i) => i);
  let sorted = true;
  for (let i = 1; i < notes.length; i++) if (notes[i]!.startTick < notes[i - 1]!.startTick) sorted = false;
  if (!sorted) order.sort((a, b) => notes[a]!.startTick - notes[b]!.startTick);

  const ends = new Float64Array(notes.length);
  for (let i = 0; i < notes.length; i++) {
    const n = notes[i]!;
    ends[i] = n.endTick;
    const s = spans.get(n.track);
    if (!s || s.downs.length === 0) continue;
    // Last span starting at or before the release.
    let lo = 0;
    let hi = s.downs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s.downs[mid]! <= n.endTick) lo = mid + 1;
      else hi = mid;
    }
    const k = lo - 1;
    if (k >= 0 && s.ups[k]! > n.endTick) ends[i] = s.ups[k]!;
  }

  const lastOfKey = new Map<number, number>();
  for (const i of order) {
    const n = notes[i]!;
    const key = n.track * 128 + n.pitch;
    const prev = lastOfKey.get(key);
    if (prev !== undefined) {
      const p = notes[prev]!;
      ends[prev] = Math.max(p.endTick, Math.min(ends[prev]!, n.startTick));
    }
    lastOfKey.set(key, i);
  }

  return notes.map((n, i) => (ends[i] === n.endTick ? n : { ...n, endTick: ends[i]! }));
}
